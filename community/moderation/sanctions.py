"""What moderators do about a message or a member, each with a reason: dismiss, approve a held
message, hide, warn, mute, remove from a group, suspend (admins only), and restore any of them.

Each is one transaction: the change, its moderation-log row, its audit row, the member's
notification, and the reporters' "reviewed" notes. Real-time events go out only after the commit.
Sanctions follow a written ladder so members are treated alike; nothing here bans anyone on its own.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from community.activities.rsvp import release_after_leaving
from community.chat import services as chat  # a module: chat.services imports moderation back
from community.extensions import db, socketio
from community.models import Membership, Message, ModerationAction, Report, ReviewItem, User
from community.models.base import utcnow
from community.moderation.escalations import audit
from community.moderation.review import ReviewError, may_review, push_counts
from community.notifications.services import notify

REASON_LENGTH = 1000
MUTE_HOURS_DEFAULT = 24
MUTE_HOURS_MAX = 7 * 24
SUSPEND_DAYS_MAX = 365
LADDER_DAYS = 180  # sanctions older than this no longer count towards the next step


@dataclass(frozen=True)
class Step:
    kind: str
    hours: int | None
    label: str


# The written, visible ladder (also on the guidelines page): each further breach takes the next step.
LADDER = (
    Step("warn", None, "A private warning"),
    Step("mute", 24, "A 24-hour pause in the group's chat"),
    Step("mute", 7 * 24, "A 7-day pause in the group's chat"),
    Step("remove", None, "Removal from the group"),
)
SANCTIONS = ("warn", "mute", "remove", "suspend")
LOG_KINDS = ("dismiss", "approve", "hide", "warn", "mute", "remove", "suspend", "restore")
APPEALABLE = ("hide", "mute", "remove")
APPROVABLE = ("filter", "harassment")  # held for review; "means" and "paused" stay with the moderators


def next_step(subject_id: int, now: datetime | None = None) -> tuple[Step, list[ModerationAction]]:
    """The ladder's next step for this member, and the earlier sanctions that put them there."""
    since = (now or utcnow()) - timedelta(days=LADDER_DAYS)
    earlier = list(db.session.scalars(select(ModerationAction).where(
        ModerationAction.subject_id == subject_id, ModerationAction.kind.in_(SANCTIONS),
        ModerationAction.restored_at.is_(None), ModerationAction.created_at >= since)
        .order_by(ModerationAction.created_at)))
    return LADDER[min(len(earlier), len(LADDER) - 1)], earlier


def clean_reason(raw) -> str:
    reason = (raw or "").strip() if isinstance(raw, str) else ""
    if not reason:
        raise ReviewError("Please give a reason. The member sees it, and it keeps decisions fair.")
    if len(reason) > REASON_LENGTH:
        raise ReviewError(f"Please keep the reason to {REASON_LENGTH:,} characters or fewer.")
    return reason


def _allowed(by: User, group_id: int | None) -> None:
    if group_id is None or not may_review(by, group_id):
        raise ReviewError("Only a moderator of this group can do that.")


def _record(kind: str, by: User, reason: str, *, subject_id=None, group_id=None, message=None, item=None,
            ends_at=None, restores=None, now: datetime) -> ModerationAction:
    action = ModerationAction(kind=kind, actor_id=by.id, subject_id=subject_id, group_id=group_id,
                              message_id=message.id if message else None, item_id=item.id if item else None,
                              reason=reason, created_at=now, ends_at=ends_at,
                              restores_id=restores.id if restores else None)
    db.session.add(action)
    db.session.flush()
    audit(f"moderation_{kind}", actor_id=by.id, subject_id=subject_id, action_id=action.id,
          group_id=group_id, message_id=action.message_id, item_id=action.item_id)
    return action


def _close(item: ReviewItem | None, by: User, outcome: str, now: datetime) -> None:
    """Close the item and tell each reporter, once, that their report was reviewed."""
    if item is None or item.status == "closed":
        return
    item.status, item.closed_at, item.closed_by_id, item.outcome = "closed", now, by.id, outcome
    for filed in db.session.scalars(select(Report).where(Report.item_id == item.id, Report.reviewed_at.is_(None))):
        filed.reviewed_at = now
        notify(filed.reporter_id, "report_reviewed",
               "Thank you for your report. A moderator has reviewed the message you reported.")


def _after(group_id: int | None, *events: tuple[str, dict, str]) -> None:
    for name, data, to in events:
        socketio.emit(name, data, to=to)
    push_counts(group_id)


