"""Calendar files (.ics): one activity to download, and each member's private feed that calendar
apps subscribe to. Times carry the community's time zone (with its VTIMEZONE), so a weekly 7 pm
stays 7 pm in the member's calendar across daylight-saving changes.

The builder (activity_event, calendar_for) only reads the activities it is given; the feed
functions below it look up and change the member's CalendarFeed row.
"""
import re
import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from flask import current_app
from icalendar import Calendar, Event
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from community.activities import times
from community.activities.access import invited
from community.extensions import db
from community.models import User
from community.models.activity import Activity, CalendarFeed, Rsvp
from community.models.base import utcnow

PRODID = "-//Common Ground//Activities//EN"
FEED_ANSWERS = ("going", "maybe", "waitlist")  # "can't go" drops out, so calendar apps remove it
FEED_PAST = timedelta(days=7)
FEED_AHEAD = timedelta(days=180)
FEED_LIMIT = 500
FEED_REFRESH = timedelta(hours=1)  # a hint; each calendar app decides how often it really looks
STEP_FREE_WORDS = {True: "yes", False: "no"}
KIND_LINE = ("It's fine to arrive a little late or leave early, and it's fine to mostly listen. "
             "If plans change, you can say so on the activity page any time; no need to explain.")


def activity_link(activity: Activity) -> str:
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/activities/{activity.id}"


def _location(activity: Activity, show_address: bool) -> str:
    """Where, with the address or join link only for members who are going."""
    if activity.format == "online":
        if show_address and activity.join_url:
            return f"Online: {activity.join_url}"
        return "Online. Join link on the activity page"
    place = ", ".join(part for part in (activity.venue, activity.neighbourhood) if part)
    if show_address and activity.address:
        return f"{place}, {activity.address}" if place else activity.address
    return f"{place} (address on the activity page)" if place else "Address on the activity page"


def _what_to_expect(activity: Activity) -> list[str]:
    lines = ["What to expect"]
    if activity.agenda:
        lines.append(f"The plan: {activity.agenda}")
    if activity.format == "in_person":
        if activity.noise:
            lines.append(f"Noise: {activity.noise}")
        if activity.seating:
            lines.append(f"Seating: {activity.seating}")
        lines.append("Step-free access: "
                     + STEP_FREE_WORDS.get(activity.step_free, "not sure yet; ask in the group chat"))
        if activity.getting_there:
            lines.append(f"Getting there: {activity.getting_there}")
    if activity.arrival:
        lines.append(f"Finding the group: {activity.arrival}")
    lines.append(KIND_LINE)
    return lines


def _description(activity: Activity, show_address: bool) -> str:
    parts = []
    if activity.status == "cancelled":
        reason = f": {activity.cancel_reason}" if activity.cancel_reason else "."
        parts.append(f"This date is cancelled{reason} Sorry for the change of plans.")
    if activity.description:
        parts.append(activity.description)
    parts.append("\n".join(_what_to_expect(activity)))
    if activity.format == "online" and show_address and activity.join_url:
        parts.append(f"Join link: {activity.join_url}")
    parts.append(f"Details, and your answer: {activity_link(activity)}")
    return "\n\n".join(parts)


def activity_event(activity: Activity, *, show_address: bool, now: datetime | None = None) -> Event:
    """One VEVENT. The UID never changes and SEQUENCE counts the changes people were told about, so
    calendar apps replace their copy rather than add a second one."""
    event = Event()
    event.add("uid", activity.uid)
    event.add("sequence", activity.sequence)
    event.add("dtstamp", now or utcnow())
    event.add("created", activity.created_at)
    event.add("last-modified", activity.updated_at)
    event.add("dtstart", times.local(activity.starts_at))  # local, so it carries TZID
    event.add("dtend", times.local(activity.ends_at))
    event.add("summary", activity.title)
    event.add("description", _description(activity, show_address))
    event.add("location", _location(activity, show_address))
    event.add("url", activity_link(activity))
    event.add("status", "CANCELLED" if activity.status == "cancelled" else "CONFIRMED")
    return event


def calendar_for(activities: Iterable[Activity], *, show_address_for: set[int], name: str,
                 refresh: timedelta | None = None, now: datetime | None = None) -> bytes:
    """A whole calendar, addresses only for the activity ids in show_address_for."""
    activities = list(activities)
    now = now or utcnow()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.calendar_name = name
    if refresh is not None:
        cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", refresh)
    for activity in activities:
        cal.add_component(activity_event(activity, show_address=activity.id in show_address_for, now=now))
    if activities:
        # The zone's rules only for the years we need: the whole 1970-2038 default is bulky.
        first = min(times.local(a.starts_at).year for a in activities)
        last = max(times.local(a.ends_at).year for a in activities)
        cal.add_missing_timezones(first_date=date(first - 1, 1, 1), last_date=date(last + 2, 1, 1))
    return cal.to_ical()


def filename_for(activity: Activity) -> str:
    """A plain ASCII file name (safe in a header) that still says what it is."""
    slug = re.sub(r"[^a-z0-9]+", "-", activity.title.lower()).strip("-")[:50].strip("-")
    return f"{slug or 'activity'}-{activity.id}.ics"


# --- the member's private feed --------------------------------------------------------------------

def feed_of(user: User) -> CalendarFeed | None:
    return db.session.get(CalendarFeed, user.id)


def new_feed(user: User) -> CalendarFeed:
    """Make the member's feed address, or a new one: the old address stops working at once."""
    feed = feed_of(user)
    token = secrets.token_urlsafe(32)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token=token, created_at=utcnow())
        db.session.add(feed)
    else:
        feed.token, feed.created_at = token, utcnow()
    db.session.commit()
    return feed


def revoke_feed(user: User) -> bool:
    """Turn the address off; True if there was one."""
    gone = db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id)).rowcount
    db.session.commit()
    return bool(gone)


def feed_owner(token: str) -> User | None:
    """Whose feed this token opens, if it is current. Tokens are 43 characters; anything much
    longer can't be one, so it never reaches the database."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(User).join(CalendarFeed, CalendarFeed.user_id == User.id)
                             .where(CalendarFeed.token == token))


def feed_answers(user: User, now: datetime | None = None) -> list[Rsvp]:
    """The member's going / maybe / waitlist answers from a week ago to six months ahead, cancelled
    dates included (so calendar apps mark them), only for activities they may still see."""
    now = now or utcnow()
    answers = db.session.scalars(
        select(Rsvp).join(Activity).where(
            Rsvp.user_id == user.id, Rsvp.status.in_(FEED_ANSWERS),
            Activity.ends_at > now - FEED_PAST, Activity.starts_at < now + FEED_AHEAD)
        .options(selectinload(Rsvp.activity)).order_by(Activity.starts_at).limit(FEED_LIMIT))
    return [answer for answer in answers if invited(user, answer.activity)]


def feed_calendar(user: User, now: datetime | None = None) -> bytes:
    answers = feed_answers(user, now)
    return calendar_for([a.activity for a in answers], name="Common Ground activities",
                        show_address_for={a.activity_id for a in answers if a.status == "going"},
                        refresh=FEED_REFRESH, now=now)
