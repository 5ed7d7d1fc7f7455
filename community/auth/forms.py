"""Account forms; CSRF comes with FlaskForm."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from community.auth.passwords import MAX_LENGTH

_EMAIL_TOO_LONG = "Email addresses can be at most 254 characters. Could you check it?"
_PASSWORD_TOO_LONG = f"Please keep your password to {MAX_LENGTH} characters or fewer."


class RegisterForm(FlaskForm):
    display_name = StringField(
        "What should we call you?",
        description="A first name or nickname is plenty. Other members of your group will see it.",
        validators=[
            DataRequired("Please tell us what to call you."),
            Length(max=60, message="Please keep your name to 60 characters or fewer."),
        ],
    )
    email = EmailField(
        "Email",
        description="Only used to log in. Never shown to other members.",
        validators=[
            DataRequired("Please enter your email."),
            Length(max=254, message=_EMAIL_TOO_LONG),
            Email("That doesn't look like an email address. Could you check it?"),
        ],
    )
    password = PasswordField(
        "Password",
        description="At least 10 characters. A few unrelated words together work well.",
        validators=[DataRequired("Please choose a password."), Length(max=MAX_LENGTH, message=_PASSWORD_TOO_LONG)],
    )
    confirm = PasswordField(
        "Password again",
        validators=[
            DataRequired("Please type your password once more."),
            EqualTo("password", "The two passwords don't match yet."),
        ],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        "Email",
        validators=[DataRequired("Please enter your email."), Length(max=254, message=_EMAIL_TOO_LONG)],
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Please enter your password."), Length(max=MAX_LENGTH, message=_PASSWORD_TOO_LONG)],
    )
    remember = BooleanField("Keep me logged in on this device")


class LogoutForm(FlaskForm):
    """Only a CSRF token: logging out is a POST so other sites can't do it for you."""


class SignInCodeForm(FlaskForm):
    code = StringField(
        "Code",
        description="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        validators=[DataRequired("Please enter the code."), Length(max=20, message="That code is longer than ours.")],
    )


class SetupCodeForm(FlaskForm):
    code = StringField(
        "Code from your app",
        description="After adding Common Ground to your app, type the 6-digit code it shows.",
        validators=[DataRequired("Please enter the code."), Length(max=20, message="That code is longer than ours.")],
    )


class ConfirmWithCodeForm(FlaskForm):
    """Changing two-factor settings asks for a current code, so a borrowed session can't turn it off."""

    code = StringField(
        "Current code from your app",
        validators=[DataRequired("Please enter the code."), Length(max=20, message="That code is longer than ours.")],
    )
