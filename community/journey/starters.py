"""Conversation starters: one light question, drawn from what the group shares, posted when a group
is new (its welcome carries one: groups.wording.welcome_text) or has gone quiet (run_due), or when
an organizer sends one (nudge). Starters are GroupAnnouncement rows of kind "starter", which also
appear in the chat (chat/notices.py); they are the history that keeps a group from hearing the
same question twice in a row.

The choice is deterministic: the same group, history and number of starters so far give the same
question on every machine. Questions from the group's shared interests come first; the general
ones are the fallback for a group with none, or whose interest questions were all asked recently.

Posting claims the group first (an UPDATE of its row, as groups/seats.py does) and checks again
inside that transaction, so two processes running run_due, or two organizers pressing the button,
post one starter, not two.
"""
from datetime import datetime, timedelta
from hashlib import sha256

from flask import current_app
from sqlalchemy import func, select, update

from community.extensions import db
from community.groups.wording import STARTERS, in_sentence
from community.models import AuditLog, ConversationRound, Group, GroupAnnouncement, Membership, Message

RECENT = 5  # a question isn't asked again within this many starters (the welcome counts too)
INTERESTS_USED = 3
NUDGE_GAP = timedelta(hours=24)
BODY_LENGTH = 600  # GroupAnnouncement.body

FOCUS_QUESTIONS = STARTERS + (
    "Is there a small {focus} thing you enjoyed recently that you'd recommend?",
    "How did you first come across {focus}?",
    "What's something about {focus} that most people don't know?",
    "If a friend wanted to try {focus} this week, where would you tell them to start?",
    "What do you like best about {focus}: the doing, the people, or something else?",
    "Is there a {focus} moment from this year that made you smile?",
)
GENERAL_QUESTIONS = (
    "What's one small thing that made your week better?",
    "What's a comfort food, drink or snack you always come back to?",
    "Is there a place nearby you like to go when you want some quiet?",
    "What's something you've been curious about lately?",
    "What's a song, show or book you've enjoyed recently?",
    "If you had a free afternoon this weekend, how would you like to spend it?",
    "What's a skill you'd like to pick up one day, however small?",
    "What's the best thing you've eaten this month?",
    "Morning person, night owl, or somewhere in between?",
    "What's something that reliably makes you laugh?",
    "Is there a season or kind of weather you look forward to?",
    "What's a small thing someone did for you once that you still remember?",
)


class NudgeDeclined(Exception):
    """Why no starter was sent, in words an organizer can read."""


def starter_text(question: str) -> str:
    """The note as the group sees it: a question, and that answering is optional."""
    return (f"A question for anyone who'd like it: {question} A few words is plenty, and reading "
            "along is fine too.")[:BODY_LENGTH]


def questions_for(shared_interests: list[str]) -> tuple[list[str], list[str]]:
    """(questions about the group's first few shared interests, general questions)."""
    focuses = [in_sentence(name) for name in (shared_interests or [])[:INTERESTS_USED] if name]
    return [q.format(focus=f) for f in focuses for q in FOCUS_QUESTIONS], list(GENERAL_QUESTIONS)


def choose(group_id: int, shared_interests: list[str], recent: list[str], asked: int) -> str:
    """The next question for a group: not in its recent notes, from its interests if it can be.
    `asked` is how many starters it has had, so each new one lands somewhere else in the list."""
    key = int(sha256(f"{group_id}:{asked}".encode()).hexdigest(), 16)
    focused, general = questions_for(shared_interests)
    for pool in (focused, general):
        fresh = [q for q in pool if not any(q in note for note in recent)]
        if fresh:
            return fresh[key % len(fresh)]
    return general[key % len(general)]  # only if every general question was asked very recently


def next_starter(group: Group) -> str:
    """The text of the next starter for this group, from its history."""
    recent = list(db.session.scalars(
        select(GroupAnnouncement.body).where(GroupAnnouncement.group_id == group.id,
                                             GroupAnnouncement.kind.in_(("welcome", "starter")))
        .order_by(GroupAnnouncement.created_at.desc(), GroupAnnouncement.id.desc()).limit(RECENT)))
    asked = db.session.scalar(select(func.count(GroupAnnouncement.id)).where(
        GroupAnnouncement.group_id == group.id, GroupAnnouncement.kind == "starter"))
    return starter_text(choose(group.id, list(group.shared_interests or []), recent, asked))


