"""The community the fuzzers run against: the authorization matrix's world (tests/authorization/
world.py, used read-only) plus a few states that make more forms appear: a message a filter held,
a resolved escalation waiting for its follow-up, a claimed review item, an activity that has
happened, an action Pat may appeal, an in-person walk Riley waits for a buddy at, Riley with
two-factor on, and Wren, whose account is set to be deleted; a held harassment message; group B with filter rules of its own. Also which values fill each URL parameter, so every GET page can be visited."""
import re
from datetime import timedelta

from sqlalchemy import select

from community.extensions import db
from community.filters.engine import default_rules
from community.groups import services as groups
from community.models import (
    Activity,
    Appeal,
    CalendarFeed,
    Escalation,
    FilterRules,
    Group,
    MatchRun,
    Message,
    ModerationAction,
    ReviewItem,
    Rsvp,
    SignInSession,
    User,
)
from community.models.base import utcnow
from community.models.journey import BuddyOptIn, MonthlyCheckIn
from community.privacy import deletion
from community.profiles.services import STEPS
from tests.authorization import world as matrix_world
from tests.factories import member
from tests.support import PASSWORD, enable_test_two_factor

EMAIL = {
    "member": matrix_world.EMAIL["member"],  # Pat, in group A
    "riley": matrix_world.RILEY,  # in group A, two-factor on
    "leaving": "wren.matrix@example.org",  # in group B, account set to be deleted
    "organizer": matrix_world.EMAIL["organizer"],
    "moderator": matrix_world.EMAIL["moderator"],  # Mo, looks after group A
    "admin": matrix_world.EMAIL["admin"],
}
# Where each URL parameter's values come from: every row's, so every page of every thing is seen.
PARAM_SOURCES = {
    "group_id": Group.id, "user_id": User.id, "activity_id": Activity.id, "item_id": ReviewItem.id,
    "message_id": Message.id, "escalation_id": Escalation.id, "action_id": ModerationAction.id,
    "appeal_id": Appeal.id, "run_id": MatchRun.id, "session_id": SignInSession.id, "token": CalendarFeed.token,
    "checkin_id": MonthlyCheckIn.id,  # Riley's, from the matrix world: its delete form shows for Riley
}
PARAM_VALUES = {"step": STEPS}
# Endpoints that serve files, not pages with forms.
FILES = {"static", "vendor.vendor"}
PLACEHOLDER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def build() -> dict:
    """Make the world (inside an app context); returns the matrix world's ids."""
    ids = matrix_world.build()
    now = utcnow()
    group_id, pat, mo, mei = ids["group"], ids["people"]["member"], ids["people"]["moderator"], ids["mei"]
    held = Message(group_id=group_id, author_id=pat, body="check this out www.example.com/deal", created_at=now,
                   held_at=now, held_reason="filter")
    pats = Message(group_id=group_id, author_id=pat, body="a message of Pat's a moderator hid", created_at=now,
                   hidden_at=now, hidden_by_id=mei)
    worrying = Message(group_id=group_id, author_id=pat, body="I feel like nothing will get better", created_at=now)
    harsh = Message(group_id=group_id, author_id=pat, body="nobody wants you here", created_at=now, held_at=now,
                    held_reason="harassment")
    db.session.add_all([held, pats, worrying, harsh])
    db.session.flush()
    db.session.add_all([
        ReviewItem(kind="hold", severity=3, message_id=held.id, group_id=group_id, subject_id=pat,
                   detail="Links from new members", created_at=now, claimed_by_id=mo, claimed_at=now),
        ModerationAction(kind="hide", actor_id=mei, subject_id=pat, group_id=group_id, message_id=pats.id,
                         reason="Off topic."),
        Escalation(level="concern", categories=["hopelessness"], user_id=pat, message_id=worrying.id,
                   group_id=group_id, created_at=now - timedelta(days=2), status="resolved",
                   acknowledged_at=now - timedelta(days=2), acknowledged_by_id=mo,
                   resolved_at=now - timedelta(days=1), resolved_by_id=mo, outcome="checked_in_safe",
                   follow_up_at=now - timedelta(hours=1)),
        Escalation(level="concern", categories=["harassment"], user_id=pat, message_id=harsh.id, group_id=group_id,
                   created_at=now),
        FilterRules(group_id=ids["other_group"], rules=default_rules().to_dict(), updated_by_id=ids["people"]["admin"]),
    ])
    past = Activity(title="Last week's game night", focus="board-games", format="online",
                    join_url="https://example.org/game-room", starts_at=now - timedelta(days=7),
                    ends_at=now - timedelta(days=7) + timedelta(hours=2), capacity=8, comfort_step=1,
                    audience="groups", groups=[db.session.get(Group, group_id)])
    db.session.add(past)
    db.session.flush()
    db.session.add(Rsvp(activity_id=past.id, user_id=pat, status="going"))
    # Arrive with a buddy: Riley and Pat are going to a walk; Riley waits for a buddy (her page shows
    # "withdraw"), Pat hasn't asked yet (his shows the opt-in).
    walk = Activity(title="Saturday walk", focus="walking", format="in_person", venue="Lakeside gate",
                    address="1 Lake Rd", starts_at=now + timedelta(days=9), ends_at=now + timedelta(days=9, hours=2),
                    capacity=8, comfort_step=1, audience="groups", groups=[db.session.get(Group, group_id)])
    db.session.add(walk)
    db.session.flush()
    db.session.add_all([Rsvp(activity_id=walk.id, user_id=ids["riley"], status="going"),
                        Rsvp(activity_id=walk.id, user_id=pat, status="going"),
                        BuddyOptIn(activity_id=walk.id, user_id=ids["riley"], created_at=now)])
    # A group gone quiet (nobody has written for 12 days): the outcomes page offers its starter button.
    quiet = groups.create_group("Quiet corner", "online", [member("sol.fuzz@example.org", "Sol"),
                                                            member("tam.fuzz@example.org", "Tam")], None)
    quiet.created_at = now - timedelta(days=12)
    enable_test_two_factor(db.session.get(User, ids["riley"]))
    wren = db.session.scalar(select(User).where(User.email == EMAIL["leaving"]))
    deletion.schedule(wren, PASSWORD, erase_messages=False)
    db.session.commit()
    return ids


def parameter_values(name: str) -> list[str]:
    """Every value the world has for a URL parameter (inside an app context)."""
    if name in PARAM_VALUES:
        return list(PARAM_VALUES[name])
    column = PARAM_SOURCES[name]
    return [str(value) for value in db.session.scalars(select(column).order_by(column))]


def page_urls(app) -> tuple[list[str], list[str]]:
    """(every GET page of the app, once for each value of each parameter it takes; the routes
    skipped because nobody has said here how to fill one of their parameters). Inside an app context."""
    urls, unknown = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint in FILES:
            continue
        if any(name not in PARAM_SOURCES and name not in PARAM_VALUES for name in rule.arguments):
            unknown.append(rule.rule)
            continue
        filled = [rule.rule]
        for name in rule.arguments:
            values = parameter_values(name)
            filled = [PLACEHOLDER.sub(lambda m, n=name, v=v: v if m.group(1) == n else m.group(0), url)
                      for url in filled for v in values]
        urls += filled
    return urls, unknown
