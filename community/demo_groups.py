"""After the demo members exist: match them, give moderators groups to look after, and start a
few conversations, so a newcomer who logs in sees what a group and its chat feel like."""
from datetime import time, timedelta

from sqlalchemy import select

from community.extensions import db
from community.groups.matching_runs import run_and_apply
from community.models import Group, Membership, Message, Report, ReviewItem, User
from community.models.base import utcnow
from community.models.chat import GroupModerator

CONVERSATION = (
    "Hi everyone, I'm {first}. A bit nervous about this, honestly, but {focus} felt like a good place to start.",
    "Welcome, {first}! Same here. It's nice that there's something to talk about besides ourselves.",
    "Has anyone done much {focus} around here? I'm still fairly new to it.",
    "A little! Happy to share what I know. Maybe a short online chat next week, nothing fancy?",
    "That works for me. And no pressure if the time doesn't suit anyone, we can find another.",
)
GROUPS_WITH_CONVERSATIONS = 6
# One reported message, so a demo moderator finds something in the review queue.
REPORTED = "Honestly this is a waste of time, you're all so boring."


def seed_demo_groups() -> dict:
    """Apply one matching run as the demo admin, assign moderators, and seed a few chats."""
    admin = db.session.scalar(select(User).where(User.role == "admin").order_by(User.id))
    run = run_and_apply(admin)
    groups = list(db.session.scalars(select(Group).order_by(Group.id)))
    moderators = list(db.session.scalars(select(User).where(User.role == "moderator").order_by(User.id)))
    for number, group in enumerate(groups):
        if moderators:
            db.session.add(GroupModerator(group_id=group.id, user_id=moderators[number % len(moderators)].id))
    example = None
    for group in groups[:GROUPS_WITH_CONVERSATIONS]:
        people = people_of(group)
        focus = (group.shared_interests or ["getting together"])[0].lower()
        start = utcnow() - timedelta(hours=len(CONVERSATION) * 3)
        for number, line in enumerate(CONVERSATION):
            author = people[number % len(people)]
            db.session.add(Message(
                group_id=group.id, author_id=author.id, kind="member", client_id=f"demo-{group.id}-{number}",
                body=line.format(first=author.display_name.split()[0], focus=focus),
                created_at=start + timedelta(hours=3 * number),
            ))
        example = example or people[-1]
    if groups and len(people_of(groups[0])) >= 2:
        _reported_message(groups[0])
    db.session.commit()
    _activities(groups[:GROUPS_WITH_CONVERSATIONS])
    from community.demo_journey import seed_demo_journey

    seed_demo_journey(groups[:GROUPS_WITH_CONVERSATIONS])
    return {"groups": len(groups), "placed": run.placed_count, "member": example.email if example else None}


def people_of(group: Group) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.group_id == group.id, Membership.left_at.is_(None)).order_by(Membership.id)))


def _reported_message(group: Group) -> None:
    writer, reporter = people_of(group)[:2]
    now = utcnow()
    message = Message(group_id=group.id, author_id=writer.id, kind="member", client_id=f"demo-{group.id}-reported",
                      body=REPORTED, created_at=now - timedelta(minutes=20))
    db.session.add(message)
    db.session.flush()
    item = ReviewItem(kind="report", severity=2, message_id=message.id, group_id=group.id, subject_id=writer.id,
                      detail="Harassment or bullying", created_at=now - timedelta(minutes=10))
    db.session.add(item)
    db.session.flush()
    db.session.add(Report(item_id=item.id, message_id=message.id, reporter_id=reporter.id, reason="harassment",
                          note="It stung a bit.", created_at=item.created_at))


def _activities(groups: list[Group]) -> None:
    """A weekly activity for each group that is chatting, so the demo's activity pages have life."""
    from community.activities import rsvp, services, times
    from community.groups.view import area_label

    organizer = db.session.scalar(select(User).where(User.role == "organizer").order_by(User.id))
    if organizer is None:
        return
    first_day = times.local(utcnow()).date() + timedelta(days=3)
    for number, group in enumerate(groups):
        focus = (group.shared_interests or ["Getting together"])[0]
        online = group.mode == "online"
        plan = services.Plan(
            title=f"{focus} {'online evening' if online else 'meet-up'}", focus=focus,
            format="online" if online else "in_person", day=first_day + timedelta(days=number % 5),
            start=time(19, 0), end=time(20, 30), capacity=max(2, len(people_of(group)) - 1),
            comfort_step=2 if online else 3, group_ids=[group.id], repeat="weekly", occurrences=4,
            join_url="https://meet.example.org/common-ground-demo" if online else None,
            venue=None if online else "The Corner Café",
            neighbourhood=None if online else area_label(group.neighbourhood),
            address=None if online else "123 Example Street", description="Relaxed, no experience needed.",
            agenda="Hellos (5 minutes), the activity itself, a short chat at the end for anyone who wants it.",
            noise="" if online else "Quiet back room", arrival="" if online else "Look for the green table card.")
        made = services.schedule(plan, organizer)
        for person in people_of(group)[:2]:
            rsvp.respond(person, made[0], "going")
