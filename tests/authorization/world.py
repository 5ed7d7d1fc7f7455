"""The community the matrix runs against, built once per module, and a whole-database snapshot to
prove that a refused request changed nothing.

Group A ("Board games circle"): Riley and Pat, looked after by the moderators Mo and Mei.
Group B ("Walkers"): Nell and Wren, looked after by Kai. Olu organizes and is in no group; Ada is
the admin. Everything a URL points at belongs to Riley or to group A.
"""
import re
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, delete, insert, select, update

from community.activities import calendar as ics
from community.extensions import db
from community.groups import services as groups
from community.journey import round_schedule, rounds
from community.journey.checkins import month_of
from community.models import (
    Activity,
    Appeal,
    Escalation,
    EscalationNote,
    GroupModerator,
    MatchRun,
    Message,
    ModerationAction,
    Notification,
    Report,
    ReviewItem,
    Rsvp,
    SignInSession,
    SupportMessage,
)
from community.models.base import utcnow
from community.models.journey import MonthlyCheckIn
from tests.authorization.table import PARAMS, Route
from tests.factories import member

# Addresses of their own, so two-factor codes used here never wait on codes other test modules used.
EMAIL = {
    "member_of_another_group": "nell.matrix@example.org", "member": "pat.matrix@example.org",
    "organizer": "olu.matrix@example.org", "moderator_of_another_group": "kai.matrix@example.org",
    "moderator": "mo.matrix@example.org", "admin": "ada.matrix@example.org",
}
RILEY = "riley.matrix@example.org"
# Columns that change by themselves as people use the site, whoever they are.
UNWATCHED = {"sign_in_sessions": {"last_seen_at"}}
# Who is signed in where (and how): never put back, or the roles' browsers would be signed out.
SIGN_IN_TABLES = {"sign_in_sessions", "login_attempts", "recovery_codes"}
PLACEHOLDER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def build() -> dict:
    """Make the world (inside an app context) and return the ids the URLs use."""
    riley, pat = member(RILEY, "Riley"), member(EMAIL["member"], "Pat")
    nell, wren = member(EMAIL["member_of_another_group"], "Nell"), member("wren.matrix@example.org", "Wren")
    olu = member(EMAIL["organizer"], "Olu", role="organizer")
    kai = member(EMAIL["moderator_of_another_group"], "Kai", role="moderator")
    mo = member(EMAIL["moderator"], "Mo", role="moderator")
    mei = member("mei.matrix@example.org", "Mei", role="moderator")
    ada = member(EMAIL["admin"], "Ada", role="admin")
    group = groups.create_group("Board games circle", "online", [riley, pat], None)
    other = groups.create_group("Walkers", "online", [nell, wren], None)
    db.session.add_all([GroupModerator(group_id=group.id, user_id=mo.id),
                        GroupModerator(group_id=group.id, user_id=mei.id),
                        GroupModerator(group_id=other.id, user_id=kai.id)])
    now = utcnow()
    # The words in table.PRIVATE_WORDS are planted here, in places only some may see.
    rude = Message(group_id=group.id, author_id=riley.id, body="rude words, amber-lantern", created_at=now)
    hidden = Message(group_id=group.id, author_id=riley.id, body="off-topic rant, hidden-heron", created_at=now,
                     hidden_at=now, hidden_by_id=mei.id)
    nells = Message(group_id=other.id, author_id=nell.id, body="my walk notes, birch-whisper", created_at=now)
    wrens = Message(group_id=other.id, author_id=wren.id, body="spam spam", created_at=now,
                    hidden_at=now, hidden_by_id=kai.id)
    db.session.add_all([rude, hidden, nells, wrens])
    db.session.flush()
    db.session.add(ModerationAction(kind="hide", actor_id=kai.id, subject_id=wren.id, group_id=other.id,
                                    message_id=wrens.id, reason="Advertising, quiet-otter."))
    item = ReviewItem(kind="report", severity=2, message_id=rude.id, group_id=group.id, subject_id=riley.id,
                      detail="Harassment or bullying", created_at=now - timedelta(minutes=3))
    db.session.add(item)
    db.session.flush()
    db.session.add(Report(item_id=item.id, message_id=rude.id, reporter_id=pat.id, reason="harassment",
                          note="It upset me, pebble-report."))
    hide = ModerationAction(kind="hide", actor_id=mei.id, subject_id=riley.id, group_id=group.id,
                            message_id=hidden.id, reason="Off topic.")
    db.session.add(hide)
    db.session.flush()
    appeal = Appeal(action_id=hide.id, member_id=riley.id, note="Please look again, willow-plea.")
    escalation = Escalation(level="concern", categories=["hopelessness"], user_id=riley.id, message_id=rude.id,
                            group_id=group.id, created_at=now)
    # A run previewed before the community changed: applying it is refused, so it can't reshape groups.
    run = MatchRun(run_by_id=None, fingerprint="out of date", proposal={"groups": [], "unmatched": []})
    activity, spare = (_game_night(group, now + timedelta(days=days)) for days in (7, 14))
    db.session.add_all([appeal, escalation, run, activity, spare])
    db.session.flush()
    db.session.add_all([
        Rsvp(activity_id=activity.id, user_id=riley.id, status="going"),
        EscalationNote(escalation_id=escalation.id, author_id=mo.id, body="Checked in, slate-note."),
        SupportMessage(recipient_id=riley.id, sender_id=mo.id, escalation_id=escalation.id,
                       body="Thinking of you, fern-checkin."),
        Notification(recipient_id=riley.id, kind="warning", body="A note for you, ivy-notice."),
    ])
    riley.profile.communication_note = "I reply slowly, cedar-note."
    # Riley's check-in for this month: its answers and note are Riley's alone, whatever anyone's role.
    riley_checkin = MonthlyCheckIn(user_id=riley.id, month=month_of(now), group_id=group.id,
                                   note="A good week, plum-journal.",
                                   answers={"lack_company": 2, "left_out": 2, "isolated": 1, "group_connection": 4,
                                            "mood": 3})
    db.session.add(riley_checkin)
    db.session.commit()
    # A question round going in group A: Riley passed, so it is Pat's turn (only Pat may pass); and a
    # weekly time Riley proposed, which Pat hasn't agreed to (1 of 2: not running yet).
    rounds.start(group, "What's a small joy lately?", mo, now)
    rounds.pass_turn(group.id, riley.id, now)
    round_schedule.propose(group.id, riley, 0, 19, now)
    db.session.commit()
    return {"group": group.id, "other_group": other.id, "other_message": nells.id, "riley": riley.id,
            "mei": mei.id, "item": item.id, "message": rude.id, "action": hide.id, "appeal": appeal.id,
            "escalation": escalation.id, "run": run.id, "activity": activity.id, "spare_activity": spare.id,
            "riley_feed": ics.new_feed(riley).token, "consent_step": "consent",
            "static_file": "favicon.svg", "vendor_file": "socket.io.min.js", "riley_checkin": riley_checkin.id,
            "people": {"member_of_another_group": nell.id, "member": pat.id, "organizer": olu.id,
                       "moderator_of_another_group": kai.id, "moderator": mo.id, "admin": ada.id}}


