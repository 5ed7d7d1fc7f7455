"""Group actions: adapting members for matching, previewing and applying runs, forming groups by
hand, joining, leaving and 'not for me'. Views and CLI commands are thin and call these.

CONTRACT (implemented by the services helper; the web helper codes against it):

class GroupError(Exception): a message a person can read; views show it, CLI prints it.

member_profiles() -> list[matching.MemberProfile]          # every onboarded member, id = user id
current_groups() -> list[tuple[Group, matching.ExistingGroup]]  # active groups with active members
preview_match(run_by: User | None, seed=0) -> MatchRun      # runs matching, stores proposal, not applied
apply_match(run: MatchRun, by: User | None) -> MatchRun     # applies exactly the previewed proposal;
                                                            # GroupError if the community changed since
run_and_apply(by: User | None, seed=0) -> MatchRun          # preview + apply in one go (CLI --apply)
create_group(name, mode, users, by, neighbourhood=None) -> Group   # admin, origin "manual"
add_member(group, user, by=None, source="manual") -> Membership    # GroupError if full / already in
remove_member(group, user, by=None) -> None                        # left_reason "removed"
leave_group(user, group) -> None                                   # left_reason "left"
decline_group(user, group, reasons: list[str], note: str) -> GroupFeedback  # leaves, "not_for_me"
join_group(user, group) -> Membership        # by choice; size cap holds under concurrent joins
open_groups_for(user, limit=10) -> list[GroupSuggestion]   # open groups with a seat that fit, ranked
    GroupSuggestion(group, score, shared_interests, common_slots, area_name, next_activity=None)
groups_of(user) -> list[Group]                              # active groups of a member
waitlist_reason(user) -> str | None
mark_seen(user, group) -> None

Matching runs live in `matching_runs` and are re-exported here, so callers need one import.
"""
import math
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from community.activities.rsvp import release_after_leaving
from community.extensions import db
from community.groups.errors import GroupError
from community.groups.matching_runs import (
    MAX_DISTANCE_KM,
    apply_match,
    current_groups,
    display_name,
    member_profile,
    member_profiles,
    preview_match,
    run_and_apply,
)
from community.groups.options import NOT_FOR_ME_LABELS
from community.groups.seats import reserve_seats
from community.groups.wording import newcomer_text, welcome_text
from community.models import Group, GroupAnnouncement, GroupFeedback, Membership, Profile, User, WaitlistEntry
from community.models.base import utcnow
from community.models.group import GROUP_MODES, MAX_GROUP_SIZE
from community.reference import neighbourhoods, taxonomy
from matching import CandidateGroup, rank_groups
from matching.geo import haversine_km

__all__ = [
    "GroupError", "GroupSuggestion", "add_member", "apply_match", "create_group", "current_groups",
    "decline_group", "groups_of", "join_group", "leave_group", "mark_seen", "member_profiles",
    "open_groups_for", "preview_match", "remove_member", "run_and_apply", "waitlist_reason",
]

NOTE_LENGTH = 500
MODEL_SHORTLIST = 60  # groups the similarity model ranks for one member browsing
OTHER_GROUPS = "There are other groups with open seats you might like."
BACK_IN_POOL = ("You're back in the pool. The next matching run will look for a group that suits "
                "you, and you can browse groups with open seats in the meantime.")


@dataclass(frozen=True)
class GroupSuggestion:
    """An open group a member could join: its focus and rough area, never its members' names."""

    group: Group
    score: float
    shared_interests: list[str] = field(default_factory=list)
    common_slots: list[int] = field(default_factory=list)
    area_name: str = "Online"
    next_activity: object | None = None


def _membership(group: Group, user: User) -> Membership | None:
    return db.session.scalar(select(Membership).where(
        Membership.group_id == group.id, Membership.user_id == user.id, Membership.left_at.is_(None)))


def _declined(group: Group, user: User) -> bool:
    return db.session.scalar(select(func.count()).select_from(GroupFeedback).where(
        GroupFeedback.group_id == group.id, GroupFeedback.user_id == user.id)) > 0


