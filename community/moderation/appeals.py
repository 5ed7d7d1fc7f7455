"""Appeals and the record: a member may appeal a hide, mute or removal once, with a note, and a
moderator other than the one who acted decides. The moderation log is searchable by moderators
(their groups) and admins (everything); members see the actions taken on their own account."""
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, selectinload

from community.extensions import db
from community.models import Appeal, GroupModerator, ModerationAction, User
from community.models.base import utcnow
from community.moderation.escalations import audit
from community.moderation.review import ReviewError, may_review, push_counts
from community.moderation.sanctions import APPEALABLE, clean_reason, restore
from community.notifications.services import notify

NOTE_LENGTH = 2000
LOG_PAGE = 100


def appealable(member: User, action: ModerationAction) -> bool:
    return (action.subject_id == member.id and action.kind in APPEALABLE and action.restored_at is None
            and action.appeal is None)


def appeal(member: User, action: ModerationAction, note) -> Appeal:
    if action.subject_id != member.id:
        raise ReviewError("You can appeal actions on your own account.")
    if action.kind not in APPEALABLE:
        raise ReviewError("Hides, pauses and removals can be appealed.")
    if action.appeal is not None:
        raise ReviewError("You've already appealed this. A moderator will let you know what they decide.")
    if action.restored_at is not None:
        raise ReviewError("This has already been undone, so there's nothing to appeal.")
    note = (note or "").strip() if isinstance(note, str) else ""
    if not note:
        raise ReviewError("Please say in a few words why you'd like it looked at again.")
    if len(note) > NOTE_LENGTH:
        raise ReviewError(f"Please keep the note to {NOTE_LENGTH:,} characters or fewer.")
    filed = Appeal(action_id=action.id, member_id=member.id, note=note, status="open", created_at=utcnow())
    db.session.add(filed)
    try:
        db.session.flush()
    except IntegrityError:  # two tabs at once
        db.session.rollback()
        raise ReviewError("You've already appealed this. A moderator will let you know what they decide.") from None
    audit("appeal_filed", actor_id=member.id, subject_id=member.id, action_id=action.id, appeal_id=filed.id)
    db.session.commit()
    push_counts(action.group_id)
    return filed


def may_decide(by: User, filed: Appeal) -> bool:
    """A moderator of the group (or an admin) who did not take the action themselves."""
    action = filed.action
    return (action.actor_id != by.id and action.group_id is not None and may_review(by, action.group_id)
            or (action.group_id is None and by.role == "admin" and action.actor_id != by.id))


def open_appeals(by: User) -> list[Appeal]:
    found = db.session.scalars(select(Appeal).where(Appeal.status == "open")
                               .options(selectinload(Appeal.action)).order_by(Appeal.created_at, Appeal.id))
    return [a for a in found if may_decide(by, a)]


def decide(filed: Appeal, by: User, overturn: bool, reason) -> Appeal:
    if not may_decide(by, filed):
        raise ReviewError("A different moderator from the one who acted decides an appeal.")
    if filed.status != "open":
        raise ReviewError("This appeal has already been decided.")
    reason = clean_reason(reason)
    now = utcnow()
    filed.status, filed.decided_by_id, filed.decided_at, filed.decision_reason = (
        "overturned" if overturn else "upheld", by.id, now, reason)
    audit("appeal_decided", actor_id=by.id, subject_id=filed.member_id, appeal_id=filed.id,
          outcome=filed.status)
    if overturn:
        restore(filed.action, by, reason, via_appeal=True)  # commits, with the notice to the member
        return filed
    notify(filed.member_id, "appeal_decided",
           f"A different moderator looked at your appeal and kept the decision. The reason they gave: {reason}",
           link="/moderation/record")
    db.session.commit()
    push_counts(filed.action.group_id)
    return filed


def record_of(member: User) -> list[ModerationAction]:
    """What a member sees about their own account: every action but dismissals and approvals."""
    return list(db.session.scalars(select(ModerationAction).where(
        ModerationAction.subject_id == member.id, ModerationAction.kind.not_in(("dismiss", "approve")))
        .options(selectinload(ModerationAction.appeal), selectinload(ModerationAction.group))
        .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())))


def search_log(by: User, text: str = "", kind: str = "", group_id: int | None = None) -> list[ModerationAction]:
    """The moderation log, newest first: the groups this moderator looks after, or everything for
    admins; `text` matches the reason and the names of the member and the moderator."""
    subject, actor = aliased(User), aliased(User)
    query = (select(ModerationAction).outerjoin(subject, subject.id == ModerationAction.subject_id)
             .outerjoin(actor, actor.id == ModerationAction.actor_id))
    if by.role != "admin":
        query = query.where(ModerationAction.group_id.in_(
            select(GroupModerator.group_id).where(GroupModerator.user_id == by.id)))
    if text:
        like = f"%{text.strip()[:100]}%"
        query = query.where(or_(ModerationAction.reason.ilike(like), subject.display_name.ilike(like),
                                actor.display_name.ilike(like)))
    if kind:
        query = query.where(ModerationAction.kind == kind)
    if group_id is not None:
        query = query.where(ModerationAction.group_id == group_id)
    audit("moderation_log_viewed", actor_id=by.id, text=bool(text), kind=kind, group_id=group_id)
    db.session.commit()
    return list(db.session.scalars(query.options(selectinload(ModerationAction.actor),
                                                 selectinload(ModerationAction.subject),
                                                 selectinload(ModerationAction.group))
                                   .order_by(ModerationAction.id.desc()).limit(LOG_PAGE)))
