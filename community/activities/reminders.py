"""Reminders 24 hours and 2 hours before an activity, as calm in-app notifications.

Who hears what: a member who said "going" gets both; one who said "maybe" gets only the 24-hour
one, worded softly (two hours before, a nudge would feel like pressure). The waitlist and "can't go"
get nothing. A 24-hour reminder still unsent when the 2-hour window opens is skipped, so nobody gets
two at once; a pass that runs late (the process was down) still sends what is due, once.

"Never twice" holds across processes: each reminder is claimed by inserting its ReminderSent row,
whose primary key is (activity, member, kind), in the same transaction as the notification. A second
process inserting the same row waits for the first to commit and then fails, and takes that as
"already sent". One transaction per reminder, so the claim and the note commit or vanish together.

Every server process runs a pass every REMINDER_WATCH_SECONDS (default 60, 0: never) from its first
request; `flask send-reminders --once` runs one pass (for cron).
"""
import logging
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from community import background
from community.activities import times
from community.extensions import db
from community.models.activity import Activity, ReminderSent, Rsvp
from community.models.base import utcnow
from community.notifications.services import notify

log = logging.getLogger(__name__)
DAY, TWO_HOURS = timedelta(hours=24), timedelta(hours=2)


def kind_due(starts_at: datetime, status: str, now: datetime) -> str | None:
    """Which reminder this answer is due for now, if any (the windows never overlap)."""
    left = starts_at - now
    if not timedelta(0) < left <= DAY:
        return None
    if left <= TWO_HOURS:
        return "2h" if status == "going" else None
    return "24h" if status in ("going", "maybe") else None


def _answers(now: datetime):
    """Scheduled activities starting within a day, with each going or maybe answer."""
    return (select(Activity.id, Activity.title, Activity.format, Activity.venue, Activity.starts_at,
                   Rsvp.user_id, Rsvp.status)
            .join(Rsvp, Rsvp.activity_id == Activity.id)
            .where(Activity.status == "scheduled", Activity.starts_at > now, Activity.starts_at <= now + DAY,
                   Rsvp.status.in_(("going", "maybe")))
            .order_by(Activity.starts_at, Activity.id, Rsvp.user_id))


def body(row, kind: str) -> str:
    """The reminder's words: when (local time), where, and that bowing out is fine."""
    when = times.when(row.starts_at)
    where = f" at {row.venue}" if row.format == "in_person" and row.venue else \
        " (online; the join link is on the activity's page)"
    if kind == "2h":
        return (f"See you soon: {row.title} starts on {when}{where}. If today isn't a good day after all, "
                "it's fine to bow out on the activity's page; no explanation needed.")
    if row.status == "maybe":
        return (f"You said maybe to {row.title}, {when}{where}. There's no need to decide now. If you'd "
                "like to come, or know you can't, you can say so on the activity's page; either is fine.")
    return (f"A gentle reminder: {row.title} is on {when}{where}. We're glad you're coming. If plans change, "
            "it's fine to bow out: just choose \"can't go\" on the activity's page.")


def _send(row, kind: str, now: datetime) -> bool:
    """Claim this reminder and send it, in one transaction of its own. False if another process
    already claimed it, or if it is no longer due once claimed."""
    try:
        # Core insert: bypasses the session's identity map, so a clash always surfaces as IntegrityError.
        db.session.execute(insert(ReminderSent).values(activity_id=row.id, user_id=row.user_id, kind=kind,
                                                       sent_at=now))
    except IntegrityError:  # someone else sent it (or is sending it and just committed)
        db.session.rollback()
        return False
    # Look again now that we hold the claim: the activity may have been cancelled or moved, or the
    # answer changed, since the list was read. Rolling back releases the claim for a later pass.
    fresh = db.session.execute(_answers(now).where(Activity.id == row.id, Rsvp.user_id == row.user_id)).first()
    if fresh is None or kind_due(fresh.starts_at, fresh.status, now) != kind:
        db.session.rollback()
        return False
    notify(row.user_id, "activity_reminder", body(fresh, kind), link=f"/activities/{row.id}")
    db.session.commit()  # the notification is pushed live after this commit (notifications/push.py)
    return True


def run_once(now: datetime | None = None) -> dict:
    """One pass: send every reminder that is due. Commits as it goes, so call it with no pending
    changes of your own. Returns how many of each kind this process sent."""
    now = now or utcnow()
    sent = {"24h": 0, "2h": 0}
    rows = db.session.execute(_answers(now)).all()
    if not rows:
        return sent
    # Skip what already went out without touching it: a failed insert on every pass would be noise.
    done = {tuple(r) for r in db.session.execute(
        select(ReminderSent.activity_id, ReminderSent.user_id, ReminderSent.kind)
        .where(ReminderSent.activity_id.in_({r.id for r in rows})))}
    for row in rows:
        kind = kind_due(row.starts_at, row.status, now)
        if kind and (row.id, row.user_id, kind) not in done and _send(row, kind, now):
            sent[kind] += 1
    return sent


def start(app: Flask) -> None:
    """Start this process's reminder loop once (on its first request); never in tests."""
    background.start_every(app, "reminders", "REMINDER_WATCH_SECONDS", 60, run_once, log)
