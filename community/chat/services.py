"""Chat actions: who may read and write a group's chat, storing a message (once, however often
the client retries), and reading history. Socket handlers and pages call these; they never
broadcast anything themselves: that happens only after the commit, in events.py.
"""
import re
from dataclasses import dataclass, replace
from datetime import datetime

import redis
from flask import current_app
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import bindparam, exists, insert, or_, select
from sqlalchemy.exc import IntegrityError

from community.chat.hot_path import DriverStatement
from community.extensions import db, limiter
from community.ids import parse_id
from community.models import ConversationRound, Group, Membership, Message, RoundTurn, User
from community.models.base import utcnow
from community.models.chat import GroupModerator
from community.moderation import escalations, filtering, review
from community.safety import Assessment, assess, means_or_method

PAGE_SIZE = 50
CATCH_UP_LIMIT = 500  # per join; the client joins again from the last id while has_more
MAX_BODY = 2000
MAX_CLIENT_ID = 64
NOT_A_MEMBER = "not a member of this group"
FORMER_MEMBER = "Former member"  # who wrote a message kept after its writer deleted their account
# Control characters (Unicode category Cc) break layouts and can hide text; bidi overrides can
# disguise links. Newlines stay, tabs become spaces; zero-width joiners stay, emoji need them.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\ufeff]")
# Half an emoji (a JavaScript string cut between its two halves arrives as a lone surrogate) can't
# be stored as UTF-8: shown as the replacement character, so the rest of the message is saved.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Neither can a client id holding one of those, or a NUL (PostgreSQL refuses it).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class ChatError(Exception):
    """A reason a person can read, sent back in the ack as {ok: false, error}."""


@dataclass(frozen=True)
class Sent:
    message: dict  # the `message` event's payload
    created: bool  # False when a retry found the original
    level: str = "none"  # what the safety check found: none, concern or crisis
    held: str | None = None  # why the group doesn't see it (HELD_REASONS), if it doesn't
    escalation_id: int | None = None
    held_note: str | None = None  # what the writer is told about a filter hold, when there is one


def clean_body(raw) -> str:
    if not isinstance(raw, str):
        raise ChatError("A message needs some text.")
    text = _LONE_SURROGATE.sub("\ufffd", raw).replace("\r\n", "\n").replace("\t", "    ")
    text = _UNSAFE.sub("", text).strip()
    if not text:
        raise ChatError("A message needs some text.")
    if len(text) > MAX_BODY:
        raise ChatError(f"That message is {len(text):,} characters; the most is {MAX_BODY:,}. Could you split it in two?")
    return text


def group_id_from(data) -> int:
    value = parse_id(data.get("group_id") if isinstance(data, dict) else None)
    if value is None:
        raise ChatError("Which group? group_id is missing or not a number.")
    return value


def optional_id(data, key: str) -> int | None:
    value = data.get(key) if isinstance(data, dict) else None
    if value is None:
        return None
    if isinstance(value, str) or parse_id(value) is None:  # a number, as the client sends it
        raise ChatError(f"{key} must be a message id.")
    return value


def _active_membership(user: User, group_id: int) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.group_id == group_id, Membership.user_id == user.id, Membership.left_at.is_(None)
        )
    )


def is_member(user: User, group_id: int) -> bool:
    return _active_membership(user, group_id) is not None


def can_read(user: User, group: Group | int) -> bool:
    """Members of the group, moderators assigned to it, and admins."""
    group_id = group if isinstance(group, int) else group.id
    if not user.is_authenticated:
        return False
    if user.role == "admin":
        return db.session.get(Group, group_id) is not None
    if _active_membership(user, group_id) is not None:
        return True
    return user.role == "moderator" and bool(db.session.scalar(
        select(exists().where(GroupModerator.group_id == group_id, GroupModerator.user_id == user.id))
    ))


@dataclass(frozen=True)
class Sender:
    """Who is writing, as the connection knew them at connect time (no reload per message)."""

    id: int
    name: str
    role: str
    since: datetime | None = None  # when the account was made: new members' links wait for review


