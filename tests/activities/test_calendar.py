"""Calendar downloads and private feeds, read back with icalendar as a calendar app would: the
event keeps its UID across edits while SEQUENCE grows, times carry America/New_York (a weekly
7 pm stays 7 pm across daylight saving), cancelled dates say so, and the address or join link
reaches only members who are going. The feed works without a login, for as long as its token
is current."""
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from community.activities import services
from community.activities.rsvp import respond
from community.activities.services import Plan
from community.extensions import db
from community.groups import services as groups
from community.models import Group, User
from community.models.activity import Activity, CalendarFeed
from community.models.base import utcnow
from tests.conftest import submit
from tests.factories import member
from tests.support import login_client as login

NY = ZoneInfo("America/New_York")
ADDRESS = "123 Ponce de Leon Ave, Decatur, GA 30030"
JOIN = "https://meet.example.org/quiet-knitters"


def local_day(days_ahead: int) -> date:
    return (datetime.now(NY) + timedelta(days=days_ahead)).date()


def in_person(title="Board games night", day=None, **extra) -> Plan:
    values = dict(title=title, focus="board-games", format="in_person", day=day or local_day(10),
                  start=time(19), end=time(21), capacity=2, venue="The Corner Café", neighbourhood="Decatur",
                  address=ADDRESS, description="Easy games for new players.", agenda="Ten minutes of hellos, then games.",
                  noise="Quiet back room", seating="Chairs with backs", step_free=True,
                  getting_there="Two minutes from Decatur station", arrival="Look for the green tablecloth")
    return Plan(**{**values, **extra})


def online(title="Knitting hour", day=None, **extra) -> Plan:
    return Plan(**{**dict(title=title, focus="knitting", format="online", day=day or local_day(12),
                          start=time(18), end=time(19), capacity=8, join_url=JOIN), **extra})


@pytest.fixture
def world(app):
    """Olive organizes for the Board games circle: Gus, May, Ivy and Wes. Nia is in another group.
    At the games night (two seats) Gus and Olive are going, May said maybe, Wes is on the waitlist
    and Ivy hasn't answered. At the online knitting hour Gus is going and May said maybe."""
    with app.app_context():
        olive = member("olive@example.org", "Olive", role="organizer")
        gus, may, ivy, wes, nia = (member(f"{n.lower()}@example.org", n) for n in ("Gus", "May", "Ivy", "Wes", "Nia"))
        circle = groups.create_group("Board games circle", "online", [gus, may, ivy, wes], None)
        groups.create_group("Walkers", "online", [nia], None)
        games = services.schedule(in_person(group_ids=[circle.id]), olive)[0]
        knit = services.schedule(online(group_ids=[circle.id]), olive)[0]
        for who, answer in ((gus, "going"), (olive, "going"), (may, "maybe"), (wes, "going")):
            respond(who, games, answer)
        respond(gus, knit, "going")
        respond(may, knit, "maybe")
        return {"olive": olive.id, "gus": gus.id, "may": may.id, "group": circle.id,
                "games": games.id, "knit": knit.id}


def nth_sunday(year: int, month: int, nth: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (nth - 1))


def parse(response) -> Calendar:
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.data)


def unfolded(response) -> str:
    """The file's text with long lines joined back and text escapes undone (a comma is written
    "\\,"), so a search can't miss a value."""
    text = re.sub(r"\r\n[ \t]", "", response.get_data(as_text=True))
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def download(app, email, activity_id):
    return login(app, email).get(f"/activities/{activity_id}/calendar.ics")


def only_event(cal: Calendar):
    assert len(cal.events) == 1
    return cal.events[0]


def make_feed(http) -> str:
    response = submit(http, "/calendar", {}, action="/calendar/feed")
    assert response.status_code == 302
    return re.search(r"/calendar/([A-Za-z0-9_-]{40,})\.ics", http.get("/calendar").get_data(as_text=True)).group(1)


# --- one activity's download ----------------------------------------------------------------------

