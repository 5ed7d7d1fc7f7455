"""The purge: erase accounts whose cooling-off period has ended, and keep crisis records no longer
than their retention. One pass of `flask purge-deleted-accounts`, safe to run from cron as often as
you like and from two machines at once (each account is claimed by deleting its request row).

Erasing an account, in one transaction:
- Chat messages, as the member chose. "Remove" deletes them outright rather than leaving a
  placeholder: a placeholder would still show when and how often they wrote, and the others'
  replies read fine without it. "Keep" keeps only what the group could see, with no author
  (shown as "Former member"); hidden and held messages were never part of the group's history and go.
- Escalations about them are minimised (below); moderation actions about them stay in the log
  (what moderators did stays accountable) without their name or the reason written about them;
  their appeals, filter events and login attempts go; matching proposals forget their id.
- Deleting the users row takes everything else with it through ON DELETE CASCADE (profile,
  memberships, RSVPs, notifications, check-ins, reports and worries they made, blocks, calendar
  feed, sessions, ...) or ON DELETE SET NULL (where they acted as staff). Seats they held at
  upcoming activities go to the waitlist.

Minimising an escalation keeps level, source, categories, status, dates and outcome, and drops
every link to the person: their id, the message, the group, moderators' notes, worry reports, and
the audit trail's details. The minimised record is deleted ESCALATION_RETENTION_DAYS later.
Escalations resolved and older than ESCALATION_RETENTION_DAYS are minimised for everyone.
"""
import copy
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, exists, or_, select, update

from community.extensions import db
from community.models import (
    AccountDeletion,
    Activity,
    Appeal,
    AuditLog,
    Escalation,
    EscalationNote,
    FilterEvent,
    LoginAttempt,
    MatchRun,
    Message,
    MinimisedEscalation,
    ModerationAction,
    Rsvp,
    SupportMessage,
    User,
    WorryReport,
)
from community.models.base import utcnow
from community.moderation.escalations import audit

log = logging.getLogger(__name__)
REMOVED_REASON = "The member's account was deleted, and the reason written about them with it."
ACCOUNT_DELETED = "account_deleted"  # the outcome of an escalation still open when its person was erased
KEPT_AUDIT_DETAIL = ("level", "categories", "outcome", "recipients", "reason")


@dataclass
class Summary:
    erased: int = 0
    failed: int = 0
    minimised: int = 0
    deleted: int = 0


def retention() -> timedelta:
    return timedelta(days=current_app.config["ESCALATION_RETENTION_DAYS"])


def run(now: datetime | None = None, minimise_old: bool = True) -> Summary:
    """One pass: every account due, then escalation retention."""
    now = now or utcnow()
    summary = Summary()
    due = list(db.session.scalars(select(AccountDeletion.user_id).where(AccountDeletion.purge_after <= now)
                                  .order_by(AccountDeletion.purge_after)))
    for user_id in due:
        try:
            summary.erased += erase_account(user_id, now)
        except Exception:  # one account that can't be erased must not stop the others
            db.session.rollback()
            summary.failed += 1
            log.exception("account %s could not be erased; it stays scheduled", user_id)
    if minimise_old:
        summary.minimised = minimise_old_escalations(now)
    summary.deleted = delete_expired_escalations(now)
    return summary


def erase_account(user_id: int, now: datetime) -> bool:
    """Erase one account whose cooling-off has ended. False if it was cancelled or taken meanwhile."""
    request = db.session.get(AccountDeletion, user_id)
    user = db.session.get(User, user_id)
    if request is None or user is None or request.purge_after > now:
        return False
    erase_messages = request.erase_messages
    claimed = db.session.execute(delete(AccountDeletion).where(
        AccountDeletion.user_id == user_id, AccountDeletion.purge_after <= now)
        .execution_options(synchronize_session=False)).rowcount
    if not claimed:
        db.session.rollback()
        return False
    seats = list(db.session.scalars(select(Rsvp.activity_id).join(Activity).where(
        Rsvp.user_id == user_id, Rsvp.status == "going", Activity.starts_at > now)))
    _messages(user_id, erase_messages)
    for escalation in db.session.scalars(select(Escalation).where(Escalation.user_id == user_id)).all():
        minimise(escalation, "account_deleted", now)
    db.session.execute(update(ModerationAction).where(ModerationAction.subject_id == user_id)
                       .values(reason=REMOVED_REASON, subject_id=None))
    db.session.execute(delete(Appeal).where(Appeal.member_id == user_id))
    db.session.execute(delete(FilterEvent).where(FilterEvent.author_id == user_id))
    _forget_login_attempts(user.email)
    _forget_in_proposals(user_id)
    db.session.flush()
    db.session.expunge_all()  # the rows below go by ON DELETE; nothing stale may be flushed after
    db.session.execute(delete(User).where(User.id == user_id))
    audit("account_erased", actor_id=None, messages="removed" if erase_messages else "kept")
    db.session.commit()
    _give_seats_on(seats, now)
    return True


