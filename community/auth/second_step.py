"""The end of logging in: the second step for people with two-factor on, then the session itself."""
import time

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user

from community.auth import bp, sessions, throttle, two_factor
from community.auth.forms import SignInCodeForm
from community.extensions import db, limiter
from community.models import User

PENDING = "pending_login"
PENDING_SECONDS = 300
TRIES = 5
DEVICE_COOKIE_DAYS = 365


def start_second_step(user: User, remember: bool, next_page: str):
    """The password was right; remember that (in this browser only) while we ask for the code."""
    session[PENDING] = {"user_id": user.id, "remember": bool(remember), "next": next_page,
                        "since": time.time(), "tries": 0}
    return redirect(url_for("auth.verify"))


def finish_login(user: User, remember: bool, next_page: str, notice: str | None = None):
    sessions.sign_in(user, remember=remember)  # starts the browser's session afresh: flash after it
    if notice:
        flash(notice, "info")
    if user.needs_two_factor_setup:
        flash("Moderators and admins sign in with a code from an app as well as a password, because "
              "you can see members' private words. Setting it up takes two minutes.", "info")
        next_page = url_for("auth.two_factor_setup")
    response = redirect(next_page)
    if throttle.device_key(user.id) is None:
        # From now on this browser's tries for this account are counted apart from strangers'.
        response.set_cookie(throttle.DEVICE_COOKIE, throttle.device_cookie(user.id),
                            max_age=DEVICE_COOKIE_DAYS * 86400, httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def _pending_user() -> tuple[dict | None, User | None]:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None, None
    user = db.session.get(User, pending.get("user_id"))
    if user is None or not user.totp_enabled_at:
        session.pop(PENDING, None)
        return None, None
    return pending, user


@bp.route("/login/verify", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"],
               deduct_when=lambda response: response.status_code != 302)
def verify():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    pending, user = _pending_user()
    if user is None:
        flash("Let's start again: please log in with your email and password.", "info")
        return redirect(url_for("auth.login"))
    form = SignInCodeForm()
    if form.validate_on_submit():
        used = two_factor.verify(user, form.code.data)
        if used:
            db.session.commit()
            session.pop(PENDING, None)
            notice = None
            if used == "recovery":
                left = two_factor.recovery_codes_left(user)
                notice = f"You used a recovery code; {left} left. You can make new ones on your security page."
            return finish_login(user, pending["remember"], pending["next"], notice)
        db.session.rollback()
        # A wrong code counts like a wrong password toward the account's delay.
        throttle.record(user.email, throttle.device_key(user.id), succeeded=False)
        pending["tries"] += 1
        session[PENDING] = pending
        if pending["tries"] >= TRIES:
            session.pop(PENDING, None)
            flash("That code didn't work a few times, so let's start again from your password. "
                  "If your phone's clock is off, setting it to automatic usually fixes codes.", "info")
            return redirect(url_for("auth.login"))
        form.code.errors.append("That code didn't match. Codes change every 30 seconds; please try the one "
                                "showing now, or a recovery code.")
    status = 400 if form.errors else 200
    return render_template("auth/verify.html", form=form, remember=pending["remember"]), status
