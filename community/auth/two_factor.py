"""Two-factor sign-in with an authenticator app (TOTP, RFC 6238) and one-time recovery codes."""
import hashlib
import secrets
import time

import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import delete, select

from community.extensions import db
from community.models import RecoveryCode, User
from community.models.base import utcnow

ISSUER = "Common Ground"
RECOVERY_CODE_COUNT = 10
STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> Markup:
    """The setup link as an inline SVG QR code, drawn here (no image service sees the secret)."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff", omitsize=False)
    return Markup(svg)  # noqa: S704  # nosec B704  # segno's own SVG of a URI we built; no user text in it


def _matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step whose code this is, allowing one step either side for a slow clock or typist."""
    code = "".join(code.split())
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in (current - 1, current, current + 1):
        if secrets.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def code_is_valid(secret: str, code: str, now: float | None = None) -> bool:
    """For setup, where there is no previous code to compare with."""
    return _matching_step(secret, code, time.time() if now is None else now) is not None


def enable(user: User, secret: str) -> list[str]:
    """Turn two-factor on with a confirmed secret; returns fresh recovery codes to show once."""
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = None
    return _replace_recovery_codes(user)


def disable(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def verify(user: User, code: str, now: float | None = None) -> str | None:
    """Check a sign-in code. Returns "app" or "recovery" for what worked, or None.

    An app code is accepted once only: a code seen over someone's shoulder, or replayed, fails."""
    if not user.totp_secret:
        return None
    step = _matching_step(user.totp_secret, code, time.time() if now is None else now)
    if step is not None and (user.totp_last_step is None or step > user.totp_last_step):
        user.totp_last_step = step
        return "app"
    if _use_recovery_code(user, code):
        return "recovery"
    return None


def regenerate_recovery_codes(user: User) -> list[str]:
    return _replace_recovery_codes(user)


def recovery_codes_left(user: User) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)  # 40 bits, written as two groups of five for reading aloud
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    return codes


def _use_recovery_code(user: User, code: str) -> bool:
    if len(_normalise(code)) != 10:
        return False
    row = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code), RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = utcnow()
    return True
