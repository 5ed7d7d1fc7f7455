"""Matching runs: adapt members and groups for `matching`, preview a run, apply exactly what was
previewed. `matching` is pure; everything that reads or writes the database lives here."""
import time
from collections import Counter
from functools import cache
from hashlib import sha256

from sqlalchemy import delete, func, insert, select, text, union, update
from sqlalchemy.orm import aliased, defer

from community.extensions import db
from community.groups.errors import GroupError
from community.groups.seats import reserve_seats
from community.groups.wording import group_name, newcomer_text, welcome_text
from community.models import (
    Group,
    GroupAnnouncement,
    GroupFeedback,
    MatchRun,
    Membership,
    Profile,
    User,
    WaitlistEntry,
)
from community.models.base import utcnow
from community.models.group import MAX_GROUP_SIZE, MIN_GROUP_SIZE
from community.models.privacy import AccountDeletion
from community.reference import neighbourhoods, normalise_tag, taxonomy
from matching import ExistingGroup, MatchResult, MemberProfile, form_groups

MAX_DISTANCE_KM = 25.0
APPLY_LOCK = 0x6367_6D61  # PostgreSQL advisory lock key for applying runs ("cgma")
STALE = ("The community has changed since this preview (someone joined, left or updated their "
         "profile), so it may no longer fit everyone. Please run a new preview and apply that one.")
ALREADY_APPLIED = "This run has already been applied. Run a new preview to place anyone who joined since."
SEATS_GONE = ("The group that suits you best has no seat left right now. You're on the waitlist, and "
              "the next matching run will look for a place for you.")
SEAT_TAKEN = ("Someone else took a seat in one of the proposed groups while this preview waited. "
              "Please run a new preview.")


def member_profile(profile: Profile) -> MemberProfile:
    """One onboarded member as matching sees them: names, not slugs, so free text still counts."""
    known = taxonomy().interests
    interests = [known[slug].name for slug in profile.interests if slug in known]
    interests += [tag for tag in profile.custom_interests if tag not in interests]
    hood = None if profile.online_only else neighbourhoods().get(profile.neighbourhood or "")
    return MemberProfile(
        id=profile.user_id,
        interests=tuple(interests),
        availability=tuple(sorted(set(profile.availability))),
        lat=hood.lat if hood else None,
        lon=hood.lon if hood else None,
        format="online" if profile.online_only else (profile.format_preference or "either"),
        comfort=profile.comfort_step or 1,
        place=hood.name if hood else None,
    )


@cache
def _display_names() -> dict[str, str]:
    """Folded names -> how we show them: matching speaks in lower case, groups keep 'Board games'."""
    tax = taxonomy()
    names = {normalise_tag(c.name): c.name for c in tax.categories.values()}
    names.update((normalise_tag(i.name), i.name) for i in tax.interests.values())
    return names


def display_name(tag: str, own_words: dict[str, str] | None = None) -> str:
    """A shared focus as the taxonomy writes it, or as a member first wrote it ('K-pop')."""
    folded = normalise_tag(tag)
    known = _display_names().get(folded) or (own_words or {}).get(folded)
    if known:
        return known
    slug = taxonomy().match(tag)
    return taxonomy().interests[slug].name if slug else tag


def member_profiles() -> list[MemberProfile]:
    """Every member who finished onboarding, in id order (matching is deterministic per order).

    Staff accounts (organizers, moderators, admins) are for the work, not matched into groups, and
    neither is anyone who has asked for their account to be deleted.
    """
    leaving = select(AccountDeletion.user_id)
    profiles = db.session.scalars(
        select(Profile).join(User, User.id == Profile.user_id)
        .where(Profile.completed_at.is_not(None), User.role == "member", Profile.user_id.not_in(leaving))
        .order_by(Profile.user_id)
        # Matching never reads the private answers: leave them encrypted (and skip ~20 µs each).
        .options(defer(Profile.barriers), defer(Profile.communication_note))
    )
    return [member_profile(p) for p in profiles]


