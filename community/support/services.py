"""A member's private side of safety: check-ins sent to them, and "I'm worried about this
person", which reaches the person as a kind check-in and the moderators as a concern item,
and never tells the person who asked."""
import logging

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from community.chat import services as chat  # a module, not names: chat.services imports moderation
from community.extensions import db, socketio
from community.models import Escalation, Membership, Message, SupportMessage, User, WorryReport
from community.models.base import utcnow
from community.moderation.escalations import audit

NOTE_LENGTH = 1000
CHECK_IN = (
    "Hi {name}. Someone here at Common Ground has been thinking of you and wanted to make sure "
    "you're okay. How are you doing? If things feel heavy right now, you can call or text 988 "
    "any time, day or night, and talk with someone kind. A moderator may also say hello "
    "privately. You don't need to reply, and you haven't done anything wrong."
)


ALREADY = "You've already told us about them today. A moderator will look in; thank you for caring."


FROM_MODERATOR = "A Common Ground moderator"  # what the member sees as the sender, never a name
FROM_US = "Common Ground"


class WorryError(Exception):
    """Why a worry can't be passed on, in words the member can act on."""


def shared_group_id(reporter: User, subject: User) -> int | None:
    """A group both are active members of (the first formed), or None."""
    mine = select(Membership.group_id).where(Membership.user_id == reporter.id, Membership.left_at.is_(None))
    return db.session.scalar(
        select(Membership.group_id).where(Membership.user_id == subject.id, Membership.left_at.is_(None),
                                          Membership.group_id.in_(mine)).order_by(Membership.group_id).limit(1))


def worry(reporter: User, subject: User, message: Message | None = None, note: str = "") -> WorryReport:
    if subject.id == reporter.id:
        raise WorryError("That's you. If you're having a hard time, you can call or text 988 any time, "
                         "and the help page has more options.")
    group_id = shared_group_id(reporter, subject)
    if group_id is None:
        raise WorryError("You can share a worry about people in your groups.")
    if message is not None and (message.author_id != subject.id or not chat.can_read(reporter, message.group_id)):
        message = None  # not theirs, or not one the reporter can read: the worry itself still counts
    if already_today(reporter, subject):
        raise WorryError(ALREADY)
    now = utcnow()
    escalation = Escalation(level="concern", source="worry", categories=["third_party"], user_id=subject.id,
                            message_id=None, group_id=message.group_id if message else group_id,
                            status="open", created_at=now)
    report = WorryReport(reporter_id=reporter.id, subject_id=subject.id, message_id=message.id if message else None,
                         escalation=escalation, note=(note or "").strip()[:NOTE_LENGTH], day=now.date(),
                         created_at=now)
    check_in = SupportMessage(recipient_id=subject.id, sender_id=None, body=CHECK_IN.format(name=subject.display_name),
                              created_at=now)
    try:
        db.session.add_all([escalation, report, check_in])
        db.session.flush()
        check_in.escalation_id = escalation.id
        audit("worry_reported", actor_id=reporter.id, escalation=escalation, subject_id=subject.id,
              message_id=report.message_id, note=bool(report.note))
        db.session.commit()
    except IntegrityError:  # one per reporter, person and day (two tabs at once end up here)
        db.session.rollback()
        raise WorryError(ALREADY) from None
    tell(check_in)
    return report


def already_today(reporter: User, subject: User) -> bool:
    return db.session.scalar(select(WorryReport.id).where(
        WorryReport.reporter_id == reporter.id, WorryReport.subject_id == subject.id,
        WorryReport.day == utcnow().date())) is not None


def inbox(user: User) -> list[SupportMessage]:
    return list(db.session.scalars(select(SupportMessage).where(SupportMessage.recipient_id == user.id)
                                   .order_by(SupportMessage.id.desc()).limit(100)))


def unread_count(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(SupportMessage).where(
        SupportMessage.recipient_id == user.id, SupportMessage.read_at.is_(None)))


def mark_read(user: User) -> None:
    db.session.execute(update(SupportMessage).where(SupportMessage.recipient_id == user.id,
                                                    SupportMessage.read_at.is_(None)).values(read_at=utcnow()))
    db.session.commit()


def tell(message: SupportMessage) -> None:
    """After the commit: a quiet notice on the person's open pages that a private message is
    waiting. It is stored already, so a failure here only means they see it on the page later."""
    try:
        socketio.emit("support_message", {
            "id": message.id, "body": message.body, "from": FROM_MODERATOR if message.sender_id else FROM_US,
            "created_at": message.created_at.isoformat().replace("+00:00", "Z"), "url": "/support",
        }, to=chat.user_room(message.recipient_id))
    except Exception:  # noqa: BLE001
        logging.getLogger(__name__).exception("support_message %s stored but not sent live", message.id)
