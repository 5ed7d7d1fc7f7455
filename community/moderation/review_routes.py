"""Moderators' pages for the review queue: one item with its context and an action form, claims,
restoring an action, deciding appeals, the searchable log, and a group's chat as moderators see
it. Anything a moderator may not handle is a 404, so ids can't be probed."""
from flask import abort, flash, redirect, render_template, request, url_for

from community.auth.roles import role_required
from community.extensions import db
from community.groups.view import me
from community.ids import parse_id
from community.models import Appeal, Group, Message, ModerationAction
from community.moderation import appeals, bp, review, sanctions
from community.moderation.escalations import audit
from community.moderation.forms import ActionForm, DecideForm, ItemActionForm, ReasonForm
from community.moderation.review import ReviewError

CHAT_VIEW_LIMIT = 200


def _item_or_404(item_id: int):
    item = review.item_or_none(me(), item_id)
    if item is None:
        abort(404)
    return item


def _item_page(item, form=None, status=200):
    subject_id = item.subject_id
    step, earlier = sanctions.next_step(subject_id) if subject_id else (None, [])
    if form is None:
        form = ItemActionForm(formdata=None)
        form.action.data = "approve" if item.kind == "hold" and item.message.held_at else None  # a suggestion
        if step is not None and step.kind == "mute":
            form.hours.data = str(step.hours)
    return render_template("moderation/item.html", view=review.view(item, me()), form=form,
                           claim_form=ActionForm(formdata=None), step=step, earlier=earlier,
                           ladder=sanctions.LADDER, reasons=review.REASONS), status


@bp.route("/items/<int:item_id>")
@role_required("moderator")
def item(item_id: int):
    return _item_page(_item_or_404(item_id))


