"""Landing, home, crisis resources and what Common Ground is (and isn't)."""
from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from community.pages import bp
from community.profiles.services import STEPS, next_step


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    return render_template("pages/index.html")


@bp.route("/home")
@login_required
def home():
    profile = current_user.profile
    upcoming = next_step(profile)
    steps_done = len(profile.steps_done) if profile else 0
    return render_template(
        "pages/home.html", next_step=upcoming, steps_done=steps_done, step_count=len(STEPS)
    )


@bp.route("/resources")
def resources():
    return render_template("pages/resources.html")


@bp.route("/about")
def about():
    return render_template("pages/about.html")