def _membership(subject_id: int, group_id: int) -> Membership | None:
    return db.session.scalar(select(Membership).where(
        Membership.user_id == subject_id, Membership.group_id == group_id, Membership.left_at.is_(None)))


def _appeal_note(kind: str) -> str:
    return (" If you think this wasn't fair, you can ask for a different moderator to look again "
            "from your moderation record.") if kind in APPEALABLE else ""


# --- on an item -----------------------------------------------------------------------------

def dismiss(item: ReviewItem, by: User, reason) -> ModerationAction:
    """Nothing needs doing. A held message can't be dismissed: approve it or hide it."""
    _allowed(by, item.group_id)
    reason = clean_reason(reason)
    if item.status == "closed":
        raise ReviewError("This item has already been dealt with.")
    if item.kind == "hold" and item.message.held_at is not None:
        raise ReviewError("This message is being held back. Please approve it or hide it.")
    now = utcnow()
    action = _record("dismiss", by, reason, subject_id=item.subject_id, group_id=item.group_id,
                     message=item.message, item=item, now=now)
    _close(item, by, "dismissed", now)
    db.session.commit()
    _after(item.group_id)
    return action


def approve(message: Message, by: User, reason, item: ReviewItem | None = None) -> ModerationAction:
    """Deliver a message held for review (by a filter, or by the safety check as unkind); the
    group sees it from now on."""
    _allowed(by, message.group_id)
    reason = clean_reason(reason)
    if message.held_at is None or message.held_reason not in APPROVABLE:
        raise ReviewError("This message isn't waiting for approval.")
    now = utcnow()
    message.held_at, message.held_reason = None, None
    action = _record("approve", by, reason, subject_id=message.author_id, group_id=message.group_id,
                     message=message, item=item, now=now)
    _close(item, by, "approved", now)
    db.session.commit()
    _after(message.group_id, ("message", chat.as_event(message), chat.room(message.group_id)))
    return action


def hide(message: Message, by: User, reason, item: ReviewItem | None = None) -> ModerationAction:
    """Take a message out of the group's view. The author is told why; the room drops it live."""
    _allowed(by, message.group_id)
    reason = clean_reason(reason)
    if message.hidden_at is not None:
        raise ReviewError("This message is already hidden.")
    now = utcnow()
    message.hidden_at, message.hidden_by_id = now, by.id
    action = _record("hide", by, reason, subject_id=message.author_id, group_id=message.group_id,
                     message=message, item=item, now=now)
    if message.author_id is not None:
        notify(message.author_id, "message_hidden",
               f"A moderator hid one of your messages in {message.group.name}. The reason they gave: {reason}"
               + _appeal_note("hide"), link="/moderation/record")
    _close(item, by, "hidden", now)
    db.session.commit()
    _after(message.group_id, ("message_hidden", {"id": message.id, "group_id": message.group_id},
                              chat.room(message.group_id)))
    return action


# --- on a member ----------------------------------------------------------------------------

def warn(subject: User, group_id: int, by: User, reason, item: ReviewItem | None = None) -> ModerationAction:
    _allowed(by, group_id)
    reason = clean_reason(reason)
    now = utcnow()
    action = _record("warn", by, reason, subject_id=subject.id, group_id=group_id,
                     message=item.message if item else None, item=item, now=now)
    notify(subject.id, "warning", f"A note from the moderators: {reason}", link="/moderation/record")
    _close(item, by, "warned", now)
    db.session.commit()
    _after(group_id)
    return action


def mute(subject: User, group_id: int, by: User, reason, hours=MUTE_HOURS_DEFAULT,
         item: ReviewItem | None = None) -> ModerationAction:
    _allowed(by, group_id)
    reason = clean_reason(reason)
    if not isinstance(hours, int) or not 1 <= hours <= MUTE_HOURS_MAX:
        raise ReviewError(f"A pause lasts from 1 hour to {MUTE_HOURS_MAX // 24} days.")
    membership = _membership(subject.id, group_id)
    if membership is None:
        raise ReviewError("They aren't in this group any more.")
    now = utcnow()
    membership.muted_until, membership.muted_reason = now + timedelta(hours=hours), reason[:280]
    action = _record("mute", by, reason, subject_id=subject.id, group_id=group_id,
                     message=item.message if item else None, item=item, ends_at=membership.muted_until, now=now)
    notify(subject.id, "muted", f"A moderator has paused your messages in {membership.group.name} for "
                                f"{_duration(hours)}. The reason they gave: {reason} You can still read the group."
           + _appeal_note("mute"), link="/moderation/record")
    _close(item, by, "muted", now)
    db.session.commit()
    _after(group_id)
    return action


