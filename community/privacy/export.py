"""Everything Common Ground holds about one member, for "Download my data" (JSON) and the readable
page built from the same dict.

What each table with a reference to a person contributes, and why:

- users: the account, without credentials (password hash, two-factor secret, recovery codes).
- sign_in_sessions: their signed-in browsers (when, address, browser). login_attempts are keyed by
  a hash of whatever email was typed, kept about an hour, and not linkable back: left out.
- profiles: all of it, the private answers (barriers) and comfort step included.
- memberships, group_moderators, waitlist_entries, group_feedback: their groups, the groups they
  look after, why they are waiting, their own "not for me" answers.
- messages: every message they wrote, hidden and held ones included, with that status. Other
  people's messages are not theirs and are left out.
- rsvps, reminders_sent, calendar_feeds: their answers and attendance, reminders sent, and whether
  a calendar feed exists (not its secret address: a credential, like the password).
- support_messages (recipient): the check-ins they received, with the sender as they saw it.
- escalations (about them): only that a check-in was started, when, why in plain words, and whether
  it is finished. Moderators' notes and worry reports about them are other people's words: left out.
- reports, worry_reports (reporter): the reports and worries they made, with their own notes; never
  the reported message's text or reports others made about them.
- blocks (blocker): whom they blocked. Blocks of them by others are never told, here too.
- notifications: all of theirs.
- moderation_actions, appeals: their record exactly as /moderation/record shows it.
- filter_events (author): when an automatic filter acted on their message (not the rules).
- account_deletions: a pending deletion and their choice about messages.
- monthly_checkins, step_changes, activity_buddies, round_turns, round_schedule_votes: their
  journey, in export_journey.py.
- audit_log, review_items, match_runs, escalation_notes, filter_rules, activities, activity_series,
  groups (as creator or actor): these record staff work or other people's data; a staff member gets
  counts of what they did, never the contents about others. Reads of their data by staff are in
  the admins' access log (not here: a list of safety reviews about you helps no one feel safe).
"""
from datetime import datetime

from sqlalchemy import func, select

from community.extensions import db
from community.groups.options import NOT_FOR_ME_LABELS
from community.models import (
    AccountDeletion,
    ActivitySeries,
    Block,
    CalendarFeed,
    Escalation,
    EscalationNote,
    FilterEvent,
    Group,
    GroupFeedback,
    GroupModerator,
    MatchRun,
    Membership,
    Message,
    ModerationAction,
    Notification,
    ReminderSent,
    Report,
    Rsvp,
    SignInSession,
    SupportMessage,
    User,
    WaitlistEntry,
    WorryReport,
)
from community.models.activity import Activity
from community.moderation import appeals, review, wording
from community.privacy import export_journey
from community.profiles.view import profile_summary
from community.support import services as support

# The readable page's sections, in order: (key in the export, heading, one line on what it is).
SECTIONS = (
    ("account", "Your account", "How you sign in and when you joined."),
    ("sign_in_sessions", "Where you're signed in", "Browsers signed in to your account right now."),
    ("profile", "Your profile", "Everything you told us when setting up, private answers included."),
    ("groups", "Your groups", "Groups you're in or were in."),
    ("groups_you_moderate", "Groups you look after", "As a moderator."),
    ("waiting_list", "Waiting for a group", "Why you're not in a group yet."),
    ("not_for_me", "\"Not for me\" answers", "What you told us when a group wasn't right."),
    ("chat_messages", "Your chat messages", "Every message you wrote."),
    ("activities", "Activities", "Your answers, and whether you were there."),
    ("reminders", "Reminders we sent you", ""),
    ("calendar_feed", "Calendar feed", "The private address itself is on your calendar page."),
    ("check_ins", "Check-ins you received", "Private messages from our moderators or from Common Ground."),
    ("safety_check_ins", "Times we checked in on you", "When moderators looked in to make sure you were okay."),
    ("reports_you_made", "Reports you made", "Messages you asked moderators to look at."),
    ("worries_you_shared", "Worries you shared", "People you told us you were worried about."),
    ("people_you_blocked", "People you blocked", ""),
    ("notifications", "Notifications", ""),
    ("moderation_record", "Your moderation record", "The same as on your moderation record page."),
    ("automatic_filters", "Automatic filters", "When a group's filter acted on something you wrote."),
    *export_journey.SECTIONS,
    ("account_deletion", "Account deletion", ""),
    ("staff_work", "Your work as staff", "Counts only: the details are about other people."),
)

