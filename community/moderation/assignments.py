"""Which moderators look after which groups. Admins assign them; a moderator sees and acts on
the groups assigned to them only (admins on every group)."""
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from community.extensions import db
from community.models import Group, GroupModerator, User
from community.moderation.escalations import audit
from community.moderation.review import ReviewError


def moderators_of(group: Group) -> list[User]:
    return list(db.session.scalars(select(User).join(GroupModerator, GroupModerator.user_id == User.id)
                                   .where(GroupModerator.group_id == group.id).order_by(User.display_name)))


def assign(group: Group, user: User | None, by: User) -> None:
    if user is None:
        raise ReviewError("We couldn't find an account with that email. Nothing was changed.")
    if user.role != "moderator":
        raise ReviewError(f"{user.display_name} isn't a moderator. Give them the moderator role first "
                          "(admins already look after every group).")
    if db.session.get(GroupModerator, (group.id, user.id)) is not None:
        raise ReviewError(f"{user.display_name} already looks after {group.name}.")
    db.session.add(GroupModerator(group_id=group.id, user_id=user.id))
    audit("moderator_assigned", actor_id=by.id, subject_id=user.id, group_id=group.id)
    try:
        db.session.commit()
    except IntegrityError:  # assigned from two tabs at once
        db.session.rollback()
        raise ReviewError(f"{user.display_name} already looks after {group.name}.") from None


def unassign(group: Group, user: User, by: User) -> bool:
    gone = db.session.execute(delete(GroupModerator).where(GroupModerator.group_id == group.id,
                                                           GroupModerator.user_id == user.id)).rowcount
    if gone:
        audit("moderator_unassigned", actor_id=by.id, subject_id=user.id, group_id=group.id)
    db.session.commit()
    return bool(gone)