def test_the_download_is_a_valid_calendar_with_the_time_zone_and_what_to_expect(app, world):
    response = download(app, "gus@example.org", world["games"])
    assert response.headers["Content-Disposition"] == f'attachment; filename="board-games-night-{world["games"]}.ics"'
    cal = parse(response)
    assert (str(cal["METHOD"]), str(cal["VERSION"])) == ("PUBLISH", "2.0")
    assert "Common Ground" in str(cal["PRODID"])
    assert [tz.tz_name for tz in cal.timezones] == ["America/New_York"]
    assert cal.get_missing_tzids() == set()
    event = only_event(cal)
    assert str(event["UID"]) == f"activity-{world['games']}@common-ground"
    assert (event["SEQUENCE"], str(event["SUMMARY"]), str(event["STATUS"])) == (0, "Board games night", "CONFIRMED")
    assert event.DTSTAMP.tzinfo is not None
    assert event["DTSTART"].params["TZID"] == event["DTEND"].params["TZID"] == "America/New_York"
    assert (event.start.date(), event.start.time(), event.end.time()) == (local_day(10), time(19), time(21))
    description = str(event["DESCRIPTION"])
    for words in ("Easy games for new players.", "What to expect", "The plan: Ten minutes of hellos",
                  "Noise: Quiet back room", "Seating: Chairs with backs", "Step-free access: yes",
                  "Getting there: Two minutes from Decatur station",
                  "Finding the group: Look for the green tablecloth", "leave early",
                  f"{app.config['PUBLIC_URL'].rstrip('/')}/activities/{world['games']}"):
        assert words in description
    assert str(event["URL"]).endswith(f"/activities/{world['games']}")


def test_the_uid_stays_the_same_across_an_edit_while_the_sequence_grows(app, world):
    before = only_event(parse(download(app, "gus@example.org", world["games"])))
    with app.app_context():
        activity = db.session.get(Activity, world["games"])
        olive = db.session.get(User, world["olive"])
        services.update(activity, {"venue": "The Library Annex"}, olive, start=time(18, 30))
    after = only_event(parse(download(app, "gus@example.org", world["games"])))
    assert str(after["UID"]) == str(before["UID"])
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.start.time() == time(18, 30) and "The Library Annex" in str(after["LOCATION"])


@pytest.mark.parametrize("month, sunday", [(3, 2), (11, 1)], ids=["spring-forward", "fall-back"])
def test_a_weekly_7pm_stays_7pm_local_across_a_daylight_saving_change(app, world, month, sunday):
    """US clocks change on the second Sunday of March and the first of November. The next change
    is found from today (2027-03-14 and 2027-11-07 when this was written), so the dates stay ahead."""
    change = next(d for year in range(local_day(0).year, local_day(0).year + 3)
                  if (d := nth_sunday(year, month, sunday)) > local_day(3))
    with app.app_context():
        olive = db.session.get(User, world["olive"])
        series = services.schedule(in_person("Weekly games", day=change - timedelta(days=3), repeat="weekly",
                                             occurrences=2, group_ids=[world["group"]]), olive)
        ids = [a.id for a in series]
    events = [only_event(parse(download(app, "olive@example.org", i))) for i in ids]
    assert [e["DTSTART"].params["TZID"] for e in events] == ["America/New_York"] * 2
    assert [(e.start.date(), e.start.time()) for e in events] == [
        (change - timedelta(days=3), time(19)), (change + timedelta(days=4), time(19))]
    offsets = [e.start.utcoffset() for e in events]
    assert offsets[0] != offsets[1]
    assert offsets == ([timedelta(hours=-5), timedelta(hours=-4)] if month == 3
                       else [timedelta(hours=-4), timedelta(hours=-5)])


def test_a_cancelled_date_says_cancelled_and_why(app, world):
    with app.app_context():
        activity = db.session.get(Activity, world["games"])
        services.cancel(activity, db.session.get(User, world["olive"]), "The café flooded")
    event = only_event(parse(download(app, "gus@example.org", world["games"])))
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 1
    assert "This date is cancelled: The café flooded" in str(event["DESCRIPTION"])


def test_the_address_reaches_only_members_who_are_going(app, world):
    going = download(app, "gus@example.org", world["games"])
    assert ADDRESS in str(only_event(parse(going))["LOCATION"]) and ADDRESS in unfolded(going)
    for email in ("may@example.org", "ivy@example.org", "wes@example.org"):  # maybe, no answer, waitlist
        response = download(app, email, world["games"])
        location = str(only_event(parse(response))["LOCATION"])
        assert "The Corner Café, Decatur" in location and "address on the activity page" in location
        assert ADDRESS not in unfolded(response) and "Ponce" not in unfolded(response)


def test_the_join_link_reaches_only_members_who_are_going(app, world):
    going = download(app, "gus@example.org", world["knit"])
    assert str(only_event(parse(going))["LOCATION"]) == f"Online: {JOIN}"
    maybe = download(app, "may@example.org", world["knit"])
    assert str(only_event(parse(maybe))["LOCATION"]) == "Online. Join link on the activity page"
    assert JOIN not in unfolded(maybe)


