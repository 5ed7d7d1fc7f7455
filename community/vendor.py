"""Browser libraries installed with npm, served by our own app (no CDN: nothing is fetched
from elsewhere, and the version is the one package-lock.json pins)."""
from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory

bp = Blueprint("vendor", __name__)

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"

# URL name -> file inside node_modules. Only what is listed here is served.
FILES = {
    "socket.io.min.js": "socket.io-client/dist/socket.io.min.js",
    "socket.io.min.js.map": "socket.io-client/dist/socket.io.min.js.map",
}


@bp.route("/static/vendor/<name>")
def vendor(name: str):
    """One listed file from node_modules; a clear 404 when `npm ci` hasn't been run."""
    relative = FILES.get(name)
    if relative is None:
        abort(404)
    path = NODE_MODULES / relative
    if not path.is_file():
        current_app.logger.error("%s is missing: run `npm ci` (make run and make test do).", path)
        abort(404, description=f"{name} is not installed: run `npm ci` in the project folder.")
    return send_from_directory(path.parent, path.name, max_age=3600)
