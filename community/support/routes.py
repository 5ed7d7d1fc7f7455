"""Member-facing safety pages: private check-ins (/support) and "I'm worried about this person".
Both work without JavaScript."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from community.chat import services as chat
from community.extensions import db, limiter
from community.ids import parse_id
from community.models import Message, User
from community.navigation import badges
from community.support import bp, resources, services


class WorryForm(FlaskForm):
    note = TextAreaField(
        "Anything you'd like the moderators to know? (optional)",
        description="Only moderators read this. They won't tell the person who asked.",
        validators=[Length(max=services.NOTE_LENGTH,
                           message=f"Please keep this to {services.NOTE_LENGTH} characters or fewer.")],
    )


@bp.app_context_processor
def support_context():
    """The nav's unread count, and the support card the chat shows when someone may be in crisis."""
    return {"support_unread": badges().support_unread, "support_card": resources.card()}


@bp.route("/support")
@login_required
def inbox():
    messages = services.inbox(current_user)
    unread = {m.id for m in messages if m.read_at is None}
    services.mark_read(current_user)
    return render_template("support/inbox.html", messages=messages, unread=unread,
                           resources=resources.CRISIS_RESOURCES)


def _subject_or_404(user_id: int) -> User:
    subject = db.session.get(User, user_id)
    if subject is None or services.shared_group_id(current_user, subject) is None:
        abort(404)  # not someone in your groups: don't reveal whether the account exists
    return subject


def _quotable(message_id: str, subject: User) -> Message | None:
    """The message the page quotes: only one of theirs the asker can see in their own group's chat,
    so a guessed id never shows words from a group they aren't in (or a hidden or held message)."""
    message_id = parse_id(message_id)
    message = db.session.get(Message, message_id) if message_id is not None else None
    if (message is None or message.kind != "member" or message.author_id != subject.id
            or message.hidden_at is not None or message.held_at is not None
            or not chat.can_read(current_user, message.group_id)):
        return None
    return message


@bp.route("/people/<int:user_id>/worried", methods=["GET", "POST"])
@login_required
@limiter.limit("20 per hour", methods=["POST"])
def worried(user_id: int):
    subject = _subject_or_404(user_id) if user_id != current_user.id else current_user
    message = _quotable(request.args.get("message", ""), subject)
    form = WorryForm()
    if form.validate_on_submit():
        try:
            report = services.worry(current_user, subject, message, form.note.data or "")
        except services.WorryError as exc:
            flash(str(exc), "info")
            return redirect(url_for("groups.group", group_id=services.shared_group_id(current_user, subject))
                            if subject.id != current_user.id else url_for("pages.resources"))
        flash("Thank you for looking out for them. We'll check in with them privately, "
              "and we won't say who asked.", "success")
        return redirect(url_for("groups.group", group_id=report.escalation.group_id))
    if subject.id == current_user.id:
        return redirect(url_for("pages.resources"))
    return render_template("support/worried.html", form=form, subject=subject, message=message,
                           already=services.already_today(current_user, subject)), 400 if form.errors else 200
