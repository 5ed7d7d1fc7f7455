"""Turn groups, memberships and matching runs into the words the group pages show.

Reading only; nothing here changes the database. Members' private answers (barriers) are never
read here, so no page built from these helpers can show them.
"""
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from community.extensions import db
from community.models import Profile, User
from community.models.group import Group, Membership
from community.profiles.options import COMMUNICATION_LABELS
from community.reference import neighbourhoods, slot_label

MODE_LABELS = {"online": "Online", "in_person": "In person"}
ORIGIN_LABELS = {"matching": "Matching", "manual": "Made by hand"}


def me() -> User:
    """The signed-in member's own row (not flask_login's proxy), for services that store it."""
    return current_user._get_current_object()


def mode_label(mode: str | None) -> str:
    return MODE_LABELS.get(mode or "", "Not set")


def area_label(slug: str | None) -> str | None:
    hood = neighbourhoods().get(slug or "")
    return f"{hood.name} ({hood.area})" if hood and hood.area != hood.name else (hood.name if hood else None)


def slot_labels(slots) -> list[str]:
    return [slot_label(s) for s in sorted(slots or []) if isinstance(s, int) and 0 <= s < 21]


def active_membership(user, group: Group) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.group_id == group.id, Membership.user_id == user.id, Membership.left_at.is_(None)
        )
    )


def can_see(user, group: Group) -> bool:
    """Members of the group, organizers and admins; everyone else is told the page doesn't exist."""
    return user.has_role("organizer") or active_membership(user, group) is not None


def member_cards(group: Group) -> list[dict]:
    """What a group's members share with each other: names and how they like to communicate."""
    cards = []
    # Everyone's name and profile in one query, not two per member.
    memberships = db.session.scalars(
        select(Membership).where(Membership.group_id == group.id, Membership.left_at.is_(None))
        .options(joinedload(Membership.user).joinedload(User.profile).defer(Profile.barriers))
        .order_by(Membership.id))
    for membership in memberships:
        profile = membership.user.profile
        prefs = profile.communication_prefs if profile else []
        cards.append({
            "user_id": membership.user_id,
            "name": membership.user.display_name,
            "host": membership.role == "host",
            "communication": [COMMUNICATION_LABELS[key] for key in prefs if key in COMMUNICATION_LABELS],
            "note": profile.communication_note if profile else "",
        })
    return cards


def home_cards(user, groups: list[Group]) -> list[dict]:
    """One card per active group on the home page; `new` while the member hasn't opened it yet."""
    cards = []
    for group in groups:
        membership = active_membership(user, group)
        cards.append({
            "group": group,
            "new": membership is not None and membership.seen_at is None,
            "shared_interests": list(group.shared_interests or []),
            "times": slot_labels(group.common_slots),
        })
    return cards


def display_names(user_ids) -> dict:
    """id -> display name for the people in a matching proposal (nothing else about them)."""
    ids = {i for i in user_ids if isinstance(i, int)}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return dict(rows.all())


def proposal_view(run) -> dict:
    """A matching run's proposal with names instead of ids, and scores as whole percentages."""
    proposal = run.proposal or {}
    groups = proposal.get("groups", [])
    unmatched = proposal.get("unmatched", [])
    names = display_names(
        [i for g in groups for i in g.get("member_ids", [])] + [u.get("user_id") for u in unmatched]
    )
    existing_ids = [g["group_id"] for g in groups if g.get("group_id")]
    existing = {g.id: g for g in db.session.scalars(select(Group).where(Group.id.in_(existing_ids)))} \
        if existing_ids else {}

    def name(user_id):
        return names.get(user_id, "A member who has since left")

    shown_groups = []
    for g in groups:
        new_ids = set(g.get("new_member_ids") or [])
        running = existing.get(g.get("group_id"))
        score = g.get("score")
        shown_groups.append({
            "existing": running,
            "members": [{"name": name(i), "new": i in new_ids and running is not None}
                        for i in g.get("member_ids", [])],
            "mode": mode_label(g.get("mode")),
            "shared_interests": g.get("shared_interests") or [],
            "times": slot_labels(g.get("common_slots")),
            "score": None if score is None else round(score * 100),
            "explanation": g.get("explanation", ""),
        })
    return {
        "groups": shown_groups,
        "new_groups": [g for g in shown_groups if g["existing"] is None],
        "filled_groups": [g for g in shown_groups
                          if g["existing"] is not None and any(m["new"] for m in g["members"])],
        "unchanged_count": sum(1 for g in shown_groups
                               if g["existing"] is not None and not any(m["new"] for m in g["members"])),
        "unmatched": [{"name": name(u.get("user_id")), "reason": u.get("reason", "")} for u in unmatched],
    }
