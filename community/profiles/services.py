"""Saving onboarding steps. Each step saves on its own so a member can stop and come back."""
from community.extensions import db
from community.models import Profile, User
from community.models.base import utcnow
from community.reference import normalise_tag, taxonomy

# The order a new member sees; the optional ones (private, sharing) still count as visited.
STEPS = ("interests", "where", "when", "pace", "private", "sharing", "consent")


def profile_for(user: User) -> Profile:
    if user.profile is None:
        user.profile = Profile(interests=[], custom_interests=[], availability=[], barriers=[],
                               communication_prefs=[], steps_done=[])
    return user.profile


def next_step(profile: Profile | None) -> str | None:
    """The first step not yet saved, or None once every step is done."""
    done = set(profile.steps_done) if profile else set()
    return next((step for step in STEPS if step not in done), None)


def split_own_interests(chosen: list[str], own: list[str]) -> tuple[list[str], list[str]]:
    """Fold the member's own words into taxonomy interests where we know them ('catan' is
    board games), keep the rest as typed, and drop duplicates."""
    tax = taxonomy()
    slugs = list(dict.fromkeys(chosen))
    custom: list[str] = []
    seen = set()
    for text in own:
        slug = tax.match(text)
        if slug:
            if slug not in slugs:
                slugs.append(slug)
        elif normalise_tag(text) not in seen:
            seen.add(normalise_tag(text))
            custom.append(text)
    return slugs, custom


def save_step(user: User, step: str, values: dict) -> Profile:
    """Apply one step's validated values and commit; completes onboarding after consent."""
    if step not in STEPS:
        raise ValueError(f"unknown onboarding step {step!r}")
    profile = profile_for(user)
    if step == "interests":
        profile.interests, profile.custom_interests = split_own_interests(
            values["interests"], values["own_interests"]
        )
    elif step == "where":
        online_only = values["neighbourhood"] == "online"
        profile.online_only = online_only
        profile.neighbourhood = None if online_only else values["neighbourhood"]
        if online_only and profile.format_preference in ("in_person", "either"):
            profile.format_preference = "online"
    elif step == "when":
        profile.availability = sorted(set(values["slots"]))
    elif step == "pace":
        profile.format_preference = values["format_preference"]
        profile.comfort_step = values["comfort_step"]
    elif step == "private":
        profile.barriers = list(dict.fromkeys(values["barriers"]))
    elif step == "sharing":
        profile.communication_prefs = list(dict.fromkeys(values["communication_prefs"]))
        profile.communication_note = (values["communication_note"] or "").strip()
    elif step == "consent":
        profile.consented_at = profile.consented_at or utcnow()
    if step not in profile.steps_done:
        profile.steps_done = [*profile.steps_done, step]  # a new list so the JSON change is seen
    if profile.completed_at is None and next_step(profile) is None:
        profile.completed_at = utcnow()
    db.session.commit()
    return profile
