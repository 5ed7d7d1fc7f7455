"""The review queue beside escalations: members' reports and filter holds, one item per message,
ranked by severity then age, claimable so two moderators don't work the same item, and a live
count pushed to every moderator who may handle it.
"""
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from community.chat import services as chat  # a module: chat.services imports moderation back
from community.extensions import db, socketio
from community.models import (
    Escalation,
    GroupModerator,
    Message,
    ModerationAction,
    Report,
    ReviewItem,
    User,
)
from community.models.base import utcnow
from community.moderation.escalations import SEVERITY, audit, handled_by

REASONS = {
    "harassment": "Harassment or bullying",
    "hate": "Hate",
    "spam": "Spam",
    "unsafe": "Unsafe content",
    "worried": "I'm worried about this person",
    "other": "Something else",
}
# Lower is more urgent; crisis (0) and concern (1) escalations share the scale.
REPORT_SEVERITY = {"unsafe": 1, "harassment": 2, "hate": 2, "spam": 3, "other": 3}
HOLD_SEVERITY = 2
NOTE_LENGTH = 1000
CONTEXT = 10  # messages either side of the one under review
HISTORY_DAYS = 90
CLAIM_MINUTES = 30  # an older claim no longer stops someone else taking the item
log = logging.getLogger(__name__)


class ReviewError(Exception):
    """Why it can't be done, in words the person can act on; nothing was changed."""


def may_review(user: User, group_id: int) -> bool:
    """Admins review every group; moderators the groups assigned to them."""
    if not user.is_authenticated or not user.has_role("moderator"):
        return False
    if user.role == "admin":
        return True
    return bool(db.session.scalar(select(GroupModerator.user_id).where(
        GroupModerator.group_id == group_id, GroupModerator.user_id == user.id)))


def _moderated_group_ids(user: User):
    return select(GroupModerator.group_id).where(GroupModerator.user_id == user.id)


# --- reports --------------------------------------------------------------------------------

def reportable(reporter: User, message: Message | None) -> Message:
    """The message, if this person may report it; otherwise a ReviewError a 404 can stand on."""
    if (message is None or message.kind != "member" or message.hidden_at is not None
            or not chat.can_read(reporter, message.group_id)
            or (message.held_at is not None and message.author_id != reporter.id)):
        raise ReviewError("That message isn't one you can see.")
    return message


def report(reporter: User, message: Message, reason: str, note: str = "") -> Report:
    """Store the report and add it to the message's review item (opening or reopening it)."""
    reportable(reporter, message)
    if message.author_id == reporter.id:
        raise ReviewError("That's your own message, so there's nothing to report. If you wish you hadn't "
                          "sent it, that happens to everyone; a short follow-up in the chat usually does it.")
    if reason not in REPORT_SEVERITY:
        raise ReviewError("Please choose one of the reasons.")
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        raise ReviewError(f"Please keep the note to {NOTE_LENGTH:,} characters or fewer.")
    if already_reported(reporter, message):
        raise ReviewError("You've already reported this message. Thank you; a moderator will look at it.")
    for attempt in range(2):
        now = utcnow()
        item = _item_for(message.id, message.group_id, message.author_id, "report", REPORT_SEVERITY[reason],
                         REASONS[reason], now)
        filed = Report(item=item, message_id=message.id, reporter_id=reporter.id, reason=reason, note=note,
                       created_at=now)
        db.session.add(filed)
        try:
            db.session.flush()
            break
        except IntegrityError:  # a second tab, or another reporter opening the same item just now
            db.session.rollback()
            if attempt or already_reported(reporter, message):
                raise ReviewError("You've already reported this message. Thank you; a moderator will "
                                  "look at it.") from None
    audit("message_reported", actor_id=reporter.id, subject_id=message.author_id, message_id=message.id,
          item_id=item.id, reason=reason)
    db.session.commit()
    push_counts(message.group_id)
    return filed


def already_reported(reporter: User, message: Message) -> bool:
    return db.session.scalar(select(Report.id).where(Report.reporter_id == reporter.id,
                                                     Report.message_id == message.id)) is not None


def _item_for(message_id: int, group_id: int, subject_id: int | None, kind: str, severity: int, detail: str,
              now: datetime) -> ReviewItem:
    """The open item for this message, made more urgent if need be; a closed one reopens."""
    item = db.session.scalar(select(ReviewItem).where(ReviewItem.message_id == message_id,
                                                      ReviewItem.kind == kind).with_for_update())
    if item is None:
        item = ReviewItem(kind=kind, severity=severity, message_id=message_id, group_id=group_id,
                          subject_id=subject_id, status="open", detail=detail[:280], created_at=now)
        db.session.add(item)  # a race with another opener fails the caller's flush; report() retries
    if item.status == "closed":
        item.status, item.closed_at, item.closed_by_id, item.outcome = "open", None, None, None
        item.claimed_by_id = item.claimed_at = None
        item.created_at = now
    item.severity = min(item.severity, severity)
    return item


def hold_for_review(message_id: int, group_id: int, author_id: int, rule: str, now: datetime) -> ReviewItem:
    """A filter held this (not yet committed) message: queue it, in the caller's transaction."""
    return _item_for(message_id, group_id, author_id, "hold", HOLD_SEVERITY,
                     f"Held by the filter rule \u201c{rule}\u201d", now)


def review_held(message: Message, by: User) -> ReviewItem:
    """A message the safety check held back (harassment) gets a review item too, so a moderator
    can approve it, hide it or act on its writer with the same tools as any report."""
    item = _item_for(message.id, message.group_id, message.author_id, "hold", HOLD_SEVERITY,
                     "Held back by the safety check (unkind to someone)", utcnow())
    audit("review_item_opened", actor_id=by.id, subject_id=message.author_id, message_id=message.id)
    db.session.commit()
    return item


