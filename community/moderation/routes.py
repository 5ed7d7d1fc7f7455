"""Moderators' pages for escalations: the queue, one escalation with everything needed to act,
and the team dashboard. Plain HTML forms (no JavaScript needed), CSRF on each, and
POST-redirect-GET with a flash. An escalation someone may not handle is a 404, not a 403, so
its existence isn't confirmed to them.
"""
from flask import abort, current_app, flash, redirect, render_template, url_for

from community.auth.roles import role_required
from community.extensions import db
from community.groups.view import me
from community.models import Escalation
from community.models.base import utcnow
from community.moderation import actions, appeals, bp, review, wording
from community.moderation.escalations import audit, may_handle
from community.moderation.forms import ActionForm, MessageForm, NoteForm, ResolveForm


def _escalation_or_404(escalation_id: int) -> Escalation:
    escalation = db.session.get(Escalation, escalation_id)
    if escalation is None or not may_handle(me(), escalation):
        abort(404)
    return escalation


def _page_helpers() -> dict:
    return {"words": wording, "now": utcnow(), "outcomes": actions.OUTCOMES}


@bp.route("/")
@role_required("moderator")
def queue():
    found = actions.queue(me())
    entries = review.ranked(me(), found.active)
    audit("queue_viewed", actor_id=me().id, waiting=len(entries))
    db.session.commit()
    return render_template("moderation/queue.html", queue=found, entries=entries,
                           appeals=appeals.open_appeals(me()), reasons=review.REASONS, **_page_helpers())


def _detail_page(escalation: Escalation, status: int = 200, **forms):
    """The escalation page; `forms` holds a submitted form to show with its errors."""
    user = escalation.user
    suggestion = wording.suggested_message(user.display_name if user else "there", me().display_name,
                                           escalation.categories, escalation.source)
    message_form = forms.get("message_form") or MessageForm(formdata=None, message=suggestion)
    return render_template(
        "moderation/escalation.html",
        detail=actions.view(escalation, me()),
        ack_form=ActionForm(formdata=None),
        message_form=message_form,
        note_form=forms.get("note_form") or NoteForm(formdata=None),
        resolve_form=forms.get("resolve_form") or ResolveForm(formdata=None),
        follow_up_form=ActionForm(formdata=None),
        **_page_helpers(),
    ), status


def _done(escalation: Escalation, text: str, category: str = "success"):
    flash(text, category)
    return redirect(url_for("moderation.escalation", escalation_id=escalation.id))


def _expired(escalation: Escalation):
    flash("This page had been open a while, so nothing was changed. Please press the button again.", "info")
    return _detail_page(escalation, 400)


@bp.route("/escalations/<int:escalation_id>")
@role_required("moderator")
def escalation(escalation_id: int):
    return _detail_page(_escalation_or_404(escalation_id))


@bp.route("/escalations/<int:escalation_id>/acknowledge", methods=["POST"])
@role_required("moderator")
def acknowledge(escalation_id: int):
    escalation = _escalation_or_404(escalation_id)
    if not ActionForm().validate_on_submit():
        return _expired(escalation)
    if actions.acknowledge(escalation, me()):
        return _done(escalation, "Acknowledged. The other moderators know you're on it.")
    by = escalation.acknowledged_by
    who = "You" if by is not None and by.id == me().id else by.display_name if by else "Someone"
    return _done(escalation, f"{who} had already acknowledged this, so nothing changed.", "info")


@bp.route("/escalations/<int:escalation_id>/message", methods=["POST"])
@role_required("moderator")
def message(escalation_id: int):
    escalation = _escalation_or_404(escalation_id)
    form = MessageForm()
    if not form.validate_on_submit():
        return _detail_page(escalation, 400, message_form=form)
    try:
        actions.message_member(escalation, me(), form.message.data)
    except actions.ActionError as exc:
        db.session.rollback()
        form.message.errors.append(str(exc))
        return _detail_page(escalation, 409, message_form=form)
    name = escalation.user.display_name if escalation.user else "them"
    return _done(escalation, f"Your message to {name} is sent. They'll see it from \"{actions.SENDER_NAME}\".")


@bp.route("/escalations/<int:escalation_id>/note", methods=["POST"])
@role_required("moderator")
def note(escalation_id: int):
    escalation = _escalation_or_404(escalation_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _detail_page(escalation, 400, note_form=form)
    try:
        actions.add_note(escalation, me(), form.note.data)
    except actions.ActionError as exc:
        db.session.rollback()
        form.note.errors.append(str(exc))
        return _detail_page(escalation, 409, note_form=form)
    return _done(escalation, "Note added.")


@bp.route("/escalations/<int:escalation_id>/resolve", methods=["POST"])
@role_required("moderator")
def resolve(escalation_id: int):
    escalation = _escalation_or_404(escalation_id)
    form = ResolveForm()
    if not form.validate_on_submit():
        return _detail_page(escalation, 400, resolve_form=form)
    try:
        actions.resolve(escalation, me(), form.outcome.data, form.resolve_note.data or "")
    except actions.ActionError as exc:
        db.session.rollback()
        form.outcome.errors.append(str(exc))
        return _detail_page(escalation, 409, resolve_form=form)
    hours = current_app.config["SAFETY_FOLLOW_UP_HOURS"]
    return _done(escalation, f"Resolved. We'll remind you to check in with them in {hours:g} hours.")


@bp.route("/escalations/<int:escalation_id>/follow-up", methods=["POST"])
@role_required("moderator")
def follow_up(escalation_id: int):
    escalation = _escalation_or_404(escalation_id)
    if not ActionForm().validate_on_submit():
        return _expired(escalation)
    try:
        done = actions.follow_up_done(escalation, me())
    except actions.ActionError as exc:
        db.session.rollback()
        return _done(escalation, str(exc), "info")
    if done:
        return _done(escalation, "Follow-up marked as done. Thank you for checking in.")
    return _done(escalation, "The follow-up was already marked as done, so nothing changed.", "info")


@bp.route("/dashboard")
@role_required("moderator")
def dashboard():
    numbers = actions.dashboard()
    audit("dashboard_viewed", actor_id=me().id)
    db.session.commit()
    return render_template("moderation/dashboard.html", dash=numbers, days=actions.DASHBOARD_DAYS,
                           **_page_helpers())
