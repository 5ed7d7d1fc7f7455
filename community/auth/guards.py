"""Checks on every request: staff finish two-factor setup before anything else, and refusals are
logged so repeated probing shows up."""
import logging

from flask import flash, redirect, request, url_for
from flask_login import current_user

from community.auth import bp

log = logging.getLogger("community.security")

# What a moderator or admin without two-factor may still reach: the setup itself, logging out,
# and the public pages (the crisis line among them).
SETUP_ALLOWED = {"auth.two_factor_setup", "auth.logout", "auth.security", "auth.end_all_sessions",
                 "static", "vendor.vendor", "pages.index", "pages.about", "pages.resources", "pages.guidelines",
                 "privacy.policy"}


@bp.before_app_request
def staff_finish_two_factor_setup():
    if request.endpoint in SETUP_ALLOWED or request.endpoint is None:
        return None
    if current_user.is_authenticated and current_user.needs_two_factor_setup:
        flash("Please set up two-factor sign-in first; it takes two minutes.", "info")
        return redirect(url_for("auth.two_factor_setup"))
    return None


def log_refusal(status: int) -> None:
    who = current_user.id if current_user.is_authenticated else "anonymous"
    log.warning("refused status=%s user=%s method=%s path=%s ip=%s", status, who, request.method,
                request.path, request.remote_addr)