def _active_members() -> dict[int, list[int]]:
    """group id -> active member ids, in joining order."""
    members: dict[int, list[int]] = {}
    rows = db.session.execute(
        select(Membership.group_id, Membership.user_id)
        .where(Membership.left_at.is_(None)).order_by(Membership.group_id, Membership.id)
    )
    for group_id, user_id in rows:
        members.setdefault(group_id, []).append(user_id)
    return members


def current_groups() -> list[tuple[Group, ExistingGroup]]:
    """Every group that still has active members, oldest first."""
    members = _active_members()
    active = select(Membership.group_id).where(Membership.left_at.is_(None))
    groups = db.session.scalars(select(Group).where(Group.id.in_(active)).order_by(Group.id))
    return [(g, ExistingGroup(member_ids=members[g.id], mode=g.mode)) for g in groups]


def avoid_pairs() -> set[tuple[int, int]]:
    """Pairs of members matching must never put together.

    Whoever said a group wasn't for them, with everyone who was ever in it; whoever left a group
    (or was taken out), with the people still in it, so a refill never puts them back.
    """
    other = aliased(Membership)
    left = (select(Membership.user_id, other.user_id)
            .join(other, other.group_id == Membership.group_id)
            .where(Membership.left_at.is_not(None), other.left_at.is_(None),
                   other.user_id != Membership.user_id))
    declined = (select(GroupFeedback.user_id, other.user_id)
                .join(other, other.group_id == GroupFeedback.group_id)
                .where(other.user_id != GroupFeedback.user_id))
    return {(min(a, b), max(a, b)) for a, b in db.session.execute(union(left, declined))}


def community_fingerprint() -> str:
    """A digest of everything a run depends on, so a stale preview is never applied."""
    digest = sha256()
    for user_id, updated in db.session.execute(
        select(Profile.user_id, Profile.updated_at)
        .where(Profile.completed_at.is_not(None)).order_by(Profile.user_id)
    ):
        digest.update(f"p{user_id}:{updated.isoformat()};".encode())
    for group_id, user_id in db.session.execute(
        select(Membership.group_id, Membership.user_id)
        .where(Membership.left_at.is_(None)).order_by(Membership.group_id, Membership.user_id)
    ):
        digest.update(f"m{group_id}:{user_id};".encode())
    for group_id, capacity, is_open in db.session.execute(
        select(Group.id, Group.capacity, Group.is_open).order_by(Group.id)
    ):
        digest.update(f"g{group_id}:{capacity}:{is_open};".encode())
    for (feedback_id,) in db.session.execute(select(GroupFeedback.id).order_by(GroupFeedback.id)):
        digest.update(f"f{feedback_id};".encode())
    return digest.hexdigest()


def _inputs() -> tuple[list[MemberProfile], list[Group], list[ExistingGroup], set]:
    """What matching needs: members still to place plus the members of groups with a free seat.

    Members of full or closed groups are already placed and left out. A member in several open
    groups is given to the oldest one only (matching places each person once); seats are
    counted again from the database before anything is proposed. Members who haven't finished
    onboarding still take a seat: matching counts ids it has no profile for.
    """
    profiles = {p.id: p for p in member_profiles()}
    groups, existing, given = [], [], set()
    placed = set()
    for group, current in current_groups():
        placed.update(current.member_ids)
        if not group.is_open or len(current.member_ids) >= min(group.capacity, MAX_GROUP_SIZE):
            continue
        ids = [i for i in current.member_ids if i not in given]
        if any(i in profiles for i in ids):
            given.update(ids)
            groups.append(group)
            existing.append(ExistingGroup(member_ids=ids, mode=group.mode))
    considered = [p for i, p in profiles.items() if i not in placed or i in given]
    ids = {p.id for p in considered}
    avoid = {pair for pair in avoid_pairs() if pair[0] in ids and pair[1] in ids}
    return considered, groups, existing, avoid


def _home_areas() -> dict[int, str]:
    """user id -> neighbourhood slug, for members who gave one and meet in person."""
    return dict(db.session.execute(
        select(Profile.user_id, Profile.neighbourhood)
        .where(Profile.neighbourhood.is_not(None), Profile.online_only.is_(False))
    ).all())


