"""Staff reads of other people's private data, and the admins' access log that lists them.

Each staff page that shows someone's private data writes an audit row as it is read, with the same
`audit()` every other moderation step uses (community/moderation/escalations.py), in the request's
own transaction, with `subject_id` = whose data it was:

- escalation_viewed: an escalation (the flagged message in context, the person's earlier
  escalations, check-ins sent to them, notes): moderation/actions.py `view`.
- review_item_viewed: a review item (the message in context, who reported it, the author's
  moderation history): moderation/review.py `view`.
- appeal_viewed: an appeal being decided (the member's note, the action appealed).
- group_chat_viewed: a group's chat as moderators see it, held and hidden messages included; one
  row per member whose messages were on the page.
- group_transcript_viewed: a group's chat transcript read by a moderator or admin who isn't a member
  (chat/transcript.py); one row per member whose messages were on the page.
- moderation_record_viewed: members' moderation records: the moderation log (one row per member
  listed) and the page for undoing an action.

No staff page shows profile private answers (barriers, communication notes beyond what the group
sees): community/groups/view.py never reads them, so there is nothing to record there.
"""
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from community.extensions import db
from community.models import AuditLog, User

STAFF_READS = {
    "escalation_viewed": "Opened a safety escalation",
    "review_item_viewed": "Opened a review item",
    "appeal_viewed": "Opened an appeal",
    "group_chat_viewed": "Read a group's chat as a moderator",
    "group_transcript_viewed": "Read the transcript of a group they aren't in",
    "moderation_record_viewed": "Saw their moderation record",
}
PAGE_SIZE = 50


@dataclass
class Read:
    """One row of the access log, with names ready to show."""

    row: AuditLog
    staff: User | None
    subject: User | None

    @property
    def what(self) -> str:
        return STAFF_READS.get(self.row.action, self.row.action.replace("_", " "))

    @property
    def where(self) -> str:
        """Which record, by its number, so an admin can find it again."""
        detail, row = self.row.detail or {}, self.row
        if row.escalation_id:
            return f"Escalation {row.escalation_id}"
        if detail.get("via") == "log":
            return "Moderation log"
        for key, label in (("item_id", "Review item"), ("appeal_id", "Appeal"), ("group_id", "Group"),
                           ("action_id", "Action")):
            if detail.get(key):
                return f"{label} {detail[key]}"
        return ""


@dataclass
class Page:
    reads: list[Read]
    total: int
    number: int

    @property
    def has_older(self) -> bool:
        return self.number * PAGE_SIZE < self.total

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def reads(staff_id: int | None = None, subject_id: int | None = None, page: int = 1) -> Page:
    """Staff reads, newest first, PAGE_SIZE a page, narrowed to one staff member and/or one subject."""
    query = select(AuditLog).where(AuditLog.action.in_(STAFF_READS))
    if staff_id is not None:
        query = query.where(AuditLog.actor_id == staff_id)
    if subject_id is not None:
        query = query.where(AuditLog.subject_id == subject_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(1, min(page, max(1, -(-total // PAGE_SIZE))))
    staff, subject = aliased(User), aliased(User)
    rows = db.session.execute(
        query.add_columns(staff, subject)
        .outerjoin(staff, staff.id == AuditLog.actor_id).outerjoin(subject, subject.id == AuditLog.subject_id)
        .order_by(AuditLog.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return Page([Read(row, who, whose) for row, who, whose in rows], total, page)


def staff_choices() -> list[User]:
    """Everyone who can read private data now, and anyone who has before (a role may since have changed)."""
    readers = select(AuditLog.actor_id).where(AuditLog.action.in_(STAFF_READS), AuditLog.actor_id.is_not(None))
    return list(db.session.scalars(select(User).where(
        (User.role.in_(("moderator", "admin"))) | User.id.in_(readers)).order_by(User.display_name, User.id)))
