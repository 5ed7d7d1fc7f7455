"""Error pages that stay calm and say what to do next, and never show a stack trace."""
from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: ("Something in that request didn't look right", "Please go back and try again."),
    403: ("This page isn't available to you", "If you think you should be able to see it, an admin can help."),
    404: ("We couldn't find that page", "The link may be old, or the page may have moved."),
    405: ("That didn't work", "Please go back and try again."),
    413: ("That was more than we can take in one go", "Please shorten it and try again."),
    429: ("Let's pause for a moment", "There have been a lot of tries in a short time. For your account's safety, please wait about 15 minutes and try again."),
    500: ("Something went wrong on our side", "It's not something you did. Please try again in a little while."),
}


def _page(code: int):
    title, detail = MESSAGES.get(code, MESSAGES[400])
    return render_template("errors/error.html", title=title, detail=detail, code=code), code


def register_error_handlers(app: Flask) -> None:
    from community.auth.guards import log_refusal

    for code in MESSAGES:
        app.register_error_handler(code, lambda exc, code=code: _page(code))

    @app.errorhandler(403)
    def forbidden(exc):
        log_refusal(403)
        return _page(403)

    @app.errorhandler(CSRFError)
    def csrf_failed(exc):
        # Re-show the same form with its own validation, which names the expired token kindly
        # and keeps what the person typed; nothing is saved because the form fails validation.
        view = app.view_functions.get(request.endpoint or "")
        if view is None:
            return _page(400)
        try:
            response = app.make_response(view(**(request.view_args or {})))
        except HTTPException as refused:  # the view turned the request away itself (abort(400), 404...)
            return _page(refused.code or 400)
        if response.status_code == 200:
            response.status_code = 400
        return response