def _area(member_ids: list[int], homes: dict[int, str]) -> str | None:
    """The most common neighbourhood of the group's members (ties: alphabetical)."""
    counts = Counter(homes[i] for i in member_ids if i in homes)
    return min(counts, key=lambda slug: (-counts[slug], slug)) if counts else None


def _match(profiles: list[MemberProfile], existing: list[ExistingGroup], avoid: set, seed: int) -> MatchResult:
    if not profiles:
        return MatchResult(groups=[], unmatched=[])  # nobody onboarded yet: nothing to ask
    try:
        return form_groups(profiles, min_size=MIN_GROUP_SIZE, max_size=MAX_GROUP_SIZE, existing=existing,
                           seed=seed, max_distance_km=MAX_DISTANCE_KM, avoid=avoid)
    except ValueError as exc:  # a malformed call is our bug; say so plainly to the organizer
        raise GroupError(f"Matching could not run on this data: {exc}") from exc


def _proposal(result: MatchResult, profiles: list[MemberProfile], groups: list[Group],
              existing: list[ExistingGroup]) -> dict:
    """What the run would do, as JSON: new groups, newcomers for running groups, who waits and why.

    Running groups are given only as many newcomers as they have real seats (matching knows one
    size cap; a hand-made group may have its own); anyone beyond that waits for the next run.
    """
    taken = {name.lower() for name in db.session.scalars(select(Group.name))}
    homes = _home_areas()
    own_words: dict[str, str] = {}
    for profile in profiles:
        for tag in profile.interests:
            own_words.setdefault(normalise_tag(tag), tag)
    proposed, unmatched = [], [{"user_id": int(u.member_id), "reason": u.reason[:400]} for u in result.unmatched]
    for found in result.groups:
        member_ids = [int(i) for i in found.member_ids]
        group = groups[found.existing_index] if found.existing_index is not None else None
        new_ids = member_ids
        if group is not None:
            before = set(existing[found.existing_index].member_ids)
            new_ids = [i for i in member_ids if i not in before]
            if not new_ids:
                continue  # a running group left as it is
            seats = max(group.capacity - group.size, 0)
            unmatched += [{"user_id": i, "reason": SEATS_GONE} for i in new_ids[seats:]]
            new_ids = new_ids[:seats]
            if not new_ids:
                continue
            member_ids = [m.user_id for m in group.active_memberships] + new_ids
        names = [display_name(n, own_words) for n in found.shared_interests]
        hood = _area(member_ids, homes) if found.mode == "in_person" else None
        proposed.append({
            "group_id": group.id if group else None,
            "name": group.name if group else group_name(names, taken, neighbourhoods()[hood].name if hood else None),
            "member_ids": member_ids, "new_member_ids": new_ids, "mode": found.mode,
            "shared_interests": names, "common_slots": [int(s) for s in found.common_slots],
            "score": round(float(found.score), 4), "explanation": found.explanation,
            "neighbourhood": group.neighbourhood if group else hood,
        })
    return {"groups": proposed, "unmatched": unmatched}


def preview_match(run_by: User | None = None, seed: int = 0) -> MatchRun:
    """Run matching over everyone onboarded and store what it proposes; nothing else changes."""
    started = time.perf_counter()
    fingerprint = community_fingerprint()
    profiles, groups, existing, avoid = _inputs()
    proposal = _proposal(_match(profiles, existing, avoid, seed), profiles, groups, existing)
    proposed = proposal["groups"]
    run = MatchRun(
        run_by_id=run_by.id if run_by else None,
        member_count=len(profiles),
        placed_count=sum(len(g["new_member_ids"]) for g in proposed),
        new_group_count=sum(g["group_id"] is None for g in proposed),
        filled_group_count=sum(g["group_id"] is not None for g in proposed),
        unmatched_count=len(proposal["unmatched"]),
        duration_ms=round((time.perf_counter() - started) * 1000),
        fingerprint=fingerprint,
        proposal=proposal,
    )
    db.session.add(run)
    db.session.commit()
    return run


