"""Taking seats in a group so its size cap holds when many people join at the same moment."""
from sqlalchemy import func, select, update

from community.extensions import db
from community.models import Group, Membership


def reserve_seats(group_id: int, count: int = 1, *, require_open: bool = False) -> bool:
    """True if `count` more people fit in the group; the caller then adds them and commits.

    Lock first, count second, in the caller's transaction. The UPDATE makes every other join to
    this group wait until we commit: on PostgreSQL it holds the group's row, and the count that
    follows is a new statement with a new snapshot (READ COMMITTED), so it sees what the joins
    before us committed. A single conditional UPDATE with a count subquery would not: PostgreSQL
    re-checks a waited-for row against the snapshot taken before the wait. On SQLite the UPDATE
    takes the database's write lock, and pysqlite runs the earlier SELECTs outside the transaction,
    so the count is current there too.
    """
    db.session.execute(
        update(Group).where(Group.id == group_id).values(seat_version=Group.seat_version + 1),
        execution_options={"synchronize_session": False},
    )
    capacity, is_open = db.session.execute(
        select(Group.capacity, Group.is_open).where(Group.id == group_id)
    ).one()
    if require_open and not is_open:
        return False
    taken = db.session.scalar(
        select(func.count()).select_from(Membership)
        .where(Membership.group_id == group_id, Membership.left_at.is_(None))
    )
    return taken + count <= capacity