def _game_night(group, starts) -> Activity:
    return Activity(title="Online game night", focus="board-games", format="online",
                    join_url="https://example.org/game-room", starts_at=starts, ends_at=starts + timedelta(hours=2),
                    capacity=8, comfort_step=1, audience="groups", groups=[group])


def riley_session_id(riley_id: int) -> int:
    return db.session.scalar(select(SignInSession.id).where(SignInSession.user_id == riley_id))


@dataclass
class World:
    ids: dict
    saved: dict = field(default_factory=dict)  # the whole database as built, for putting tables back
    riley: object = None  # Riley's signed-in test client

    def url(self, row: Route) -> str:
        def value(match):
            param = match.group(1)
            assert param in row.ids or param in PARAMS, f"{row.rule}: say in table.PARAMS what <{param}> is"
            return str(self.ids[row.ids.get(param, PARAMS[param])])

        query = "&".join(f"{name}={self.ids[key]}" for name, key in row.query.items())
        return PLACEHOLDER.sub(value, row.rule) + (f"?{query}" if query else "")


def snapshot() -> dict[str, dict]:
    """Every row of every table, by primary key (inside an app context)."""
    found = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            key = list(table.primary_key.columns)
            skip = UNWATCHED.get(table.name, set())
            rows = conn.execute(select(table)).mappings()
            found[table.name] = {tuple(row[c.name] for c in key): {k: v for k, v in row.items() if k not in skip}
                                 for row in rows}
    return found


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in after if before.get(name) != after[name]]


def altered_rows(saved: dict, names) -> list[str]:
    """Those of these tables in which a row the world was built with has changed or gone (rows
    added since don't count: they are the asker's own)."""
    if not names:
        return []
    now = snapshot()
    return [name for name in names if any(now[name].get(key) != row for key, row in saved[name].items())]


def restore(saved: dict) -> None:
    """Put the world back as it was built: an allowed request may have changed it (Pat left group
    A, say), and every row of the table is about the world as described. Who is signed in where is
    left as it is."""
    current = snapshot()
    tables = [table for table in db.metadata.sorted_tables if table.name not in SIGN_IN_TABLES]
    with db.engine.begin() as conn:
        for table in reversed(tables):  # what was added since, children before parents
            key = list(table.primary_key.columns)
            for k in current[table.name].keys() - saved[table.name].keys():
                conn.execute(delete(table).where(_is(key, k)))
        for table in tables:  # what was changed or removed, parents before children
            key = list(table.primary_key.columns)
            for k, row in saved[table.name].items():
                if k not in current[table.name]:
                    conn.execute(insert(table).values(**row))
                elif current[table.name][k] != row:
                    conn.execute(update(table).where(_is(key, k)).values(**row))


def _is(key_columns, values):
    return and_(*(column == value for column, value in zip(key_columns, values, strict=True)))
