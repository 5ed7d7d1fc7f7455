"""Blocking: a member collapses someone's messages for themselves, everywhere. The blocked person
is never told, and nothing about the block reaches anyone else."""
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from community.extensions import db
from community.models import Block, User
from community.models.base import utcnow
from community.moderation.review import ReviewError
from community.support.services import shared_group_id


def blockable(blocker: User, subject: User | None) -> User:
    """Someone in one of your groups, or someone you blocked already (so you can unblock them)."""
    if subject is None or subject.id == blocker.id or (
            shared_group_id(blocker, subject) is None and not is_blocked(blocker, subject.id)):
        raise ReviewError("That isn't someone in your groups.")
    return subject


def is_blocked(blocker: User, subject_id: int) -> bool:
    return db.session.get(Block, (blocker.id, subject_id)) is not None


def blocked_ids(blocker: User) -> list[int]:
    if not blocker.is_authenticated:
        return []
    return sorted(db.session.scalars(select(Block.blocked_id).where(Block.blocker_id == blocker.id)))


def block(blocker: User, subject: User) -> None:
    blockable(blocker, subject)
    if is_blocked(blocker, subject.id):
        return
    db.session.add(Block(blocker_id=blocker.id, blocked_id=subject.id, created_at=utcnow()))
    try:
        db.session.commit()
    except IntegrityError:  # blocked from two tabs at once: the block stands either way
        db.session.rollback()
    from community.journey import buddies

    buddies.release_all(blocker.id, paired_with=subject.id)  # no walking in with someone you blocked


def unblock(blocker: User, subject: User) -> None:
    db.session.execute(delete(Block).where(Block.blocker_id == blocker.id, Block.blocked_id == subject.id))
    db.session.commit()