def post_starter(group: Group, now: datetime) -> GroupAnnouncement:
    """Add a starter to the caller's transaction (it reaches the chat when that commits)."""
    note = GroupAnnouncement(group_id=group.id, kind="starter", body=next_starter(group), created_at=now)
    db.session.add(note)
    return note


def _claim(group_id: int) -> bool:
    """Hold the group's row until commit, so a second poster waits and then sees our starter.
    PostgreSQL locks the row; SQLite takes its write lock. False if the group is gone."""
    claimed = db.session.execute(update(Group).where(Group.id == group_id).values(seat_version=Group.seat_version),
                                 execution_options={"synchronize_session": False})
    return claimed.rowcount == 1


def _has_members(group_id: int) -> bool:
    return db.session.scalar(select(Membership.id).where(
        Membership.group_id == group_id, Membership.left_at.is_(None)).limit(1)) is not None


def quiet_days() -> timedelta:
    return timedelta(days=current_app.config.get("STARTER_QUIET_DAYS", 5))


def _due(now: datetime, group_id: int | None = None) -> list[int]:
    """Groups with members whose last visible member message (or their start, if nobody has
    written) is at least STARTER_QUIET_DAYS old, with no starter since then and no question round
    going on (a question is already waiting for them)."""
    last_message = (select(Message.group_id, func.max(Message.created_at).label("at"))
                    .where(Message.kind == "member", Message.hidden_at.is_(None), Message.held_at.is_(None),
                           Message.created_at <= now)
                    .group_by(Message.group_id).subquery())
    last_starter = (select(GroupAnnouncement.group_id, func.max(GroupAnnouncement.created_at).label("at"))
                    .where(GroupAnnouncement.kind == "starter").group_by(GroupAnnouncement.group_id).subquery())
    round_open = select(ConversationRound.id).where(ConversationRound.group_id == Group.id,
                                                    ConversationRound.finished_at.is_(None)).exists()
    has_members = select(Membership.id).where(Membership.group_id == Group.id, Membership.left_at.is_(None)).exists()
    query = (select(Group.id, Group.created_at, last_message.c.at, last_starter.c.at)
             .outerjoin(last_message, last_message.c.group_id == Group.id)
             .outerjoin(last_starter, last_starter.c.group_id == Group.id)
             .where(has_members, ~round_open).order_by(Group.id))
    if group_id is not None:
        query = query.where(Group.id == group_id)
    due = []
    for gid, created_at, message_at, starter_at in db.session.execute(query):
        since = message_at or created_at
        if now - since >= quiet_days() and (starter_at is None or starter_at < since):
            due.append(gid)
    return due


def run_due(now: datetime) -> int:
    """Post one starter to each group that has gone quiet; returns how many were posted. Commits
    as it goes (one transaction per group), so call it with no pending changes of your own."""
    posted = 0
    for group_id in _due(now):
        if _claim(group_id) and _due(now, group_id):
            post_starter(db.session.get(Group, group_id), now)
            db.session.commit()
            posted += 1
        else:  # another process posted first, or the group changed: nothing to do
            db.session.rollback()
    return posted


def nudge(group: Group, actor_id: int, now: datetime) -> GroupAnnouncement:
    """An organizer's one-click starter for a quiet group: at most one starter per NUDGE_GAP,
    audited in the same transaction. Raises NudgeDeclined (nothing posted) otherwise."""
    group_id = group.id
    _claim(group_id)
    last = db.session.scalar(select(func.max(GroupAnnouncement.created_at)).where(
        GroupAnnouncement.group_id == group_id, GroupAnnouncement.kind == "starter"))
    if last is not None and now - last < NUDGE_GAP:
        db.session.rollback()
        raise NudgeDeclined("This group had a conversation starter less than a day ago, so we've held this "
                            "one back to give them room. You can send another tomorrow.")
    if not _has_members(group_id):
        db.session.rollback()
        raise NudgeDeclined("Nobody is in this group right now, so there's no one to ask.")
    note = post_starter(db.session.get(Group, group_id), now)
    db.session.flush()
    db.session.add(AuditLog(actor_id=actor_id, action="conversation_starter_sent", created_at=now,
                            detail={"group_id": group_id, "announcement_id": note.id}))
    db.session.commit()
    return note
