"""A small community with something of every kind about Sam, and private things about Pat that
must never reach Sam. Words in CAPITALS are markers the tests look for (or must not find).
Call inside an app context."""
from datetime import timedelta

from community.activities.calendar import new_feed
from community.extensions import db
from community.groups import services as groups
from community.models import (
    Activity,
    ActivityGroup,
    BuddyOptIn,
    ConversationRound,
    Escalation,
    EscalationNote,
    GroupFeedback,
    GroupModerator,
    MatchRun,
    Message,
    MonthlyCheckIn,
    ReminderSent,
    RoundSchedule,
    RoundScheduleVote,
    RoundTurn,
    Rsvp,
    StepChange,
    SupportMessage,
    User,
    WaitlistEntry,
)
from community.models.base import utcnow
from community.moderation import appeals, blocks, review, sanctions
from community.moderation.escalations import audit
from community.support import services as support
from tests.factories import member

# Pat's private things, and others' words about Sam: never in Sam's export.
NOT_SAMS = ("pat@example.org", "keep_distance", "I tend to keep people at a distance", "PAT-REPORT-NOTE",
            "PAT-WORRY-NOTE", "MO-SECRET-NOTE", "PAT-WARN-REASON", "PAT-MESSAGE", "PAT-HELD", "mo@example.org",
            "PAT-NOT-FOR-ME", "PAT-CHECKIN-NOTE", "Passed (nobody else was told)")