def _removed(group: Group, user: User) -> bool:
    """A moderator took them out of this group (undoing that puts them back in, not through here)."""
    last = db.session.scalar(select(Membership.left_reason).where(
        Membership.group_id == group.id, Membership.user_id == user.id).order_by(Membership.id.desc()).limit(1))
    return last == "removed"


def _seat(group: Group, user: User, source: str, full: str, already: str, *,
          require_open: bool = False) -> Membership:
    """Take a seat and tell the group someone is coming, in one transaction; commit or roll back."""
    if not reserve_seats(group.id, require_open=require_open):
        db.session.rollback()
        raise GroupError(full)
    membership = Membership(group_id=group.id, user_id=user.id, source=source)
    db.session.add(membership)
    db.session.add(GroupAnnouncement(group_id=group.id, kind="newcomer", body=newcomer_text()))
    db.session.execute(delete(WaitlistEntry).where(WaitlistEntry.user_id == user.id))
    try:
        db.session.commit()
    except IntegrityError as exc:  # the same person added twice at the same moment
        db.session.rollback()
        raise GroupError(already) from exc
    return membership


def _shared_focus(users: list[User]) -> tuple[list[str], list[int]]:
    """Interests and weekly slots every onboarded member of a hand-made group has in common."""
    profiles = [member_profile(u.profile) for u in users if u.is_onboarded]
    if not profiles:
        return [], []
    interests = [i for i in profiles[0].interests if all(i in p.interests for p in profiles[1:])]
    slots = sorted(set.intersection(*(set(p.availability) for p in profiles)))
    return interests, slots


def create_group(name: str, mode: str, users: list[User], by: User | None,
                 neighbourhood: str | None = None) -> Group:
    """A group formed by hand (say, a circle that started outside matching), with a welcome."""
    name = " ".join((name or "").split())
    if not name:
        raise GroupError("Please give the group a name.")
    if len(name) > 80:
        raise GroupError("Please keep the group's name to 80 characters or fewer.")
    if mode not in GROUP_MODES:
        raise GroupError("Please choose whether the group meets online or in person.")
    if neighbourhood and neighbourhood not in neighbourhoods():
        raise GroupError("That area isn't on our list.")
    users = list({u.id: u for u in users}.values())
    if len(users) > MAX_GROUP_SIZE:
        raise GroupError(f"A group starts with at most {MAX_GROUP_SIZE} people; you can add more later.")
    if mode == "in_person" and not neighbourhood:
        homes = Counter(u.profile.neighbourhood for u in users if u.profile and u.profile.neighbourhood)
        neighbourhood = min(homes, key=lambda slug: (-homes[slug], slug)) if homes else None
    interests, slots = _shared_focus(users)
    group = Group(
        name=name, mode=mode, origin="manual", capacity=MAX_GROUP_SIZE, shared_interests=interests,
        common_slots=slots, neighbourhood=neighbourhood if mode == "in_person" else None,
        created_by_id=by.id if by else None,
    )
    group.memberships = [Membership(user_id=u.id, source="manual") for u in users]
    group.announcements = [GroupAnnouncement(kind="welcome", body=welcome_text(interests, slots))]
    db.session.add(group)
    db.session.execute(delete(WaitlistEntry).where(WaitlistEntry.user_id.in_([u.id for u in users])))
    db.session.commit()
    return group


def add_member(group: Group, user: User, by: User | None = None, source: str = "manual") -> Membership:
    """Seat someone in a group by hand (admins); the size cap still holds."""
    already = f"{user.display_name} is already in {group.name}."
    if _membership(group, user):
        raise GroupError(already)
    return _seat(group, user, source, f"{group.name} is full right now ({group.capacity} people).", already)


def _leave(group: Group, user: User, reason: str, not_member: str) -> Membership:
    membership = _membership(group, user)
    if membership is None:
        raise GroupError(not_member)
    membership.left_at = utcnow()
    membership.left_reason = reason
    release_after_leaving(user, group.id)  # seats they held at the group's activities go to the waitlist
    return membership


