"""Forms on the escalation page. Each field has its own name, so the forms can share one page
(and one error summary each) without prefixes; every one carries its CSRF token."""
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from community.form_fields import WholeNumberField
from community.moderation.actions import MAX_BODY, OUTCOMES
from community.profiles.forms import as_choices

_LENGTH = Length(max=MAX_BODY, message=f"Please keep this to {MAX_BODY:,} characters or fewer.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ActionForm(FlaskForm):
    """A button that changes something (acknowledge, follow-up done): only the CSRF token."""


class MessageForm(FlaskForm):
    message = TextAreaField(
        "Your message",
        description="Only they see it, from \"A Common Ground moderator\". Change the suggested words as you like.",
        filters=[_strip],
        validators=[DataRequired(message="Please write a message first."), _LENGTH],
        render_kw={"rows": 6},
    )


class NoteForm(FlaskForm):
    note = TextAreaField(
        "Add a note",
        description="For the moderators only; the person never sees notes.",
        filters=[_strip],
        validators=[DataRequired(message="Please write the note first."), _LENGTH],
        render_kw={"rows": 3},
    )


class ResolveForm(FlaskForm):
    outcome = SelectField(
        "How did it end?",
        description="As far as you know right now. You can add a note below.",
        choices=as_choices([("", "Choose one"), *OUTCOMES.items()]),
        validators=[DataRequired(message="Please choose how it ended.")],
    )
    resolve_note = TextAreaField(
        "A note about it (optional)",
        description="For the moderators only, like any note.",
        filters=[_strip],
        validators=[_LENGTH],
        render_kw={"rows": 3},
    )


# --- reports, review items, appeals -------------------------------------------------------------

REPORT_CHOICES = [
    ("harassment", "Harassment or bullying"),
    ("hate", "Hate: attacks on who someone is"),
    ("spam", "Spam or advertising"),
    ("unsafe", "Unsafe content"),
    ("worried", "I'm worried about this person"),
    ("other", "Something else"),
]
ITEM_ACTIONS = [
    ("dismiss", "Dismiss: nothing needs doing"),
    ("approve", "Approve the held message"),
    ("hide", "Hide the message"),
    ("warn", "Warn the member privately"),
    ("mute", "Pause their messages in this group"),
    ("remove", "Remove them from this group"),
    ("suspend", "Suspend the account (admins only)"),
]
MUTE_CHOICES = [("1", "1 hour"), ("24", "24 hours"), ("72", "3 days"), ("168", "7 days")]
_REASON = TextAreaField(
    "Reason",
    description="Required. The member sees it (except for a dismissal); write it kindly and plainly.",
    filters=[_strip],
    validators=[DataRequired(message="Please give a reason."), _LENGTH],
    render_kw={"rows": 3},
)


class ReportForm(FlaskForm):
    reason = RadioField("What's wrong with this message?", choices=as_choices(REPORT_CHOICES),
                        validators=[DataRequired(message="Please choose a reason.")])
    note = TextAreaField("Anything else the moderators should know? (optional)",
                         description="Only moderators read this. The writer is never told who reported.",
                         filters=[_strip], validators=[_LENGTH], render_kw={"rows": 3})


class ItemActionForm(FlaskForm):
    action = RadioField("What to do", choices=as_choices(ITEM_ACTIONS),
                        validators=[DataRequired(message="Please choose what to do.")])
    reason = _REASON
    hours = SelectField("How long to pause their messages", choices=as_choices(MUTE_CHOICES), default="24")
    days = WholeNumberField("How many days to suspend", default=7,
                            validators=[Optional(), NumberRange(min=1, max=365, message="From 1 to 365 days.")])


class ReasonForm(FlaskForm):
    """Restore, or anything else that needs only a reason."""
    reason = _REASON


class AppealForm(FlaskForm):
    note = TextAreaField("Why should a different moderator look again?",
                         description="You can appeal once. Say it in your own words; a few lines is plenty.",
                         filters=[_strip],
                         validators=[DataRequired(message="Please say why you'd like it looked at again."), _LENGTH],
                         render_kw={"rows": 5})


class DecideForm(FlaskForm):
    decision = RadioField("Your decision", choices=as_choices([("overturn", "Overturn: undo the action"),
                                                               ("uphold", "Uphold: keep the decision")]),
                          validators=[DataRequired(message="Please choose a decision.")])
    reason = _REASON


class FilterRulesForm(FlaskForm):
    """A group's automatic filters, one rule per line: `word or phrase`, or `word | reason`."""
    mask_words = TextAreaField("Words to soften with dots (the message still goes through)",
                               filters=[_strip], render_kw={"rows": 6})
    hold_words = TextAreaField("Words and phrases that hold a message until a moderator looks",
                               description="Add | and a reason to tell the writer why, e.g. “you idiot | Please keep it kind.”",
                               filters=[_strip], render_kw={"rows": 6})
    block_words = TextAreaField("Words and phrases that stop a message, with a reason shown to the writer",
                                filters=[_strip], render_kw={"rows": 4})
    allow = TextAreaField("Never catch these words (allow-list)",
                          description="One per line, e.g. Scunthorpe, assess, cocktail.",
                          filters=[_strip], render_kw={"rows": 4})
    new_member_days = WholeNumberField("New members can't post links for this many days", default=3,
                                       validators=[NumberRange(min=0, max=60, message="From 0 to 60 days.")])
    link_action = SelectField("A new member's link is", default="hold",
                              choices=as_choices([("hold", "held for a moderator"), ("block", "stopped, with a reason")]))
    flood_count = WholeNumberField("Flooding: this many messages or more", default=0,
                                   description="0 leaves it to the app-wide limit on how fast anyone can send.",
                                   validators=[NumberRange(min=0, max=100, message="From 0 to 100.")])
    flood_seconds = WholeNumberField("… within this many seconds", default=10,
                                     validators=[NumberRange(min=1, max=3600, message="From 1 to 3,600 seconds.")])
    duplicate_window = WholeNumberField("The same text as one of the writer's last … messages is a repeat", default=3,
                                        validators=[NumberRange(min=0, max=20, message="From 0 to 20.")])
    slow_mode_seconds = WholeNumberField("Slow mode: seconds each member waits between messages (0 is off)", default=0,
                                         validators=[NumberRange(min=0, max=3600, message="From 0 to 3,600 seconds.")])