# --- the queue ------------------------------------------------------------------------------

@dataclass
class Entry:
    """One line of the combined queue: an escalation or a review item."""
    severity: int
    created_at: datetime
    kind: str  # "crisis", "concern", "report", "hold"
    obj: Escalation | ReviewItem


def open_items(user: User) -> list[ReviewItem]:
    query = select(ReviewItem).where(ReviewItem.status == "open")
    if user.role != "admin":
        query = query.where(ReviewItem.group_id.in_(_moderated_group_ids(user)))
    return list(db.session.scalars(query.order_by(ReviewItem.severity, ReviewItem.created_at, ReviewItem.id)))


def ranked(user: User, escalations: list[Escalation]) -> list[Entry]:
    """Escalations and review items in one list: most severe first, oldest first within."""
    entries = [Entry(SEVERITY.get(e.level, 1), e.created_at, e.level, e) for e in escalations]
    entries += [Entry(i.severity, i.created_at, i.kind, i) for i in open_items(user)]
    return sorted(entries, key=lambda e: (e.severity, e.created_at, e.kind, e.obj.id))


def waiting_count(user: User) -> int:
    """What the navigation shows: open review items and unacknowledged escalations."""
    if not user.is_authenticated or not user.has_role("moderator"):
        return 0
    items = select(func.count(ReviewItem.id)).where(ReviewItem.status == "open")
    if user.role != "admin":
        items = items.where(ReviewItem.group_id.in_(_moderated_group_ids(user)))
    opened = select(func.count(Escalation.id)).where(Escalation.status == "open", handled_by(user))
    return (db.session.scalar(items) or 0) + (db.session.scalar(opened) or 0)


def _reviewers(group_id: int | None) -> list[int]:
    admins = select(User.id).where(User.role == "admin")
    if group_id is None:
        return sorted(db.session.scalars(select(User.id).where(User.role.in_(("moderator", "admin")))))
    assigned = select(GroupModerator.user_id).join(User, User.id == GroupModerator.user_id).where(
        GroupModerator.group_id == group_id, User.role.in_(("moderator", "admin")))
    return sorted(set(db.session.scalars(admins)) | set(db.session.scalars(assigned)))


def push_counts(group_id: int | None) -> None:
    """After a commit: tell each moderator of the group (and admins) their new queue count."""
    for user_id in _reviewers(group_id):
        user = db.session.get(User, user_id)
        try:
            socketio.emit("review_count", {"count": waiting_count(user)}, to=chat.user_room(user_id))
        except Exception:  # noqa: BLE001 - the count is also drawn on every page load
            log.exception("queue count for moderator %s not pushed", user_id)


# --- one item -------------------------------------------------------------------------------

@dataclass
class ItemView:
    item: ReviewItem
    context: list[Message]  # oldest first, the item's message among them
    reports: list[Report]
    history: list[ModerationAction]  # actions on the author in the last HISTORY_DAYS days
    earlier_reports: int  # reports of the author's other messages in that time


def item_or_none(user: User, item_id: int) -> ReviewItem | None:
    item = db.session.get(ReviewItem, item_id)
    return item if item is not None and may_review(user, item.group_id) else None


def view(item: ReviewItem, by: User) -> ItemView:
    audit("review_item_viewed", actor_id=by.id, subject_id=item.subject_id, item_id=item.id)
    db.session.commit()
    message = item.message
    around = select(Message).where(Message.group_id == message.group_id)
    before = db.session.scalars(around.where(Message.id < message.id).order_by(Message.id.desc()).limit(CONTEXT))
    after = db.session.scalars(around.where(Message.id > message.id).order_by(Message.id).limit(CONTEXT))
    since = utcnow() - timedelta(days=HISTORY_DAYS)
    history, earlier = [], 0
    if item.subject_id is not None:
        history = list(db.session.scalars(select(ModerationAction).where(
            ModerationAction.subject_id == item.subject_id, ModerationAction.created_at >= since,
            ModerationAction.kind.not_in(("dismiss", "approve")))
            .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())))
        earlier = db.session.scalar(select(func.count(Report.id)).join(Message, Message.id == Report.message_id).where(
            Message.author_id == item.subject_id, Report.message_id != message.id, Report.created_at >= since)) or 0
    return ItemView(item, [*reversed(list(before)), message, *after], list(item.reports), history, earlier)


def claim(item: ReviewItem, by: User, now: datetime | None = None) -> bool:
    """Mark the item as being worked on by this moderator. False if someone else holds a fresh claim."""
    now = now or utcnow()
    stale = now - timedelta(minutes=CLAIM_MINUTES)
    taken = db.session.execute(
        update(ReviewItem).where(
            ReviewItem.id == item.id, ReviewItem.status == "open",
            or_(ReviewItem.claimed_by_id.is_(None), ReviewItem.claimed_by_id == by.id, ReviewItem.claimed_at < stale))
        .values(claimed_by_id=by.id, claimed_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if taken:
        audit("review_item_claimed", actor_id=by.id, subject_id=item.subject_id, item_id=item.id)
    db.session.commit()
    db.session.refresh(item)
    return bool(taken)


def release(item: ReviewItem, by: User) -> bool:
    """Give the item back to the queue (the claimer, or an admin)."""
    if item.claimed_by_id is None or (item.claimed_by_id != by.id and by.role != "admin"):
        return False
    item.claimed_by_id = item.claimed_at = None
    audit("review_item_released", actor_id=by.id, subject_id=item.subject_id, item_id=item.id)
    db.session.commit()
    return True