def _back_in_pool(user: User, reason: str = BACK_IN_POOL) -> None:
    """A member with no group left waits for the next run, and is told so kindly."""
    db.session.flush()
    if groups_of(user):
        return
    entry = db.session.get(WaitlistEntry, user.id)
    if entry is None:
        db.session.add(WaitlistEntry(user_id=user.id, reason=reason))
    else:
        entry.reason, entry.match_run_id = reason, None


def remove_member(group: Group, user: User, by: User | None = None) -> None:
    """Take someone out of a group (admins); the next run refills the seat."""
    _leave(group, user, "removed", f"{user.display_name} isn't in {group.name}.")
    _back_in_pool(user)
    db.session.commit()


def leave_group(user: User, group: Group) -> None:
    """Leaving is always fine: one step, no questions; the next run refills the seat."""
    _leave(group, user, "left", "You're not in this group any more.")
    _back_in_pool(user)
    db.session.commit()


def decline_group(user: User, group: Group, reasons: list[str], note: str = "") -> GroupFeedback:
    """'Not for me': leave, say why if they like, and never be placed with this group again."""
    unknown = [r for r in reasons if r not in NOT_FOR_ME_LABELS]
    if unknown:
        raise GroupError("One of those reasons isn't on our list. Please choose again.")
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        raise GroupError(f"Please keep the note to {NOTE_LENGTH} characters or fewer.")
    _leave(group, user, "not_for_me", "You're not in this group any more.")
    feedback = GroupFeedback(group_id=group.id, user_id=user.id, reasons=list(dict.fromkeys(reasons)), note=note)
    db.session.add(feedback)
    _back_in_pool(user, "Thank you for telling us. You're back in the pool, and the next matching run "
                        "will look for a group that suits you better, without that group.")
    db.session.commit()
    return feedback


def join_group(user: User, group: Group) -> Membership:
    """Join an open group by choice; two people can't take its last seat at once."""
    if not user.is_onboarded:
        raise GroupError("Please finish setting up your profile first, so we can show groups that suit you.")
    already = "You're already in this group."
    if _membership(group, user):
        raise GroupError(already)
    if _declined(group, user):
        raise GroupError("You told us this group wasn't for you, so we've kept you out of it. "
                         + OTHER_GROUPS)
    if _removed(group, user):
        raise GroupError("A moderator took you out of this group, so you can't join it again. If you think "
                         "that wasn't fair, you can ask for a second look from your moderation record. "
                         + OTHER_GROUPS)
    if not group.is_open:
        raise GroupError("This group isn't taking new members right now. " + OTHER_GROUPS)
    return _seat(group, user, "joined", "This group's last seat was just taken. " + OTHER_GROUPS, already,
                 require_open=True)


def groups_of(user: User) -> list[Group]:
    """The groups a member is in now, in the order they joined."""
    return list(db.session.scalars(
        select(Group).join(Membership)
        .where(Membership.user_id == user.id, Membership.left_at.is_(None)).order_by(Membership.joined_at, Membership.id)
    ))


def waitlist_reason(user: User) -> str | None:
    """Why a member is waiting for a group, in words they can read; None when they aren't."""
    entry = db.session.get(WaitlistEntry, user.id)
    return entry.reason if entry else None


def mark_seen(user: User, group: Group) -> None:
    """The member has seen their new group, so the home page stops announcing it."""
    membership = _membership(group, user)
    if membership is not None and membership.seen_at is None:
        membership.seen_at = utcnow()
        db.session.commit()


def _km(a, b) -> float:
    return float(haversine_km(*map(math.radians, (a.lat, a.lon, b.lat, b.lon))))


