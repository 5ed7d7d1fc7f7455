"""Moving one's own comfort step, and a StepChange row for every move, whichever page makes it.

The record is kept by a session listener, not by each page: the journey page, the profile's edit
page and onboarding all change Profile.comfort_step, and none of them has to remember to write the
row. The first value set during onboarding (from nothing) is not a move, so it isn't recorded.
Bulk UPDATE statements bypass the session and so aren't recorded; nothing in the app uses one for
comfort steps.
"""
from sqlalchemy import event
from sqlalchemy.orm import attributes

from community.extensions import db
from community.models import Profile, StepChange, User

LOWEST_STEP, HIGHEST_STEP = 1, 4


class StepError(Exception):
    """Why the step can't be moved as asked, in words a member can read."""


def move_step(user: User, to_step: int) -> bool:
    """Set the member's comfort step and commit; False when it was already there."""
    if not isinstance(to_step, int) or not LOWEST_STEP <= to_step <= HIGHEST_STEP:
        raise StepError(f"Please choose a step from {LOWEST_STEP} to {HIGHEST_STEP}.")
    profile = user.profile
    if profile is None:
        raise StepError("Please finish setting up your profile first.")
    if profile.comfort_step == to_step:
        return False
    profile.comfort_step = to_step
    db.session.commit()
    return True


def neighbour_step(current: int, direction: str) -> int:
    """One step up or down from `current`; a StepError past either end of the ladder."""
    target = current + {"up": 1, "down": -1}[direction]
    if target > HIGHEST_STEP:
        raise StepError("You're on the top step already. You can stay here as long as you like.")
    if target < LOWEST_STEP:
        raise StepError("You're on the first step already, and that's a fine place to be.")
    return target


# Load the value being replaced whenever comfort_step is set, even if it had expired after a
# commit, so the flush below can always see which step the member moved from.
@event.listens_for(Profile.comfort_step, "set", active_history=True)
def _keep_old_step(target, value, oldvalue, initiator):
    """Nothing to do here: asking for active history is the point."""


@event.listens_for(db.session, "before_flush")
def _record_step_changes(session, flush_context, instances):
    for obj in list(session.dirty):
        if not isinstance(obj, Profile):
            continue
        history = attributes.get_history(obj, "comfort_step")
        if not history.has_changes():
            continue
        before = next((v for v in history.deleted if v is not None), None)
        after = history.added[0] if history.added else None
        if before is not None and after is not None and before != after:
            session.add(StepChange(user_id=obj.user_id, from_step=before, to_step=after))
