"""The connection journey's part of "Download my data" (see export.py for the rest and the rules).

- monthly_checkins: every answer and note, in words, with the total they add up to. Their own.
- step_changes: each move of their comfort step.
- activity_buddies: their "arrive with a buddy" opt-ins, and the first name of whoever they were
  paired with (they were told it when paired). Others' opt-ins are not theirs.
- conversation_rounds / round_turns: the rounds they were part of, the question, and what happened
  on their own turn. Who else answered or passed is other people's.
- round_schedules / round_schedule_votes: a weekly round they proposed or agreed to.
- profiles.practice_tips: their choice about conversation tips (with the profile).
"""
from sqlalchemy import select

from community.extensions import db
from community.journey import scoring
from community.journey.round_schedule import when_label
from community.models import (
    BuddyOptIn,
    ConversationRound,
    Group,
    MonthlyCheckIn,
    RoundSchedule,
    RoundScheduleVote,
    RoundTurn,
    StepChange,
    User,
)
from community.models.activity import Activity
from community.profiles.options import COMFORT_LABELS

SECTIONS = (
    ("monthly_check_ins", "Your monthly check-ins", "Your answers and notes. Only you see these."),
    ("comfort_step_moves", "Moves between comfort steps", "Each time you changed your step."),
    ("buddies", "Arriving with a buddy", "Activities where you asked to walk in with someone."),
    ("question_rounds", "Question rounds", "Rounds in your group's chat, and your own turn in each."),
    ("round_schedules_agreed", "Weekly rounds you agreed to", ""),
)
TURN_WORDS = {"waiting": "Not your turn yet", "current": "Your turn now", "answered": "You answered",
              "passed": "Passed (nobody else was told)"}
FREQUENCY = dict(scoring.FREQUENCY_CHOICES)
CONNECTION = dict(scoring.GROUP_CONNECTION_CHOICES)
MOOD = dict(scoring.MOOD_CHOICES)


def _check_in(row: MonthlyCheckIn, group_name: str | None) -> dict:
    answers = row.answers or {}
    shown = {question: FREQUENCY.get(answers.get(key)) for key, question in scoring.LONELINESS_ITEMS}
    try:
        total = scoring.loneliness_score(answers)
    except (TypeError, ValueError):
        total = None
    return {"month": row.month, "answers": shown, "loneliness_total_3_to_9": total,
            "group": group_name, scoring.GROUP_CONNECTION_QUESTION: CONNECTION.get(answers.get("group_connection")),
            scoring.MOOD_QUESTION: MOOD.get(answers.get("mood")), "your_note": row.note,
            "saved": row.updated_at}


def journey(user: User) -> dict:
    check_ins = db.session.execute(select(MonthlyCheckIn, Group.name).outerjoin(Group, Group.id == MonthlyCheckIn.group_id)
                                   .where(MonthlyCheckIn.user_id == user.id).order_by(MonthlyCheckIn.month))
    moves = db.session.scalars(select(StepChange).where(StepChange.user_id == user.id).order_by(StepChange.id))
    buddies = db.session.execute(select(BuddyOptIn, Activity.title, Activity.starts_at, User.display_name)
                                 .join(Activity, Activity.id == BuddyOptIn.activity_id)
                                 .outerjoin(User, User.id == BuddyOptIn.buddy_id)
                                 .where(BuddyOptIn.user_id == user.id).order_by(Activity.starts_at))
    turns = db.session.execute(select(RoundTurn, ConversationRound, Group.name)
                               .join(ConversationRound, ConversationRound.id == RoundTurn.round_id)
                               .join(Group, Group.id == ConversationRound.group_id)
                               .where(RoundTurn.user_id == user.id).order_by(ConversationRound.started_at))
    votes = db.session.execute(select(RoundScheduleVote, RoundSchedule, Group.name)
                               .join(RoundSchedule, RoundSchedule.group_id == RoundScheduleVote.group_id)
                               .join(Group, Group.id == RoundSchedule.group_id)
                               .where(RoundScheduleVote.user_id == user.id))
    return {
        "monthly_check_ins": [_check_in(row, name) for row, name in check_ins],
        "comfort_step_moves": [{"from": COMFORT_LABELS.get(m.from_step), "to": COMFORT_LABELS.get(m.to_step),
                                "when": m.changed_at} for m in moves],
        "buddies": [{"activity": title, "starts": starts, "asked": b.created_at,
                     "walking_in_with": buddy_name if b.buddy_id else None} for b, title, starts, buddy_name in buddies],
        "question_rounds": [{"group": name, "question": r.question, "started": r.started_at,
                             "your_turn": TURN_WORDS.get(t.status, t.status), "when": t.taken_at}
                            for t, r, name in turns],
        "round_schedules_agreed": [{"group": name, "when": when_label(s.weekday, s.hour),
                                    "you_proposed_it": s.proposed_by_id == user.id, "agreed": v.created_at}
                                   for v, s, name in votes],
    }