STATUS_WORDS = {"going": "Going", "maybe": "Maybe", "not_going": "Not going", "waitlist": "On the waitlist"}
FILTER_WORDS = {"mask": "Some words were masked", "hold": "Held for a moderator to look at",
                "block": "Not sent"}


def collect(user: User, now: datetime) -> dict:
    """The member's data as plain values (datetimes stay datetimes; as_json turns them into text)."""
    data = {"about": {
        "generated_at": now, "for": user.display_name,
        "note": "Everything Common Ground holds about you. Other people's private details are left out.",
    }}
    data.update(_account(user))
    data.update(_groups(user))
    data.update(_chat(user))
    data.update(_activities(user))
    data.update(_safety(user))
    data.update(_moderation(user))
    data.update(export_journey.journey(user))
    data["staff_work"] = _staff_work(user)
    return data


def _account(user: User) -> dict:
    profile = user.profile
    shown = None
    if profile is not None:
        shown = {**profile_summary(profile), "online_only": profile.online_only,
                 "onboarding_steps_done": list(profile.steps_done), "consented_at": profile.consented_at,
                 "completed_at": profile.completed_at, "updated_at": profile.updated_at,
                 "conversation_tips": {None: "As your answers suggest", True: "On", False: "Off"}[profile.practice_tips]}
    sessions = db.session.scalars(select(SignInSession).where(SignInSession.user_id == user.id)
                                  .order_by(SignInSession.created_at))
    deletion = db.session.get(AccountDeletion, user.id)
    return {
        "account": {"email": user.email, "display_name": user.display_name, "role": user.role,
                    "joined": user.created_at, "last_login": user.last_login_at,
                    "two_factor_on": getattr(user, "totp_enabled_at", None) is not None,
                    "suspended_until": user.suspended_until, "suspension_reason": user.suspension_reason},
        "sign_in_sessions": [{"started": s.created_at, "last_seen": s.last_seen_at, "address": s.ip_address,
                              "browser": s.user_agent} for s in sessions],
        "profile": shown,
        "account_deletion": None if deletion is None else {
            "requested": deletion.requested_at, "erased_after": deletion.purge_after,
            "chat_messages": "removed" if deletion.erase_messages else "kept, shown as 'Former member'"},
    }


def _groups(user: User) -> dict:
    memberships = db.session.execute(select(Membership, Group.name).join(Group, Group.id == Membership.group_id)
                                     .where(Membership.user_id == user.id).order_by(Membership.joined_at))
    looked_after = db.session.execute(select(GroupModerator.assigned_at, Group.name)
                                      .join(Group, Group.id == GroupModerator.group_id)
                                      .where(GroupModerator.user_id == user.id))
    waiting = db.session.get(WaitlistEntry, user.id)
    feedback = db.session.execute(select(GroupFeedback, Group.name).join(Group, Group.id == GroupFeedback.group_id)
                                  .where(GroupFeedback.user_id == user.id).order_by(GroupFeedback.id))
    return {
        "groups": [{"group": name, "role": m.role, "joined": m.joined_at, "left": m.left_at,
                    "why_left": m.left_reason, "messages_paused_until": m.muted_until,
                    "pause_reason": m.muted_reason} for m, name in memberships],
        "groups_you_moderate": [{"group": name, "since": since} for since, name in looked_after],
        "waiting_list": None if waiting is None else {"reason": waiting.reason, "updated": waiting.updated_at},
        "not_for_me": [{"group": name, "reasons": [NOT_FOR_ME_LABELS.get(r, r) for r in f.reasons or []],
                        "note": f.note, "when": f.created_at}
                       for f, name in feedback],
    }


def _message_status(message: Message) -> str:
    if message.hidden_at is not None:
        return "Hidden by a moderator"
    if message.held_at is not None:
        return "Held back from the group"
    return "Shown to the group"


def _chat(user: User) -> dict:
    rows = db.session.execute(select(Message, Group.name).join(Group, Group.id == Message.group_id)
                              .where(Message.author_id == user.id).order_by(Message.id))
    events = db.session.execute(select(FilterEvent, Group.name).join(Group, Group.id == FilterEvent.group_id)
                                .where(FilterEvent.author_id == user.id).order_by(FilterEvent.id))
    return {
        "chat_messages": [{"group": name, "sent": m.created_at, "text": m.body, "status": _message_status(m)}
                          for m, name in rows],
        "automatic_filters": [{"group": name, "when": e.created_at, "what": FILTER_WORDS.get(e.action, e.action)}
                              for e, name in events],
    }


