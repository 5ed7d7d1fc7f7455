"""SQLAlchemy models; importing this package registers every table on the metadata."""
from community.models.activity import (
    Activity,
    ActivityGroup,
    ActivitySeries,
    CalendarFeed,
    ReminderSent,
    Rsvp,
)
from community.models.chat import GroupModerator, Message
from community.models.group import (
    Group,
    GroupAnnouncement,
    GroupFeedback,
    MatchRun,
    Membership,
    WaitlistEntry,
)
from community.models.journey import (
    BuddyOptIn,
    ConversationRound,
    MonthlyCheckIn,
    RoundSchedule,
    RoundScheduleVote,
    RoundTurn,
    StepChange,
)
from community.models.moderation import (
    Appeal,
    Block,
    FilterEvent,
    FilterRules,
    ModerationAction,
    Notification,
    Report,
    ReviewItem,
)
from community.models.privacy import AccountDeletion, MinimisedEscalation
from community.models.profile import Profile
from community.models.safety import AuditLog, Escalation, EscalationNote, SupportMessage, WorryReport
from community.models.security import LoginAttempt, RecoveryCode, SignInSession
from community.models.user import ROLES, User

__all__ = [
    "ROLES", "User", "Profile", "Group", "Membership", "MatchRun", "WaitlistEntry",
    "GroupFeedback", "GroupAnnouncement", "Message", "GroupModerator",
    "Escalation", "EscalationNote", "SupportMessage", "WorryReport", "AuditLog",
    "ReviewItem", "Report", "Block", "ModerationAction", "Appeal", "FilterRules", "FilterEvent",
    "Notification", "SignInSession", "LoginAttempt", "RecoveryCode", "Activity", "ActivitySeries", "ActivityGroup", "Rsvp", "ReminderSent", "CalendarFeed",
    "AccountDeletion", "MinimisedEscalation",
    "MonthlyCheckIn", "StepChange", "BuddyOptIn", "ConversationRound", "RoundTurn", "RoundSchedule",
    "RoundScheduleVote",
]
