"""The demo's journey: a few past activities members came to together, some moves between comfort
steps, and two months of check-ins in the groups that are chatting, so the journey page, the trend
chart and the organizers' outcomes page show something real on first run. Deterministic."""
import random
from datetime import timedelta

from community.demo_groups import people_of
from community.extensions import db
from community.journey.outcomes import month_keys
from community.models import Activity, ActivityGroup, Group, MonthlyCheckIn, Rsvp
from community.models.base import utcnow

PAST_MEETINGS = 3  # enough for "came to 3+ activities with the same group"


def seed_demo_journey(groups: list[Group], seed: int = 2026) -> dict:
    rng = random.Random(seed)  # noqa: S311  # nosec B311  # reproducible demo data, not secrets
    now = utcnow()
    check_ins = 0
    *_, two_months_ago, last_month, _this_month = month_keys(now)
    for group in groups:
        people = people_of(group)
        online = group.mode == "online"
        focus = (group.shared_interests or ["Getting together"])[0]
        for week in range(PAST_MEETINGS, 0, -1):
            starts = now - timedelta(days=7 * week + 1)
            past = Activity(title=f"{focus} {'online evening' if online else 'meet-up'}", focus=focus,
                            format="online" if online else "in_person", capacity=len(people),
                            comfort_step=2 if online else 3, starts_at=starts, ends_at=starts + timedelta(hours=1),
                            join_url="https://meet.example.org/common-ground-demo" if online else None,
                            venue=None if online else "The Corner Café", attendance_marked_at=starts + timedelta(hours=2))
            db.session.add(past)
            db.session.flush()
            db.session.add(ActivityGroup(activity_id=past.id, group_id=group.id))
            for person in people:
                came = rng.random() < 0.8
                db.session.add(Rsvp(activity_id=past.id, user_id=person.id, status="going", attended=came))
        for person in people:
            profile = person.profile
            if profile.comfort_step and profile.comfort_step < 4 and rng.random() < 0.4:
                profile.comfort_step += 1  # recorded as a StepChange by community/journey/steps.py
            # Two months ago and last month; this month is left for the member to try.
            lonely = [rng.choice((2, 3)), rng.choice((2, 3)), rng.choice((1, 2, 3))]
            for months_ago, month in ((2, two_months_ago), (1, last_month)):
                answers = {"lack_company": lonely[0], "left_out": lonely[1], "isolated": lonely[2],
                           "group_connection": min(5, 2 + (2 - months_ago) + rng.randint(0, 1)),
                           "mood": rng.choice((2, 3))}
                db.session.add(MonthlyCheckIn(user_id=person.id, group_id=group.id, answers=answers,
                                              month=month))
                check_ins += 1
                worst = max(range(3), key=lambda i: lonely[i])
                lonely[worst] = max(1, lonely[worst] - 1)  # easing a little, as it often does
    db.session.commit()
    return {"check_ins": check_ins}
