"""The read-only transcript: a group's chat as plain pages, for reading without JavaScript.

Pages run newest first, 50 messages each, oldest first within the page; `?before=<id>` shows the
50 visible messages before that id. The access rule is the chat's own (services.can_read), and
anyone else gets a 404, so a group's existence isn't revealed. Hidden messages are never shown;
held ones only to their writer.
"""
from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from community.chat import bp, services
from community.chat.text import linkify
from community.extensions import db
from community.ids import parse_id
from community.models import Group, Message
from community.moderation.blocks import blocked_ids
from community.moderation.escalations import audit


@bp.app_template_filter("linkify")
def linkify_filter(text):
    return linkify(text)


@bp.app_template_global("chat_can_read")
def chat_can_read(group) -> bool:
    """Whether the signed-in person may read (and so see) this group's chat."""
    return current_user.is_authenticated and services.can_read(current_user, group)


def _before_param() -> int | None:
    raw = request.args.get("before", "")
    if not raw:
        return None
    before = parse_id(raw)
    if before is None:
        abort(404)
    return before


def _later_link(group_id: int, last_id: int) -> str | None:
    """The page after this one, as the `before` page that holds exactly the next 50 messages."""
    after = select(Message.id).where(
        Message.group_id == group_id, services.visible_to(current_user.id), Message.id > last_id
    ).order_by(Message.id)
    ids = list(db.session.scalars(after.limit(services.PAGE_SIZE + 1)))
    if not ids:
        return None
    if len(ids) <= services.PAGE_SIZE:
        return url_for("chat.transcript", group_id=group_id)  # the latest page
    return url_for("chat.transcript", group_id=group_id, before=ids[services.PAGE_SIZE])


@bp.route("/groups/<int:group_id>/chat/transcript")
@login_required
def transcript(group_id: int):
    group = db.session.get(Group, group_id)
    if group is None or not services.can_read(current_user, group):
        abort(404)
    before = _before_param()
    if before is None:
        messages, has_earlier = services.recent(group.id, viewer_id=current_user.id)
    else:
        messages, has_earlier = services.earlier(group.id, before, viewer_id=current_user.id)
    earlier_url = later_url = None
    if messages:
        if has_earlier:
            earlier_url = url_for("chat.transcript", group_id=group.id, before=messages[0].id)
        if before is not None:
            later_url = _later_link(group.id, messages[-1].id)
    elif before is not None:
        later_url = url_for("chat.transcript", group_id=group.id)
    total = db.session.scalar(
        select(func.count()).select_from(Message)
        .where(Message.group_id == group.id, services.visible_to(current_user.id))
    )
    if not services.is_member(current_user, group.id):
        # Staff reading a group they aren't in: each writer's messages go in the admins' access log.
        for author_id in sorted({m.author_id for m in messages if m.author_id}) or [None]:
            audit("group_transcript_viewed", actor_id=current_user.id, subject_id=author_id, group_id=group.id)
        db.session.commit()
    return render_template(
        "chat/transcript.html", group=group, messages=messages, earlier_url=earlier_url,
        later_url=later_url, is_latest=before is None, total=total, blocked_ids=blocked_ids(current_user),
    )