def remove(subject: User, group_id: int, by: User, reason, item: ReviewItem | None = None) -> ModerationAction:
    _allowed(by, group_id)
    reason = clean_reason(reason)
    membership = _membership(subject.id, group_id)
    if membership is None:
        raise ReviewError("They aren't in this group any more.")
    now = utcnow()
    membership.left_at, membership.left_reason = now, "removed"
    release_after_leaving(subject, group_id, now)
    action = _record("remove", by, reason, subject_id=subject.id, group_id=group_id,
                     message=item.message if item else None, item=item, now=now)
    notify(subject.id, "removed", f"A moderator has removed you from {membership.group.name}. The reason they "
                                  f"gave: {reason}" + _appeal_note("remove"), link="/moderation/record")
    _close(item, by, "removed", now)
    db.session.commit()
    _after(group_id)
    return action


def suspend(subject: User, by: User, reason, days: int, item: ReviewItem | None = None) -> ModerationAction:
    """Admins only: no chat anywhere until the date, with the reason shown to them."""
    if by.role != "admin":
        raise ReviewError("Only an admin can suspend an account.")
    reason = clean_reason(reason)
    if not isinstance(days, int) or not 1 <= days <= SUSPEND_DAYS_MAX:
        raise ReviewError(f"A suspension lasts from 1 to {SUSPEND_DAYS_MAX} days.")
    if subject.id == by.id:
        raise ReviewError("You can't suspend your own account.")
    now = utcnow()
    subject.suspended_until, subject.suspension_reason = now + timedelta(days=days), reason[:280]
    action = _record("suspend", by, reason, subject_id=subject.id, group_id=item.group_id if item else None,
                     message=item.message if item else None, item=item, ends_at=subject.suspended_until, now=now)
    notify(subject.id, "suspended", f"Your account is paused from chatting for {days} day{'s' if days != 1 else ''}. "
                                    f"The reason given: {reason} You can still read your groups.",
           link="/moderation/record")
    _close(item, by, "suspended", now)
    db.session.commit()
    _after(item.group_id if item else None)
    return action


def _duration(hours: int) -> str:
    if hours % 24 == 0:
        days = hours // 24
        return f"{days} day{'s' if days != 1 else ''}"
    return f"{hours} hour{'s' if hours != 1 else ''}"


# --- undoing --------------------------------------------------------------------------------

def restore(action: ModerationAction, by: User, reason, *, via_appeal: bool = False) -> ModerationAction:
    """Undo a hide, mute, removal, suspension or warning, with a reason, as a new log row."""
    if action.kind == "suspend" and by.role != "admin":
        raise ReviewError("Only an admin can lift a suspension.")
    if action.kind != "suspend":
        _allowed(by, action.group_id)
    reason = clean_reason(reason)
    if action.kind not in ("hide", "warn", "mute", "remove", "suspend"):
        raise ReviewError("That action can't be restored.")
    if action.restored_at is not None:
        raise ReviewError("This has already been restored.")
    now = utcnow()
    events = []
    subject_id, group_id = action.subject_id, action.group_id
    if action.kind == "hide" and action.message is not None:
        message = action.message
        message.hidden_at = message.hidden_by_id = None
        if message.held_at is None:
            events.append(("message", chat.as_event(message), chat.room(message.group_id)))
    elif action.kind == "mute" and subject_id is not None:
        membership = _membership(subject_id, group_id)
        if membership is not None:
            membership.muted_until = membership.muted_reason = None
    elif action.kind == "remove" and subject_id is not None:
        if _membership(subject_id, group_id) is None:
            db.session.add(Membership(group_id=group_id, user_id=subject_id, role="member", source="manual",
                                      joined_at=now))
    elif action.kind == "suspend" and action.subject is not None:
        action.subject.suspended_until = action.subject.suspension_reason = None
    action.restored_at = now
    restored = _record("restore", by, reason, subject_id=subject_id, group_id=group_id, message=action.message,
                       restores=action, now=now)
    if subject_id is not None:
        what = {"hide": "Your hidden message is visible again", "warn": "A warning on your account was withdrawn",
                "mute": "Your messages are no longer paused", "remove": "You're back in the group",
                "suspend": "Your account is no longer paused"}[action.kind]
        notify(subject_id, "restored", f"{what}. " + ("After your appeal, another moderator looked again. "
                                                      if via_appeal else "") + f"The reason given: {reason}",
               link="/moderation/record")
    db.session.commit()
    _after(group_id, *events)
    return restored