def test_members_not_invited_get_a_404_and_visitors_are_asked_to_log_in(app, world, client):
    assert download(app, "nia@example.org", world["games"]).status_code == 404
    assert download(app, "gus@example.org", 999_999).status_code == 404
    for page in (f"/activities/{world['games']}/calendar.ics", "/calendar"):
        response = client.get(page)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- the private feed -----------------------------------------------------------------------------

def test_the_calendar_page_offers_a_button_and_saves_nothing_until_it_is_pressed(app, world):
    http = login(app, "gus@example.org")
    page = http.get("/calendar").get_data(as_text=True)
    assert "Make my calendar address" in page and "keep it to yourself" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CalendarFeed)) == 0
    assert http.post("/calendar/feed").status_code == 400  # no CSRF token: nothing made
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CalendarFeed)) == 0
    token = make_feed(http)
    page = http.get("/calendar").get_data(as_text=True)
    assert f"/calendar/{token}.ics" in page and "webcal://" in page
    assert "Make a new address (the old one stops working)" in page


def test_the_feed_works_without_logging_in_and_shows_going_maybe_and_waitlist(app, world, client):
    with app.app_context():
        olive = member("olive2@example.org", "Olive Two", role="organizer")
        gus = db.session.get(User, world["gus"])
        far = services.schedule(in_person("Far ahead", day=local_day(200), group_ids=[world["group"]]), olive)[0]
        skipped = services.schedule(in_person("Not for me", group_ids=[world["group"]]), olive)[0]
        # Dates that are over: scheduled and answered back when they were still ahead.
        then = utcnow() - timedelta(days=40)
        recent, old = (services.schedule(in_person(t, day=local_day(-d), group_ids=[world["group"]]), olive, now=then)[0]
                       for t, d in (("Last week", 3), ("Long ago", 12)))
        for activity in (far, recent, old):
            respond(gus, activity, "going", now=then)
        respond(gus, skipped, "not_going")
    token = make_feed(login(app, "gus@example.org"))
    response = client.get(f"/calendar/{token}.ics")
    cal = parse(response)
    assert str(cal["X-WR-CALNAME"]) == "Common Ground activities"
    assert [str(e["SUMMARY"]) for e in cal.events] == ["Last week", "Board games night", "Knitting hour"]
    assert ADDRESS in unfolded(response) and JOIN in unfolded(response)  # Gus is going to both

    may = login(app, "may@example.org")
    may_feed = client.get(f"/calendar/{make_feed(may)}.ics")
    assert [str(e["SUMMARY"]) for e in parse(may_feed).events] == ["Board games night", "Knitting hour"]
    assert ADDRESS not in unfolded(may_feed) and JOIN not in unfolded(may_feed)
    wes_feed = client.get(f"/calendar/{make_feed(login(app, 'wes@example.org'))}.ics")
    assert [str(e["SUMMARY"]) for e in parse(wes_feed).events] == ["Board games night"]
    assert ADDRESS not in unfolded(wes_feed)


def test_the_feed_marks_cancelled_dates_and_drops_activities_no_longer_visible(app, world, client):
    token = make_feed(login(app, "gus@example.org"))
    with app.app_context():
        knit = db.session.get(Activity, world["knit"])
        services.cancel(knit, db.session.get(User, world["olive"]), "")
    events = {str(e["SUMMARY"]): str(e["STATUS"]) for e in parse(client.get(f"/calendar/{token}.ics")).events}
    assert events == {"Board games night": "CONFIRMED", "Knitting hour": "CANCELLED"}
    with app.app_context():
        groups.leave_group(db.session.get(User, world["gus"]), db.session.get(Group, world["group"]))
    gone = client.get(f"/calendar/{token}.ics")
    assert parse(gone).events == [] and ADDRESS not in unfolded(gone)


def test_a_new_address_retires_the_old_one_and_turning_it_off_retires_both(app, world, client):
    http = login(app, "gus@example.org")
    old = make_feed(http)
    assert client.get(f"/calendar/{old}.ics").status_code == 200
    new = make_feed(http)
    assert new != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    response = submit(http, "/calendar", {}, action="/calendar/feed/revoke")
    assert response.status_code == 302
    assert "turned off" in http.get("/calendar").get_data(as_text=True)
    assert client.get(f"/calendar/{new}.ics").status_code == 404
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CalendarFeed)) == 0


def test_the_feed_is_rate_limited_per_address(app, world, client):
    token = make_feed(login(app, "gus@example.org"))
    other = make_feed(login(app, "may@example.org"))
    assert all(client.get(f"/calendar/{token}.ics").status_code == 200 for _ in range(60))
    assert client.get(f"/calendar/{token}.ics").status_code == 429
    assert client.get(f"/calendar/{other}.ics").status_code == 200  # someone else's feed is unaffected