def _browsable(user: User, member) -> list[Group]:
    """Open groups with a free seat, in a mode and area that could suit this member.

    A coarse filter in SQL (mode, pace, areas within twice the distance); `rank_groups` decides.
    """
    modes = {"online": ["online"], "in_person": ["in_person"]}.get(member.format, list(GROUP_MODES))
    if member.lat is None:
        modes = [m for m in modes if m == "online"]
    mine = select(Membership.group_id).where(Membership.user_id == user.id, Membership.left_at.is_(None))
    declined = select(GroupFeedback.group_id).where(GroupFeedback.user_id == user.id)
    seated = (select(func.count()).select_from(Membership)
              .where(Membership.group_id == Group.id, Membership.left_at.is_(None)).scalar_subquery())
    out_of_step = (select(Membership.id).join(Profile, Profile.user_id == Membership.user_id).where(
        Membership.group_id == Group.id, Membership.left_at.is_(None),
        (Profile.comfort_step < member.comfort - 1) | (Profile.comfort_step > member.comfort + 1),
    ).exists())
    query = select(Group).where(
        Group.is_open.is_(True), Group.mode.in_(modes), seated < Group.capacity, seated > 0,
        Group.id.not_in(mine), Group.id.not_in(declined), ~out_of_step,
    )
    if member.lat is not None:
        near = [slug for slug, hood in neighbourhoods().items() if _km(member, hood) <= 2 * MAX_DISTANCE_KM]
        query = query.where((Group.mode == "online") | Group.neighbourhood.is_(None) | Group.neighbourhood.in_(near))
    members = selectinload(Group.memberships).selectinload(Membership.user).selectinload(User.profile)
    return list(db.session.scalars(query.options(members).order_by(Group.id)))


def _focus_keys(profile: Profile) -> tuple[set[str], bool]:
    """Taxonomy interests (after synonyms) a member has, and whether they also wrote their own."""
    tax = taxonomy()
    keys = set(profile.interests)
    for text in profile.custom_interests:
        slug = tax.match(text)
        keys.update([slug] if slug else tax.find_within(text))
    return keys, bool(profile.custom_interests)


def _rough_fit(member, mine: tuple[set[str], bool], profiles: list[Profile]) -> int | None:
    """A cheap first look before the model: None when no focus can be shared, else a rough score
    (interests everyone shares, weekly slots everyone has free) to pick whom the model compares."""
    theirs = [_focus_keys(p) for p in profiles]
    common = set(mine[0]).intersection(*(keys for keys, _ in theirs))
    if not common and not (mine[1] and all(own for _, own in theirs)):
        return None
    slots = set(member.availability).intersection(*(p.availability for p in profiles))
    return 2 * len(common) + len(slots)


def open_groups_for(user: User, limit: int = 10) -> list[GroupSuggestion]:
    """Groups a member could join by choice, best fit first, ranked by the matching model.

    The model's cost grows with the people it compares, so groups that can't share a focus are
    dropped first and only the roughly best few dozen are given to it.
    """
    if not user.is_onboarded:
        return []
    member, mine = member_profile(user.profile), _focus_keys(user.profile)
    rough = []
    for group in _browsable(user, member):
        profiles = [m.user.profile for m in group.active_memberships if m.user.is_onboarded]
        fit = _rough_fit(member, mine, profiles) if profiles else None
        if fit is not None:
            rough.append((-fit, group.id, group, profiles))
    rough.sort(key=lambda item: item[:2])
    groups = [group for _, _, group, _ in rough[:MODEL_SHORTLIST]]
    candidates = [CandidateGroup(members=[member_profile(p) for p in profiles], mode=group.mode)
                  for _, _, group, profiles in rough[:MODEL_SHORTLIST]]
    fits = rank_groups(member, candidates, max_size=max((g.capacity for g in groups), default=MAX_GROUP_SIZE),
                       max_distance_km=MAX_DISTANCE_KM)
    hoods = neighbourhoods()
    suggestions = []
    for fit in fits[:limit]:
        group = groups[fit.index]
        area = hoods[group.neighbourhood].name if group.neighbourhood in hoods else (
            "Online" if group.mode == "online" else "Atlanta area")
        suggestions.append(GroupSuggestion(
            group=group, score=float(fit.score), shared_interests=[display_name(n) for n in fit.shared_interests],
            common_slots=list(fit.common_slots), area_name=area,
        ))
    return suggestions
