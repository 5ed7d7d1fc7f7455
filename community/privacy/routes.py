"""Members' privacy pages: what we keep and why, "Download my data" (a readable page and a JSON
file), and "Delete my account" with its cooling-off period and the banner to change one's mind."""
import json
from datetime import date, datetime

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user

from community.activities import times
from community.auth import sessions
from community.chat.services import FORMER_MEMBER
from community.extensions import db, limiter
from community.groups.view import me
from community.models.base import utcnow
from community.moderation import actions as escalation_actions
from community.moderation import review, sanctions
from community.navigation import badges
from community.privacy import bp, deletion, export
from community.privacy.forms import MESSAGE_CHOICES, ButtonForm, DeleteAccountForm


@bp.app_context_processor
def deletion_banner() -> dict:
    """A scheduled deletion shows on every page, with "Keep my account", until it is cancelled."""
    if not current_user.is_authenticated:
        return {"pending_deletion": None}
    pending = deletion.pending(current_user.id) if badges().deletion_pending else None  # rarely a query
    return {"pending_deletion": pending, "keep_account_form": ButtonForm() if pending else None}


@bp.app_template_global("author_label")
def author_label(message) -> str:
    """Who wrote a chat message, as every page names them: a kept message whose writer deleted
    their account has no author and is a "Former member"; Common Ground's own have kind system."""
    if message.kind == "system":
        return "From Common Ground"
    return message.author.display_name if message.author is not None else FORMER_MEMBER


@bp.app_template_filter("privacy_when")
def privacy_when(value) -> str:
    """A stored time in the community's own time zone; a day as a day."""
    if isinstance(value, datetime):
        return f"{times.when(value)} {times.local(value):%Z}"
    if isinstance(value, date):
        return f"{value:%B} {value.day}, {value.year}"
    return value


def numbers() -> dict:
    """The figures the privacy pages quote, straight from the configuration and the code."""
    config = current_app.config
    return {
        "cooling_off_hours": config["ACCOUNT_DELETION_COOLING_OFF_HOURS"],
        "retention_days": config["ESCALATION_RETENTION_DAYS"],
        "follow_up_hours": config["SAFETY_FOLLOW_UP_HOURS"],
        "history_days": max(escalation_actions.HISTORY_DAYS, review.HISTORY_DAYS),
        "ladder_days": sanctions.LADDER_DAYS,
    }


@bp.route("/privacy")
def policy():
    return render_template("pages/privacy.html", **numbers())


@bp.route("/privacy/my-data")
@login_required
def my_data():
    data = export.collect(me(), utcnow())
    response = current_app.make_response(render_template("privacy/my_data.html", data=data,
                                                         sections=export.SECTIONS))
    response.headers["Cache-Control"] = "no-store"  # private: never kept by a shared cache
    return response


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


@bp.route("/privacy/my-data.json")
@login_required
def my_data_json():
    now = utcnow()
    body = json.dumps(export.collect(me(), now), default=_plain, ensure_ascii=False, indent=2)
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="common-ground-my-data-{now:%Y-%m-%d}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _delete_page(form: DeleteAccountForm, status: int = 200):
    return render_template("privacy/delete.html", form=form, choices=MESSAGE_CHOICES,
                           pending=deletion.pending(current_user.id), **numbers()), status


@bp.route("/privacy/delete-account", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"])  # the password is checked here too
def delete_account():
    user = me()
    if deletion.pending(user.id) is not None:  # already scheduled (or sent again from an old tab)
        if request.method == "POST":
            return redirect(url_for("privacy.delete_account"))
        return _delete_page(DeleteAccountForm(formdata=None))
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _delete_page(form, 400 if form.errors else 200)
    try:
        scheduled = deletion.schedule(user, form.password.data, form.messages.data == "erase")
    except deletion.DeletionError as exc:
        db.session.rollback()
        getattr(form, exc.field or "password").errors.append(str(exc))
        return _delete_page(form, 400)
    sessions.end_all(user.id)  # every browser, this one included
    logout_user()
    flash(f"Your account will be deleted after {privacy_when(scheduled.purge_after)}. If you change your mind "
          "before then, log in and choose \u201cKeep my account\u201d. Take good care of yourself.", "info")
    return redirect(url_for("pages.index"))


@bp.route("/privacy/delete-account/keep", methods=["POST"])
@login_required
def keep_account():
    if not ButtonForm().validate_on_submit():
        flash("That page had been open a while, so nothing changed yet. Please press the button again.", "info")
        return redirect(url_for("privacy.delete_account"))
    if deletion.cancel(me()):
        flash("Your account is staying. Nothing was deleted. We're glad you're here.", "success")
    else:
        flash("Your account wasn't set to be deleted, so nothing needed changing.", "info")
    return redirect(url_for("pages.home"))
