"""The journey page's check-in card: an invitation while this month is open, thanks once done,
the member's own trend, and the ways to their history and their summary."""
import html as htmllib

from community.extensions import db
from community.journey import checkins
from community.models import MonthlyCheckIn
from community.models.base import utcnow
from tests.factories import member
from tests.support import login_client as login


def _page(app, email: str) -> str:
    response = login(app, email).get("/journey")
    assert response.status_code == 200
    return htmllib.unescape(response.get_data(as_text=True))


def test_the_card_invites_until_this_month_is_done_then_shows_the_trend(app):
    with app.app_context():
        ann_id = member("ann@example.org", "Ann").id
        last_month = "2026-01"
        db.session.add(MonthlyCheckIn(user_id=ann_id, month=last_month,
                                      answers={"lack_company": 3, "left_out": 2, "isolated": 3}))
        db.session.commit()
        this_month = checkins.month_of(utcnow())
    page = _page(app, "ann@example.org")
    assert "Check in for this month" in page and "You've checked in this month" not in page
    assert 'data-month="2026-01"' in page and "<svg" in page  # the one earlier check-in, charted
    assert 'href="/journey/check-ins"' in page and 'href="/journey/summary"' in page

    with app.app_context():
        db.session.add(MonthlyCheckIn(user_id=ann_id, month=this_month,
                                      answers={"lack_company": 2, "left_out": 2, "isolated": 1}))
        db.session.commit()
    page = _page(app, "ann@example.org")
    assert "You've checked in this month" in page and "Check in for this month</a>" not in page
    assert f'data-month="{this_month}"' in page


def test_someone_who_never_checked_in_sees_no_chart_only_the_invitation(app):
    with app.app_context():
        member("bo@example.org", "Bo")
    page = _page(app, "bo@example.org")
    assert "Check in for this month" in page and "<svg" not in page


def test_home_points_to_the_journey_and_invites_a_check_in_only_while_this_month_is_open(app):
    with app.app_context():
        cy_id = member("cy@example.org", "Cy").id
    http = login(app, "cy@example.org")
    page = htmllib.unescape(http.get("/home").get_data(as_text=True))
    assert 'href="/journey">See your next step' in page and 'href="/journey/check-in">Check in' in page
    with app.app_context():
        db.session.add(MonthlyCheckIn(user_id=cy_id, month=checkins.month_of(utcnow()),
                                      answers={"lack_company": 1, "left_out": 1, "isolated": 1}))
        db.session.commit()
    page = htmllib.unescape(http.get("/home").get_data(as_text=True))
    assert 'href="/journey">See your next step' in page and 'href="/journey/check-in"' not in page