def apply_match(run: MatchRun, by: User | None = None) -> MatchRun:
    """Apply exactly what was previewed, in one transaction, or nothing at all.

    Applies take turns: on SQLite the first UPDATE takes the write lock, on PostgreSQL an advisory
    lock held until commit. So the fingerprint is read after any other apply has committed, and
    two previews of the same moment can't both place the same people. Claiming the run with a
    conditional UPDATE makes a second apply of it a calm refusal.
    """
    now = utcnow()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPLY_LOCK})
    claimed = db.session.execute(
        update(MatchRun).where(MatchRun.id == run.id, MatchRun.applied_at.is_(None))
        .values(applied_at=now, applied_by_id=by.id if by else None),
        execution_options={"synchronize_session": False},
    ).rowcount
    try:
        if not claimed:
            raise GroupError(ALREADY_APPLIED)
        if community_fingerprint() != run.fingerprint:
            raise GroupError(STALE)
        _place(run, by)
        _waitlist(run)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    db.session.refresh(run)
    return run


def _place(run: MatchRun, by: User | None) -> None:
    """Create the proposed groups and seat newcomers in existing ones."""
    for item in run.proposal.get("groups", []):
        new_ids = item["new_member_ids"]
        if item["group_id"] is None:
            group = Group(
                name=item["name"], mode=item["mode"], origin="matching", capacity=MAX_GROUP_SIZE,
                shared_interests=item["shared_interests"], common_slots=item["common_slots"],
                explanation=item["explanation"][:400], score=item["score"],
                neighbourhood=item["neighbourhood"], match_run_id=run.id,
                created_by_id=by.id if by else None,
            )
            group.memberships = [Membership(user_id=i, source="matching") for i in new_ids]
            group.announcements = [GroupAnnouncement(
                kind="welcome", body=welcome_text(item["shared_interests"], item["common_slots"]))]
            db.session.add(group)
        else:
            if not reserve_seats(item["group_id"], len(new_ids)):
                raise GroupError(SEAT_TAKEN)
            if item["shared_interests"]:  # keep "why you're together" true with the newcomers in
                db.session.execute(update(Group).where(Group.id == item["group_id"]).values(
                    shared_interests=item["shared_interests"], common_slots=item["common_slots"],
                    score=item["score"], explanation=item["explanation"][:400],
                ), execution_options={"synchronize_session": False})
            db.session.add_all(Membership(group_id=item["group_id"], user_id=i, source="matching")
                               for i in new_ids)
            db.session.add(GroupAnnouncement(group_id=item["group_id"], kind="newcomer",
                                             body=newcomer_text(len(new_ids))))
    db.session.flush()


def _waitlist(run: MatchRun) -> None:
    """The waitlist becomes exactly who this run could not place, each with their reason.

    The fingerprint guarantees nobody else changed since the preview, so everyone else onboarded
    is now in a group (placed by this run or before) and needs no entry.
    """
    db.session.execute(delete(WaitlistEntry))
    reasons = {item["user_id"]: item["reason"] for item in run.proposal.get("unmatched", [])}
    if reasons:
        db.session.execute(insert(WaitlistEntry), [
            {"user_id": user_id, "reason": reason, "match_run_id": run.id}
            for user_id, reason in reasons.items()
        ])


def run_and_apply(by: User | None = None, seed: int = 0) -> MatchRun:
    """Preview and apply in one go, for the CLI's --apply."""
    return apply_match(preview_match(by, seed=seed), by)


def latest_runs(limit: int = 10) -> list[MatchRun]:
    """The most recent runs, newest first, for the organizers' page."""
    return list(db.session.scalars(select(MatchRun).order_by(MatchRun.id.desc()).limit(limit)))


def unplaced_count() -> int:
    """Onboarded members in no group at all."""
    in_group = select(Membership.user_id).where(Membership.left_at.is_(None))
    return db.session.scalar(
        select(func.count()).select_from(Profile).join(User, User.id == Profile.user_id)
        .where(Profile.completed_at.is_not(None), User.role == "member", Profile.user_id.not_in(in_group))
    )