def _messages(user_id: int, erase: bool) -> None:
    mine = Message.author_id == user_id
    if erase:
        db.session.execute(delete(Message).where(mine))
        return
    unseen = or_(Message.hidden_at.is_not(None), Message.held_at.is_not(None))
    db.session.execute(delete(Message).where(mine, unseen))
    db.session.execute(update(Message).where(mine).values(author_id=None, client_id=None))


def _forget_login_attempts(email: str) -> None:
    from community.auth.throttle import account_key  # here: only the purge needs it

    db.session.execute(delete(LoginAttempt).where(LoginAttempt.account_key == account_key(email)))


def _forget_in_proposals(user_id: int) -> None:
    """Matching proposals list member ids; drop theirs so a reused id can't be mistaken for them."""
    for run_ in db.session.scalars(select(MatchRun)):
        proposal = copy.deepcopy(run_.proposal or {})  # a copy: edited in place, the change would go unseen
        changed = False
        for group in proposal.get("groups", []):
            for key in ("member_ids", "new_member_ids"):
                if user_id in (group.get(key) or []):
                    group[key] = [None if i == user_id else i for i in group[key]]
                    changed = True
        for entry in proposal.get("unmatched", []):
            if entry.get("user_id") == user_id:
                entry["user_id"] = None
                changed = True
        if changed:
            run_.proposal = proposal


def _give_seats_on(activity_ids: list[int], now: datetime) -> None:
    from community.activities.rsvp import fill_freed_seats  # here: activities import much of the app

    for activity_id in activity_ids:
        activity = db.session.get(Activity, activity_id)
        if activity is not None and activity.status == "scheduled":
            try:
                fill_freed_seats(activity, now)
            except Exception:  # the account is erased already; the next RSVP change fills the seat too
                db.session.rollback()
                log.exception("freed seat at activity %s not passed on", activity_id)


def minimise(escalation: Escalation, reason: str, now: datetime) -> None:
    """Reduce an escalation to its bare facts, in the caller's transaction."""
    eid = escalation.id
    db.session.execute(delete(EscalationNote).where(EscalationNote.escalation_id == eid))
    db.session.execute(delete(WorryReport).where(WorryReport.escalation_id == eid))
    db.session.execute(update(SupportMessage).where(SupportMessage.escalation_id == eid).values(escalation_id=None))
    for row in db.session.scalars(select(AuditLog).where(AuditLog.escalation_id == eid)):
        row.subject_id = None
        row.detail = {k: v for k, v in (row.detail or {}).items() if k in KEPT_AUDIT_DETAIL}
    escalation.user_id = escalation.message_id = escalation.group_id = None
    if escalation.status != "resolved":
        escalation.status, escalation.resolved_at = "resolved", now
        escalation.outcome = escalation.outcome or ACCOUNT_DELETED
    escalation.next_alert_at = None
    if escalation.followed_up_at is None:
        escalation.follow_up_at = None  # nobody to check in with any more
    db.session.add(MinimisedEscalation(escalation_id=eid, minimised_at=now, reason=reason))
    audit("escalation_minimised", actor_id=None, escalation=escalation, reason=reason)


def minimise_old_escalations(now: datetime) -> int:
    """Resolved escalations older than the retention, for everyone: minimised, one commit."""
    done = exists().where(MinimisedEscalation.escalation_id == Escalation.id)
    old = db.session.scalars(select(Escalation).where(
        Escalation.status == "resolved", Escalation.created_at < now - retention(), ~done)).all()
    for escalation in old:
        minimise(escalation, "retention", now)
    db.session.commit()
    return len(old)


def delete_expired_escalations(now: datetime) -> int:
    """Minimised records past their retention are deleted (their bare audit rows stay, unlinked)."""
    expired = select(MinimisedEscalation.escalation_id).where(MinimisedEscalation.minimised_at < now - retention())
    count = db.session.execute(delete(Escalation).where(Escalation.id.in_(expired))
                               .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return count
