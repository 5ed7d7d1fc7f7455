"""Local time for people, UTC for storage. The community's zone is TIMEZONE (America/New_York);
zoneinfo handles the daylight-saving changes, so a weekly 7 pm stays 7 pm across them."""
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def to_utc(day: date, at: time, tz: ZoneInfo | None = None) -> datetime:
    """A wall-clock time on a local day, as an aware UTC datetime. A time that doesn't exist (the
    spring-forward hour) moves forward with fold=0, as zoneinfo does; one that happens twice
    (fall back) is the first of the two."""
    return datetime.combine(day, at, tzinfo=tz or zone()).astimezone(UTC)


def local(moment: datetime, tz: ZoneInfo | None = None) -> datetime:
    return moment.astimezone(tz or zone())


def when(moment: datetime, tz: ZoneInfo | None = None) -> str:
    """'Thursday, March 12, 7:00 PM' in the community's time."""
    at = local(moment, tz)
    return f"{at:%A, %B} {at.day}, {at:%-I:%M %p}"


def span(starts: datetime, ends: datetime, tz: ZoneInfo | None = None) -> str:
    """'Thursday, March 12, 7:00 PM – 9:00 PM EDT' (both ends on one line, with the zone)."""
    start, end = local(starts, tz), local(ends, tz)
    last = f"{end:%-I:%M %p}" if start.date() == end.date() else when(ends, tz)
    return f"{when(starts, tz)} – {last} {end:%Z}"
