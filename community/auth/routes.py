"""Register, log in and log out. The work happens in services; views only translate."""
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user

from community.auth import bp, sessions, throttle
from community.auth.forms import LoginForm, LogoutForm, RegisterForm
from community.auth.second_step import finish_login, start_second_step
from community.auth.services import AccountError, authenticate, create_user, find_user
from community.extensions import limiter


def _safe_next(default: str) -> str:
    """Follow ?next= only within our own site, so a link can't bounce people elsewhere."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return default


def _failed(response) -> bool:
    """Only failed attempts count toward the per-address limit; a successful login redirects."""
    return response.status_code != 302


def _wait_message(seconds: int) -> str:
    when = "a minute" if seconds > 45 else f"{seconds} seconds"
    return (f"There have been several tries for this account, so for its safety please wait {when} "
            "and try again. If you've forgotten your password, that's all right; take your time.")


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data, form.display_name.data, form.password.data)
        except AccountError as exc:
            getattr(form, exc.field or "email").errors.append(str(exc))
        else:
            sessions.sign_in(user)
            flash(f"Welcome, {user.display_name}. Let's set up your profile; it takes a few minutes.", "success")
            return redirect(url_for("profiles.onboarding"))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"], deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = LoginForm()
    if form.validate_on_submit():
        account = find_user(form.email.data)
        device = throttle.device_key(account.id if account else None)
        wait = throttle.wait_seconds(form.email.data, device)
        if wait:
            form.password.errors.append(_wait_message(wait))
            return render_template("auth/login.html", form=form), 429
        user = authenticate(form.email.data, form.password.data)
        throttle.record(form.email.data, device, succeeded=user is not None)
        if user is not None:
            next_page = _safe_next(url_for("pages.home"))
            if user.totp_enabled_at:
                return start_second_step(user, form.remember.data, next_page)
            return finish_login(user, form.remember.data, next_page)
        form.password.errors.append(
            "That email and password don't match an account. Please check them and try again."
        )
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        token = sessions.current_token()
        if token:
            sessions.end(token)
        logout_user()
        flash("You've logged out. Come back whenever you like.", "info")
        return redirect(url_for("pages.index"))
    flash("That page had been open a while, so you're still logged in. Please try again.", "info")
    return redirect(url_for("pages.home"))
