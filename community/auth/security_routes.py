"""A person's own sign-in security: where they are signed in, two-factor, recovery codes."""
from flask import abort, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, logout_user

from community.auth import bp, sessions, two_factor
from community.auth.forms import ConfirmWithCodeForm, LogoutForm, SetupCodeForm
from community.extensions import db

PENDING_SETUP = "totp_setup_pending"


@bp.route("/account/security")
@login_required
def security():
    return render_template(
        "auth/security.html",
        signed_in=sessions.active(current_user.id),
        token=sessions.current_token(),
        is_current=sessions.is_current,
        codes_left=two_factor.recovery_codes_left(current_user) if current_user.totp_enabled_at else 0,
        button_form=LogoutForm(),
        code_form=ConfirmWithCodeForm(),
    )


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: int):
    form = LogoutForm()
    if form.validate_on_submit():
        row = next((s for s in sessions.active(current_user.id) if s.id == session_id), None)
        if row is None:
            abort(404)  # not one of yours, or already ended
        if sessions.is_current(row, sessions.current_token()):
            return _sign_out_here()
        db.session.delete(row)
        db.session.commit()
        flash("That device is signed out.", "success")
    return redirect(url_for("auth.security"))


@bp.route("/account/sessions/end-all", methods=["POST"])
@login_required
def end_all_sessions():
    form = LogoutForm()
    if form.validate_on_submit():
        sessions.end_all(current_user.id)
        logout_user()
        flash("You're signed out on every device, this one included. Log in again whenever you're ready.",
              "success")
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.security"))


def _sign_out_here():
    sessions.end(sessions.current_token())
    logout_user()
    flash("You've logged out. Come back whenever you like.", "info")
    return redirect(url_for("pages.index"))


@bp.route("/account/two-factor/setup", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    if current_user.totp_enabled_at:
        flash("Two-factor sign-in is already on for your account.", "info")
        return redirect(url_for("auth.security"))
    secret = session.get(PENDING_SETUP)
    if not isinstance(secret, str) or len(secret) != 32:
        # Kept in this browser's signed session until confirmed, so a half-finished setup stores nothing.
        secret = session[PENDING_SETUP] = two_factor.new_secret()
    form = SetupCodeForm()
    if form.validate_on_submit():
        if two_factor.code_is_valid(secret, form.code.data):
            codes = two_factor.enable(current_user, secret)
            db.session.commit()
            session.pop(PENDING_SETUP, None)
            return render_template("auth/recovery_codes.html", codes=codes, first_time=True)
        form.code.errors.append("That code didn't match. Please type the code your app shows now; "
                                "it changes every 30 seconds.")
    uri = two_factor.provisioning_uri(secret, current_user.email)
    return render_template("auth/two_factor_setup.html", form=form, secret=secret,
                           qr=two_factor.qr_svg(uri)), 400 if form.errors else 200


def _confirmed(form: ConfirmWithCodeForm) -> bool:
    if not form.validate_on_submit():
        return False
    if two_factor.verify(current_user, form.code.data):
        return True
    db.session.rollback()
    flash("That code didn't match, so nothing changed. Please try the code showing now.", "error")
    return False


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@login_required
def new_recovery_codes():
    if not current_user.totp_enabled_at:
        return redirect(url_for("auth.two_factor_setup"))
    form = ConfirmWithCodeForm()
    if not _confirmed(form):
        return redirect(url_for("auth.security"))
    codes = two_factor.regenerate_recovery_codes(current_user)
    db.session.commit()
    return render_template("auth/recovery_codes.html", codes=codes, first_time=False)


@bp.route("/account/two-factor/off", methods=["POST"])
@login_required
def two_factor_off():
    if current_user.is_staff:
        flash("Moderators and admins keep two-factor sign-in on, because they can see members' private words.",
              "info")
        return redirect(url_for("auth.security"))
    form = ConfirmWithCodeForm()
    if current_user.totp_enabled_at and _confirmed(form):
        two_factor.disable(current_user)
        db.session.commit()
        flash("Two-factor sign-in is off. You can turn it back on here any time.", "success")
    return redirect(url_for("auth.security"))