def _activities(user: User) -> dict:
    answers = db.session.execute(select(Rsvp, Activity).join(Activity, Activity.id == Rsvp.activity_id)
                                 .where(Rsvp.user_id == user.id).order_by(Activity.starts_at))
    reminders = db.session.execute(select(ReminderSent, Activity.title)
                                   .join(Activity, Activity.id == ReminderSent.activity_id)
                                   .where(ReminderSent.user_id == user.id).order_by(ReminderSent.sent_at))
    feed = db.session.get(CalendarFeed, user.id)
    attended = {True: "Yes", False: "No", None: "Not marked"}
    return {
        "activities": [{"activity": a.title, "starts": a.starts_at, "answer": STATUS_WORDS.get(r.status, r.status),
                        "answered": r.updated_at, "attended": attended[r.attended]} for r, a in answers],
        "reminders": [{"activity": title, "reminder": r.kind, "sent": r.sent_at} for r, title in reminders],
        "calendar_feed": None if feed is None else {"created": feed.created_at},
    }


def _safety(user: User) -> dict:
    check_ins = db.session.scalars(select(SupportMessage).where(SupportMessage.recipient_id == user.id)
                                   .order_by(SupportMessage.id))
    looked_in = db.session.scalars(select(Escalation).where(Escalation.user_id == user.id)
                                   .order_by(Escalation.created_at))
    worries = db.session.execute(select(WorryReport, User.display_name).outerjoin(User, User.id == WorryReport.subject_id)
                                 .where(WorryReport.reporter_id == user.id).order_by(WorryReport.id))
    reports = db.session.execute(select(Report, Message.group_id, Group.name)
                                 .join(Message, Message.id == Report.message_id).join(Group, Group.id == Message.group_id)
                                 .where(Report.reporter_id == user.id).order_by(Report.id))
    return {
        "check_ins": [{"from": support.FROM_MODERATOR if m.sender_id else support.FROM_US, "sent": m.created_at,
                       "text": m.body, "read": m.read_at} for m in check_ins],
        "safety_check_ins": [{"started": e.created_at,
                              "why": "Something you wrote in a group chat" if e.source == "message"
                              else "Another member asked us to check on you",
                              "finished": e.resolved_at} for e in looked_in],
        "reports_you_made": [{"group": name, "message_number": r.message_id, "reason": review.REASONS.get(r.reason, r.reason),
                              "note": r.note, "made": r.created_at, "reviewed": r.reviewed_at}
                             for r, _, name in reports],
        "worries_you_shared": [{"about": name or "A former member", "note": w.note, "day": w.day}
                               for w, name in worries],
    }


def _moderation(user: User) -> dict:
    blocked = db.session.execute(select(Block.created_at, User.display_name).join(User, User.id == Block.blocked_id)
                                 .where(Block.blocker_id == user.id).order_by(Block.created_at))
    notes = db.session.scalars(select(Notification).where(Notification.recipient_id == user.id)
                               .order_by(Notification.id))
    record = []
    for action in appeals.record_of(user):
        appeal = action.appeal
        record.append({
            "what": wording.MODERATION_WORDS.get(action.kind, action.kind), "group": action.group.name if action.group else None,
            "when": action.created_at, "until": action.ends_at, "reason_given": action.reason,
            "undone": action.restored_at,
            "your_appeal": None if appeal is None else {
                "note": appeal.note, "sent": appeal.created_at,
                "result": wording.APPEAL_WORDS.get(appeal.status, appeal.status),
                "reason_given": appeal.decision_reason},
        })
    return {
        "people_you_blocked": [{"person": name, "since": since} for since, name in blocked],
        "notifications": [{"kind": n.kind, "text": n.body, "link": n.link, "sent": n.created_at, "read": n.read_at}
                          for n in notes],
        "moderation_record": record,
    }


def _count(column, user_id: int) -> int:
    return db.session.scalar(select(func.count()).where(column == user_id)) or 0


def _staff_work(user: User) -> dict | None:
    """What a staff member did, as counts: the rows themselves are about other people."""
    counts = {
        "moderation_actions_taken": _count(ModerationAction.actor_id, user.id),
        "escalations_acknowledged": _count(Escalation.acknowledged_by_id, user.id),
        "escalations_resolved": _count(Escalation.resolved_by_id, user.id),
        "escalation_notes_written": _count(EscalationNote.author_id, user.id),
        "check_ins_sent": _count(SupportMessage.sender_id, user.id),
        "matching_runs": _count(MatchRun.run_by_id, user.id),
        "groups_created": _count(Group.created_by_id, user.id),
        "activities_created": _count(Activity.created_by_id, user.id),
        "activity_series_created": _count(ActivitySeries.created_by_id, user.id),
    }
    return counts if any(counts.values()) else None
