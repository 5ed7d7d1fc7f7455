"""Password rules: long enough, and not one that attackers try first."""
from functools import cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 10
MAX_LENGTH = 128


@cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the 30,000 most common leaked passwords; we use it as our blocklist.
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, user_inputs: tuple[str, ...] = ()) -> str | None:
    """A kind sentence saying what to change, or None when the password is fine."""
    if len(password) < MIN_LENGTH:
        return f"Please use at least {MIN_LENGTH} characters. A short phrase works well."
    if len(password) > MAX_LENGTH:
        return f"Please keep it to {MAX_LENGTH} characters or fewer."
    if password.lower() in _common_passwords():
        return "That password is on lists attackers try first. A few unrelated words together work well."
    # Score 0-1 means guessable in well under a day of online guessing (keyboard runs, dates, names).
    if zxcvbn(password[:100], user_inputs=[u for u in user_inputs if u])["score"] < 2:
        return (
            "That password would be easy to guess. Try a few unrelated words together, "
            "like a short phrase only you would think of."
        )
    return None
