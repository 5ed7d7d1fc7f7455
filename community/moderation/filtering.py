"""Automatic filters in the app: each group's rules (its own, or the shipped defaults), read once
per process and refreshed every few seconds, the writer's recent messages for the flood and
duplicate rules, and the record of every automatic action.

The decision itself is pure (community.filters); chat.services asks `decide` before storing.
"""
import threading
import time
from collections import deque
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from community.extensions import db
from community.filters import Decision, FilterRuleError, RuleSet, check, default_rules
from community.models import FilterEvent, FilterRules, User
from community.models.base import utcnow
from community.moderation.escalations import audit

RULES_TTL_SECONDS = 10  # an admin's change reaches every process within this
_RECENT_KEEP = 20
_RECENT_WRITERS = 20_000  # (author, group) pairs remembered per process; the least recent go first
_lock = threading.Lock()


def _caches() -> dict:
    """This app's caches (one app per process in production; tests make a fresh app, and with it
    fresh caches, for each test): group id -> (loaded at, rules), and (author, group) -> their
    recent (timestamp, body), newest last."""
    return current_app.extensions.setdefault("filtering", {"rules": {}, "recent": {}})


def rules_for(group_id: int) -> RuleSet:
    """The group's rules, from this process's cache when fresh."""
    cache = _caches()["rules"]
    cached = cache.get(group_id)
    if cached is not None and time.monotonic() - cached[0] < RULES_TTL_SECONDS:
        return cached[1]
    row = db.session.get(FilterRules, group_id)
    try:
        rules = RuleSet.from_dict(row.rules) if row is not None else default_rules()
    except FilterRuleError:  # saved rules are validated first; this is belt and braces
        rules = default_rules()
    cache[group_id] = (time.monotonic(), rules)
    return rules


def is_custom(group_id: int) -> bool:
    return db.session.get(FilterRules, group_id) is not None


def save(group_id: int, by: User, data: dict) -> RuleSet:
    """Validate and store a group's rules; raises FilterRuleError with a readable message."""
    rules = RuleSet.from_dict(data)
    row = db.session.get(FilterRules, group_id)
    if row is None:
        row = FilterRules(group_id=group_id)
        db.session.add(row)
    row.rules, row.updated_at, row.updated_by_id = rules.to_dict(), utcnow(), by.id
    audit("filter_rules_saved", actor_id=by.id, group_id=group_id, words=len(rules.words), allow=len(rules.allow))
    db.session.commit()
    _caches()["rules"].pop(group_id, None)
    return rules


def reset(group_id: int, by: User) -> None:
    row = db.session.get(FilterRules, group_id)
    if row is not None:
        db.session.delete(row)
        audit("filter_rules_reset", actor_id=by.id, group_id=group_id)
        db.session.commit()
    _caches()["rules"].pop(group_id, None)


def decide(author_id: int, author_since: datetime | None, group_id: int, body: str, now: datetime) -> Decision:
    """What the group's filters say about this message from this writer (`author_since`: when
    their account was made; None when the caller doesn't know, as in benchmarks)."""
    rules = rules_for(group_id)
    is_new = author_since is not None and now - author_since < timedelta(days=rules.new_member_days)
    with _lock:
        recent = list(_caches()["recent"].get((author_id, group_id), ()))
    return check(body, rules, author_is_new=is_new, recent=recent, now=now.timestamp())


def remember(author_id: int, group_id: int, body: str, now: datetime) -> None:
    """After a message is stored: the flood and duplicate rules look back at these."""
    key = (author_id, group_id)
    with _lock:
        recent = _caches()["recent"]
        kept = recent.pop(key, None) or deque(maxlen=_RECENT_KEEP)
        kept.append((now.timestamp(), body))
        recent[key] = kept  # re-inserted: dicts keep insertion order, so the first key is the stalest
        if len(recent) > _RECENT_WRITERS:
            del recent[next(iter(recent))]


def record(decision: Decision, group_id: int, author_id: int, message_id: int | None, now: datetime) -> None:
    """Add the automatic action to the caller's transaction (every one is kept)."""
    db.session.add(FilterEvent(group_id=group_id, author_id=author_id, message_id=message_id,
                               action=decision.action, rules=sorted({h.rule for h in decision.hits}),
                               created_at=now))


def record_block(decision: Decision, group_id: int, author_id: int, now: datetime) -> None:
    """A blocked message isn't stored, but the block is."""
    record(decision, group_id, author_id, None, now)
    db.session.commit()


def recent_events(group_id: int, limit: int = 50) -> list[FilterEvent]:
    return list(db.session.scalars(select(FilterEvent).where(FilterEvent.group_id == group_id)
                                   .order_by(FilterEvent.id.desc()).limit(limit)))
