"""Who is invited to an activity, and who may organize it. Everything that shows or changes an
activity asks here first; an activity someone isn't invited to is a 404 for them."""
from sqlalchemy import exists, select

from community.extensions import db
from community.models import Membership, User
from community.models.activity import Activity, ActivityGroup


def may_organize(user: User) -> bool:
    return user.is_authenticated and user.has_role("organizer")


def invited(user: User, activity: Activity) -> bool:
    """Organizers and admins see every activity; a member sees one for a group they are in, or an
    open one whose comfort step they have reached (a member at step 3 sees open steps 1 to 3)."""
    if not user.is_authenticated:
        return False
    if may_organize(user):
        return True
    if activity.audience == "open":
        profile = user.profile
        return profile is not None and profile.comfort_step is not None and profile.comfort_step >= activity.comfort_step
    return bool(db.session.scalar(select(exists().where(
        ActivityGroup.activity_id == activity.id, ActivityGroup.group_id == Membership.group_id,
        Membership.user_id == user.id, Membership.left_at.is_(None)))))