@bp.route("/items/<int:item_id>/claim", methods=["POST"])
@role_required("moderator")
def claim(item_id: int):
    found = _item_or_404(item_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if review.claim(found, me()):
        flash("It's yours. Other moderators see that you're on it.", "success")
    else:
        name = found.claimed_by.display_name if found.claimed_by else "Someone"
        flash(f"{name} is already looking at this one.", "info")
    return redirect(url_for("moderation.item", item_id=found.id))


@bp.route("/items/<int:item_id>/release", methods=["POST"])
@role_required("moderator")
def release(item_id: int):
    found = _item_or_404(item_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if review.release(found, me()):
        flash("Given back to the queue.", "success")
    return redirect(url_for("moderation.item", item_id=found.id))


@bp.route("/messages/<int:message_id>/review", methods=["POST"])
@role_required("moderator")
def review_message(message_id: int):
    message = db.session.get(Message, message_id)
    if message is None or not review.may_review(me(), message.group_id):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if message.held_at is None or message.held_reason not in sanctions.APPROVABLE:
        flash("This message isn't held back, so there's nothing to approve.", "info")
        return redirect(request.referrer or url_for("moderation.queue"))
    return redirect(url_for("moderation.item", item_id=review.review_held(message, me()).id))


def _apply(found, form) -> str:
    """Carry out the chosen action on the item; returns what to tell the moderator."""
    action, reason, message, by = form.action.data, form.reason.data, found.message, me()
    subject = found.subject
    if action == "dismiss":
        sanctions.dismiss(found, by, reason)
        return "Dismissed. The reporters are told it was reviewed."
    if action == "approve":
        sanctions.approve(message, by, reason, item=found)
        return "Approved. The group can see the message now."
    if action == "hide":
        sanctions.hide(message, by, reason, item=found)
        return "Hidden. The author has been told why, and the group's pages drop it."
    if subject is None:
        raise ReviewError("The author's account is gone; you can dismiss or hide the message.")
    if action == "warn":
        sanctions.warn(subject, found.group_id, by, reason, item=found)
        return f"{subject.display_name} has a private warning with your reason."
    if action == "mute":
        sanctions.mute(subject, found.group_id, by, reason, hours=int(form.hours.data), item=found)
        return f"{subject.display_name}'s messages in this group are paused."
    if action == "remove":
        sanctions.remove(subject, found.group_id, by, reason, item=found)
        return f"{subject.display_name} has been removed from the group."
    if action == "suspend":
        if form.days.data is None:
            raise ReviewError("Please say for how many days.")
        sanctions.suspend(subject, by, reason, days=form.days.data, item=found)
        return f"{subject.display_name}'s account is suspended from chat."
    raise ReviewError("Please choose what to do.")


@bp.route("/items/<int:item_id>/act", methods=["POST"])
@role_required("moderator")
def act(item_id: int):
    found = _item_or_404(item_id)
    form = ItemActionForm()
    if form.action.data != "mute":
        form.hours.data = "24"  # only a pause needs a length; ignore whatever else came with the form
    if not form.validate_on_submit():
        return _item_page(found, form, 400)
    if found.status == "closed":
        flash("Another moderator dealt with this while you were looking; nothing more was changed.", "info")
        return redirect(url_for("moderation.item", item_id=found.id))
    try:
        done = _apply(found, form)
    except ReviewError as exc:
        db.session.rollback()
        form.action.errors.append(str(exc))
        return _item_page(found, form, 409)
    flash(done, "success")
    return redirect(url_for("moderation.queue"))


def _action_or_404(action_id: int) -> ModerationAction:
    action = db.session.get(ModerationAction, action_id)
    if action is None or not (me().role == "admin" or (action.group_id and review.may_review(me(), action.group_id))):
        abort(404)
    return action


@bp.route("/actions/<int:action_id>/restore", methods=["GET", "POST"])
@role_required("moderator")
def restore(action_id: int):
    action = _action_or_404(action_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            sanctions.restore(action, me(), form.reason.data)
        except ReviewError as exc:
            db.session.rollback()
            form.reason.errors.append(str(exc))
            return render_template("moderation/restore.html", form=form, action=action), 409
        flash("Restored, and the member has been told.", "success")
        return redirect(url_for("moderation.log"))
    audit("moderation_record_viewed", actor_id=me().id, subject_id=action.subject_id, action_id=action.id)
    db.session.commit()
    return render_template("moderation/restore.html", form=form, action=action), 400 if form.errors else 200


@bp.route("/appeals/<int:appeal_id>", methods=["GET", "POST"])
@role_required("moderator")
def appeal_decision(appeal_id: int):
    filed = db.session.get(Appeal, appeal_id)
    if filed is None or not appeals.may_decide(me(), filed):
        abort(404)
    form = DecideForm()
    if form.validate_on_submit():
        try:
            appeals.decide(filed, me(), form.decision.data == "overturn", form.reason.data)
        except ReviewError as exc:
            db.session.rollback()
            form.decision.errors.append(str(exc))
            return render_template("moderation/appeal_decide.html", form=form, appeal=filed), 409
        flash("Decided, and the member has been told.", "success")
        return redirect(url_for("moderation.queue"))
    audit("appeal_viewed", actor_id=me().id, subject_id=filed.member_id, appeal_id=filed.id)
    db.session.commit()
    return render_template("moderation/appeal_decide.html", form=form, appeal=filed), 400 if form.errors else 200


@bp.route("/log")
@role_required("moderator")
def log():
    text = request.args.get("q", "")[:100]
    kind = request.args.get("kind", "")
    kind = kind if kind in sanctions.LOG_KINDS else ""
    group_id = parse_id(request.args.get("group", ""))
    rows = appeals.search_log(me(), text, kind, group_id)
    page = render_template("moderation/log.html", rows=rows, q=text, kind=kind, group_id=group_id,
                           kinds=sanctions.LOG_KINDS)
    # Each member listed had their moderation record read (the admins' access log); after the
    # render, so the commit doesn't expire the rows the page is made from.
    for subject_id in sorted({a.subject_id for a in rows if a.subject_id and a.subject_id != me().id}):
        audit("moderation_record_viewed", actor_id=me().id, subject_id=subject_id, via="log")
    db.session.commit()
    return page


@bp.route("/groups/<int:group_id>/chat")
@role_required("moderator")
def group_chat(group_id: int):
    """The group's recent chat as moderators see it: hidden and held messages included, marked."""
    group = db.session.get(Group, group_id)
    if group is None or not review.may_review(me(), group_id):
        abort(404)
    rows = list(db.session.scalars(db.select(Message).where(Message.group_id == group_id)
                                   .order_by(Message.id.desc()).limit(CHAT_VIEW_LIMIT)))
    # A staff read of each writer's messages, held and hidden ones too (the admins' access log).
    for author_id in sorted({m.author_id for m in rows if m.author_id and m.author_id != me().id}) or [None]:
        audit("group_chat_viewed", actor_id=me().id, subject_id=author_id, group_id=group_id)
    db.session.commit()
    return render_template("moderation/group_chat.html", group=group, messages=list(reversed(rows)))