# Built once: composing a statement costs more than running it on the send path.
_STANDING = (
    select(Group.slow_mode_seconds, User.suspended_until, User.suspension_reason,
           Membership.id, Membership.muted_until, Membership.muted_reason)
    .select_from(Group)
    .join(User, User.id == bindparam("user_id"))
    .outerjoin(Membership, (Membership.group_id == Group.id) & (Membership.user_id == bindparam("user_id"))
               & Membership.left_at.is_(None))
    .where(Group.id == bindparam("group_id"))
)
_MESSAGES = Message.__table__
_INSERT = insert(_MESSAGES).returning(_MESSAGES.c.id)
_COLUMNS = ("group_id", "author_id", "kind", "body", "client_id", "created_at")
# The everyday send as one statement: store the message only if its author is an active, unmuted,
# unsuspended member of a group that isn't in slow mode. No row back means "not the everyday
# case" (a moderator, slow mode, a mute, a suspension, a stranger, a question round's current
# speaker) and send() looks closer.
_INSERT_IF_FREE_TO_WRITE = insert(_MESSAGES).from_select(
    list(_COLUMNS),
    select(*(bindparam(name, type_=_MESSAGES.c[name].type) for name in _COLUMNS))
    .select_from(Membership)
    .join(Group, Group.id == Membership.group_id)
    .join(User, User.id == Membership.user_id)
    .where(Membership.group_id == bindparam("group_id"), Membership.user_id == bindparam("author_id"),
           Membership.left_at.is_(None),
           or_(Membership.muted_until.is_(None), Membership.muted_until <= bindparam("created_at")),
           or_(User.suspended_until.is_(None), User.suspended_until <= bindparam("created_at")),
           Group.slow_mode_seconds == 0,
           # Whose turn it is in a question round: their message is their answer (_send_checked).
           ~exists().where(RoundTurn.user_id == bindparam("author_id"), RoundTurn.status == "current",
                           RoundTurn.round_id == ConversationRound.id,
                           ConversationRound.group_id == bindparam("group_id"),
                           ConversationRound.finished_at.is_(None))),
).returning(_MESSAGES.c.id)
_STORE_IF_FREE_TO_WRITE = DriverStatement(_INSERT_IF_FREE_TO_WRITE)


def _standing(sender: Sender, group_id: int):
    """One query for everything a send depends on: the group, the person's membership, mute,
    suspension and the group's slow mode. None when the group doesn't exist."""
    return db.session.connection().execute(_STANDING, {"user_id": sender.id, "group_id": group_id}).first()


def _refusal(sender: Sender, group_id: int, standing, now: datetime) -> str | None:
    """Why this person can't write here right now, in words they can act on; None if they can."""
    _, suspended_until, suspension_reason, membership_id, muted_until, muted_reason = standing
    if suspended_until and suspended_until > now:
        why = f" The reason given: {suspension_reason}" if suspension_reason else ""
        return f"Your account is paused from chatting until {suspended_until:%B %-d}.{why} You can still read your groups."
    if membership_id is None:
        user = db.session.get(User, sender.id)
        return None if user.has_role("moderator") and can_read(user, group_id) else NOT_A_MEMBER
    if muted_until and muted_until > now:
        why = f" The reason given: {muted_reason}" if muted_reason else ""
        return f"A moderator has paused your messages in this group until {muted_until:%B %-d, %-I:%M %p} UTC.{why}"
    return None


_local_limiter: FixedWindowRateLimiter | None = None


def _within_rate(limit, sender_id: int) -> bool:
    """Counted in Redis when there is one, shared by every process. While Redis is down people can
    still talk: this process counts on its own until it is back, so a flood is still slowed."""
    global _local_limiter
    try:
        return limiter.limiter.hit(limit, "chat-send", str(sender_id))
    except redis.RedisError:
        if _local_limiter is None:
            _local_limiter = FixedWindowRateLimiter(MemoryStorage())
        return _local_limiter.hit(limit, "chat-send", str(sender_id))


def _check_rate(sender: Sender, group_id: int, slow_mode_seconds: int, now: datetime, new_id: int) -> None:
    limit = parse(current_app.config["CHAT_RATE_LIMIT"])
    if not _within_rate(limit, sender.id):
        raise ChatError("You're sending quickly. Wait a few seconds, then try again; nothing was lost.")
    if slow_mode_seconds:
        last = db.session.scalar(
            select(Message.created_at).where(Message.group_id == group_id, Message.author_id == sender.id,
                                             Message.id < new_id)
            .order_by(Message.id.desc()).limit(1)
        )
        if last is not None and (now - last).total_seconds() < slow_mode_seconds:
            raise ChatError(f"This group is in slow mode: one message every {slow_mode_seconds} seconds. "
                            "Your text is still here; send it in a moment.")