def build() -> dict:
    now = utcnow()
    sam = member("sam@example.org", "Sam")
    pat = member("pat@example.org", "Pat")
    lee = member("lee@example.org", "Lee")
    mo = member("mo@example.org", "Mo", role="moderator")
    ada = member("ada@example.org", "Ada", role="admin")
    sam.profile.barriers = ["anxiety_freezes"]
    sam.profile.communication_note = "SAM-COMMUNICATION-NOTE"
    pat.profile.barriers = ["keep_distance"]
    db.session.commit()
    group = groups.create_group("Board games circle", "online", [sam, pat, lee], None)
    db.session.add(GroupModerator(group_id=group.id, user_id=mo.id))
    start = now - timedelta(hours=2)
    said = {}
    for n, (who, body, extra) in enumerate((
            (pat, "PAT-MESSAGE hello all", {}),
            (sam, "SAM-MESSAGE hi Pat", {}),
            (lee, "LEE-MESSAGE welcome", {}),
            (sam, "SAM-HELD words", {"held_at": start, "held_reason": "harassment"}),
            (sam, "SAM-HIDDEN words", {"hidden_at": start}),
            (pat, "PAT-HELD words", {"held_at": start, "held_reason": "harassment"}),
            (sam, "SAM-LATER see you Thursday", {}))):
        row = Message(group_id=group.id, author_id=who.id, body=body, client_id=f"c{n}",
                      created_at=start + timedelta(minutes=n), **extra)
        db.session.add(row)
        said[body.split()[0]] = row
    db.session.add(Message(group_id=group.id, author_id=None, kind="system", body="WELCOME-NOTE", created_at=start))
    db.session.commit()

    # Safety: an escalation about Sam with a moderator's note and check-in; Pat worries about Sam.
    escalation = Escalation(level="crisis", categories=["ideation"], user_id=sam.id, message_id=said["SAM-MESSAGE"].id,
                            group_id=group.id, status="acknowledged", created_at=now - timedelta(hours=1),
                            acknowledged_at=now, acknowledged_by_id=mo.id)
    db.session.add(escalation)
    db.session.flush()
    audit("escalation_opened", actor_id=None, escalation=escalation, level="crisis", categories=["ideation"],
          message_id=said["SAM-MESSAGE"].id)
    db.session.add(EscalationNote(escalation_id=escalation.id, author_id=mo.id, body="MO-SECRET-NOTE about Sam"))
    db.session.add(SupportMessage(recipient_id=sam.id, sender_id=mo.id, escalation_id=escalation.id,
                                  body="SAM-CHECK-IN how are you doing?"))
    db.session.commit()
    worry = support.worry(pat, sam, said["SAM-MESSAGE"], "PAT-WORRY-NOTE")
    support.worry(sam, pat, said["PAT-MESSAGE"], "SAM-WORRY-NOTE")

    review.report(pat, said["SAM-MESSAGE"], "harassment", "PAT-REPORT-NOTE")
    review.report(sam, said["PAT-MESSAGE"], "spam", "SAM-REPORT-NOTE")
    blocks.block(sam, pat)
    blocks.block(pat, sam)
    sanctions.warn(sam, group.id, mo, "SAM-WARN-REASON")
    muted = sanctions.mute(sam, group.id, mo, "SAM-MUTE-REASON", hours=24)
    appeals.appeal(sam, muted, "SAM-APPEAL-NOTE")
    sanctions.warn(pat, group.id, mo, "PAT-WARN-REASON")
    feed = new_feed(sam)
    db.session.add(MatchRun(proposal={"groups": [{"member_ids": [sam.id, pat.id], "new_member_ids": [sam.id]}],
                                      "unmatched": [{"user_id": sam.id, "reason": "SAM-UNMATCHED"}]}))
    db.session.add_all([GroupFeedback(group_id=group.id, user_id=sam.id, reasons=["times"], note="SAM-NOT-FOR-ME"),
                        GroupFeedback(group_id=group.id, user_id=pat.id, reasons=["pace"], note="PAT-NOT-FOR-ME"),
                        WaitlistEntry(user_id=sam.id, reason="SAM-WAITING-REASON")])

    # Activities: Sam holds the last seat at an upcoming one (Pat waits), and came to a past one.
    upcoming = Activity(title="GAME-NIGHT", focus="Board games", format="online", capacity=1, comfort_step=1,
                        starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=2, hours=2))
    past = Activity(title="PAST-WALK", focus="Walks", format="online", capacity=6, comfort_step=1,
                    starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=3) + timedelta(hours=1))
    db.session.add_all([upcoming, past])
    db.session.flush()
    db.session.add_all([ActivityGroup(activity_id=a.id, group_id=group.id) for a in (upcoming, past)])
    db.session.add_all([
        Rsvp(activity_id=upcoming.id, user_id=sam.id, status="going"),
        Rsvp(activity_id=upcoming.id, user_id=pat.id, status="waitlist", waitlisted_at=now),
        Rsvp(activity_id=past.id, user_id=sam.id, status="going", attended=True),
        ReminderSent(activity_id=past.id, user_id=sam.id, kind="24h"),
    ])
    db.session.commit()

    # The journey: Sam's and Pat's check-ins, Sam's step move, a round where Sam answered and Pat
    # passed, Sam walking in with Lee, and a weekly round Sam agreed to.
    db.session.add_all([
        MonthlyCheckIn(user_id=sam.id, month="2026-10", group_id=group.id, note="SAM-CHECKIN-NOTE",
                       answers={"lack_company": 2, "left_out": 2, "isolated": 3, "group_connection": 4, "mood": 2}),
        MonthlyCheckIn(user_id=pat.id, month="2026-10", group_id=group.id, note="PAT-CHECKIN-NOTE",
                       answers={"lack_company": 1, "left_out": 1, "isolated": 1, "group_connection": None, "mood": 3}),
        StepChange(user_id=sam.id, from_step=1, to_step=2),
        BuddyOptIn(activity_id=upcoming.id, user_id=sam.id, buddy_id=lee.id, paired_at=now),
        BuddyOptIn(activity_id=upcoming.id, user_id=lee.id, buddy_id=sam.id, paired_at=now),
        RoundSchedule(group_id=group.id, weekday=2, hour=19, proposed_by_id=pat.id),
    ])
    round_ = ConversationRound(group_id=group.id, question="ROUND-QUESTION what are you reading?", started_by_id=mo.id)
    db.session.add(round_)
    db.session.flush()
    db.session.add_all([RoundTurn(round_id=round_.id, user_id=sam.id, position=0, status="answered", taken_at=now),
                        RoundTurn(round_id=round_.id, user_id=pat.id, position=1, status="passed", taken_at=now),
                        RoundScheduleVote(group_id=group.id, user_id=sam.id),
                        RoundScheduleVote(group_id=group.id, user_id=pat.id)])
    db.session.commit()
    return {"sam": sam.id, "pat": pat.id, "lee": lee.id, "mo": mo.id, "ada": ada.id, "group": group.id,
            "escalation": escalation.id, "worry_escalation": worry.escalation_id, "feed_token": feed.token,
            "upcoming": upcoming.id, "muted": muted.id,
            "messages": {key: row.id for key, row in said.items()}}


def user(user_id: int) -> User | None:
    db.session.expire_all()
    return db.session.get(User, user_id)