def _original(sender: Sender, client_id: str, group_id: int) -> "Sent | None":
    found = db.session.scalar(select(Message).where(Message.author_id == sender.id, Message.client_id == client_id))
    if found is None:
        return None
    if found.group_id != group_id:
        raise ChatError("That client_id was already used for another message.")
    escalation = escalations.for_message(found.id)
    return Sent(as_event(found), created=False, level=escalation.level if escalation else "none",
                held=found.held_reason, escalation_id=escalation.id if escalation else None)


def send(sender: Sender, group_id: int, raw_body, client_id) -> Sent:
    """Store a message and commit it; the caller broadcasts only after this returns.

    The everyday path is one INSERT ... SELECT that checks the sender's standing as it stores,
    run on the driver (hot_path.py). A retry is recognised by the unique (author, client_id)
    constraint, not by a read first.
    """
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= MAX_CLIENT_ID or _UNSTORABLE.search(client_id):
        raise ChatError("client_id must be a short unique string made by the client.")
    body = clean_body(raw_body)
    assessment = assess(body)
    now = utcnow()
    filtered = filtering.decide(sender.id, sender.since, group_id, body, now)
    row = {"group_id": group_id, "author_id": sender.id, "kind": "member", "body": body,
           "client_id": client_id, "created_at": now}
    if assessment.level != "none" or filtered.action != "allow":  # stored with what it needs, in one transaction
        return _send_checked(sender, group_id, row, assessment, filtered)
    engine = db.engine

    def rate_check(new_id):  # retries (the IntegrityError below) never count
        _check_rate(sender, group_id, 0, now, new_id)

    try:
        new_id = _STORE_IF_FREE_TO_WRITE.run(engine, row, before_commit=rate_check)
    except engine.dialect.dbapi.IntegrityError:  # this client_id was stored before
        original = _original(sender, client_id, group_id)
        if original is None:
            raise
        return original
    if new_id is None:
        return _send_checked(sender, group_id, row, assessment, filtered)
    filtering.remember(sender.id, group_id, body, now)
    return _sent(sender, row, new_id)


def _send_checked(sender: Sender, group_id: int, row: dict, assessment: Assessment,
                  filtered: filtering.Decision | None = None) -> Sent:
    """Everything the one-statement path left out: say why someone can't write, let moderators
    write, keep slow mode, store a message the safety check flagged together with its escalation
    (and, for method or means, or harassment, held back from the group), and carry out what the
    group's filters decided: mask, hold for review, or block with a reason. A message the safety
    check flagged is never turned away by a filter: at most it is held."""
    standing = _standing(sender, group_id)
    if standing is None:
        raise ChatError(NOT_A_MEMBER)
    refusal = _refusal(sender, group_id, standing, row["created_at"])
    crisis = assessment.level == "crisis"
    if refusal:
        # A retry of something stored before the refusal still gets its original answer.
        original = _original(sender, row["client_id"], group_id) if refusal != NOT_A_MEMBER else None
        if original:
            return original
        if not crisis or refusal == NOT_A_MEMBER:
            raise ChatError(refusal)
    action = filtered.action if filtered is not None else "allow"
    if action == "block" and assessment.level == "none":
        original = _original(sender, row["client_id"], group_id)  # a retry of something stored before
        if original:
            return original
        filtering.record_block(filtered, group_id, sender.id, row["created_at"])
        raise ChatError(filtered.reason)
    written = row["body"]  # the flood and repeat rules compare what was written, not the masked text
    if action == "mask":
        row = {**row, "body": filtered.text}
    # Someone paused by a moderator who writes about ending their life is still heard: the
    # message is kept for the moderators (not the group), and they get the support card.
    held = "paused" if refusal else held_reason(assessment)
    if not held and action in ("hold", "block"):
        held = "filter"
    if held:
        row = {**row, "held_at": row["created_at"], "held_reason": held}
    try:
        new_id = db.session.connection().execute(_INSERT, row).scalar_one()
    except IntegrityError:  # this client_id was stored before: a retry gets the original
        db.session.rollback()
        original = _original(sender, row["client_id"], group_id)
        if original is None:
            raise
        return original
    if not crisis:  # a crisis is never turned away for sending quickly or slow mode
        _check_rate(sender, group_id, standing[0], row["created_at"], new_id)
    escalation_id = None
    if assessment.level != "none":
        escalation = escalations.open_for_message(
            level=assessment.level, categories=assessment.categories, message_id=new_id, user_id=sender.id,
            group_id=group_id, now=row["created_at"])
        db.session.flush()
        escalation_id = escalation.id
    if action != "allow":
        filtering.record(filtered, group_id, sender.id, new_id, row["created_at"])
    if held == "filter":
        rule = next((h.rule for h in filtered.hits if h.action in ("hold", "block")), "filter")
        review.hold_for_review(new_id, group_id, sender.id, rule, row["created_at"])
    from community.journey import rounds  # here: the journey imports chat

    rounds.answered(group_id, sender.id, new_id, row["created_at"])  # a held answer counts, quietly
    db.session.commit()
    filtering.remember(sender.id, group_id, written, row["created_at"])
    if held == "filter":
        review.push_counts(group_id)
    return replace(_sent(sender, row, new_id, held), level=assessment.level, held=held, escalation_id=escalation_id,
                   held_note=filtered.reason if held == "filter" and filtered.reason else None)


def held_reason(assessment: Assessment) -> str | None:
    """Held back from the group: a crisis message describing a method or means (others in the
    group may be vulnerable too), and harassment until a moderator has looked."""
    if assessment.level == "crisis" and means_or_method(assessment):
        return "means"
    if "harassment" in assessment.categories:
        return "harassment"
    return None


def _sent(sender: Sender, row: dict, new_id: int, held: str | None = None) -> Sent:
    payload = {
        "id": new_id, "group_id": row["group_id"], "author": {"id": sender.id, "name": sender.name},
        "kind": "member", "body": row["body"], "created_at": _iso(row["created_at"]),
        "client_id": row["client_id"],
    }
    if held:
        payload["held"] = held
    return Sent(payload, created=True)


def visible_to(viewer_id: int | None):
    """Messages this person sees: not hidden by a moderator, and not held back from the group
    unless they wrote it."""
    held_ok = Message.held_at.is_(None)
    if viewer_id is not None:
        held_ok = held_ok | (Message.author_id == viewer_id)
    return Message.hidden_at.is_(None) & held_ok


def _visible(group_id: int, viewer_id: int | None):
    return select(Message).where(Message.group_id == group_id, visible_to(viewer_id))


def recent(group_id: int, after_id: int | None = None, *, viewer_id: int | None = None) -> tuple[list[Message], bool]:
    """The latest page, or everything after after_id (capped; has_more says to ask again)."""
    if after_id is None:
        rows = list(db.session.scalars(_visible(group_id, viewer_id).order_by(Message.id.desc()).limit(PAGE_SIZE + 1)))
        return list(reversed(rows[:PAGE_SIZE])), len(rows) > PAGE_SIZE
    rows = list(db.session.scalars(
        _visible(group_id, viewer_id).where(Message.id > after_id).order_by(Message.id).limit(CATCH_UP_LIMIT + 1)
    ))
    return rows[:CATCH_UP_LIMIT], len(rows) > CATCH_UP_LIMIT


def earlier(group_id: int, before_id: int, limit: int = PAGE_SIZE, *,
            viewer_id: int | None = None) -> tuple[list[Message], bool]:
    rows = list(db.session.scalars(
        _visible(group_id, viewer_id).where(Message.id < before_id).order_by(Message.id.desc()).limit(limit + 1)
    ))
    return list(reversed(rows[:limit])), len(rows) > limit


def as_event(message: Message) -> dict:
    """The `message` event's payload; the same shape in acks and history. A member's message kept
    after they deleted their account has no author: it is from a "Former member" (id None)."""
    author = message.author
    shown = {"id": author.id, "name": author.display_name} if author else None
    if author is None and message.kind == "member":
        shown = {"id": None, "name": FORMER_MEMBER}
    return {
        "id": message.id,
        "group_id": message.group_id,
        "author": shown,
        "kind": message.kind,
        "body": message.body,
        "created_at": _iso(message.created_at),
        "client_id": message.client_id,
        **({"held": message.held_reason} if message.held_at else {}),
    }


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def room(group_id: int) -> str:
    return f"group-{group_id}"


def user_room(user_id: int) -> str:
    """Every connection of one person joins this room: private events reach all their tabs."""
    return f"user-{user_id}"


def hide_message(message: Message, by: User) -> None:
    """A moderator hides a message: stored first, then everyone connected is told to remove it.

    The moderation issue builds the review tools around this; the event is part of the contract.
    """
    from community.extensions import socketio  # the broadcast happens only after the commit

    if not (by.has_role("moderator") and can_read(by, message.group_id)):
        raise ChatError("Only a moderator of this group can hide its messages.")
    if message.hidden_at is None:
        message.hidden_at = utcnow()
        message.hidden_by_id = by.id
        db.session.commit()
    socketio.emit("message_hidden", {"id": message.id, "group_id": message.group_id}, to=room(message.group_id))
