"""The monthly check-in in Chromium, as a member does it: answer with the keyboard and a click,
save, and see the trend chart (an image named by its title, one dot per month) with the table of
the same numbers; with last month's check-in already there, the line joins two points. The
summary's Print button appears only with JavaScript; the words about the browser's Print are
always there."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from community.extensions import db
from community.groups import services as groups
from community.journey import chart
from community.journey.checkins import month_of
from community.models import MonthlyCheckIn
from community.models.base import utcnow
from tests.browser.test_accessibility import assert_contrast
from tests.factories import member
from tests.support import PASSWORD, finish_browser_login

pytestmark = pytest.mark.browser
TITLE = "How lonely you've felt, month by month"


@pytest.fixture
def months(app):
    """Riley (in a group with Pat) and the names of this month and last, as the app counts them."""
    with app.app_context():
        riley, pat = member("riley@example.org", "Riley"), member("pat@example.org", "Pat")
        groups.create_group("Board games circle", "online", [riley, pat], None)
        db.session.commit()
        this = month_of(utcnow())
        last = f"{chart.month_date(this) - timedelta(days=1):%Y-%m}"  # the day before this month began
        return {"riley": riley.id, "this": this, "last": last}


def sign_in(page, base):
    page.goto(base + "/login")
    page.fill("#email", "riley@example.org")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    finish_browser_login(page, "riley@example.org")


def answer_the_check_in(page, keyboard, base):
    page.goto(base + "/journey/check-in")
    assert_contrast(page, "the check-in")
    # The keyboard: Tab into the first question, Space chooses, the arrow keys move the choice.
    keyboard.focus("#lack_company-1")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#lack_company-3")).to_be_checked()  # "Often"
    # A click on a label, found by its question (each a fieldset named by its legend).
    page.get_by_role("group", name="How often do you feel left out?").get_by_label("Some of the time").check()
    keyboard.focus("#isolated-1")
    page.keyboard.press("Space")  # "Hardly ever": 3 + 2 + 1 = 6
    page.get_by_role("group", name="How connected did you feel to your group this month?").get_by_label(
        "Quite connected").check()
    keyboard.type("#note", "Went to game night.")
    keyboard.press("button[type=submit].button", "Enter")
    page.wait_for_url("**/journey/check-in/thanks")


def test_a_member_checks_in_and_sees_their_chart(page, keyboard, live_server, months):
    sign_in(page, live_server)
    answer_the_check_in(page, keyboard, live_server)
    expect(page.locator(".flash")).to_contain_text("Your check-in is saved")
    chart_image = page.get_by_role("img", name=TITLE)
    expect(chart_image).to_be_visible()
    expect(page.locator("svg.trend-chart title")).to_have_text(TITLE)
    expect(page.locator("svg.trend-chart circle.trend-point")).to_have_count(1)
    expect(page.locator("svg.trend-chart polyline")).to_have_count(0)
    row = page.locator(f'table.trend-table tr[data-month="{months["this"]}"]')
    expect(row.locator("th")).to_have_text(chart.month_name(months["this"]))
    expect(row.locator("td").nth(0)).to_have_text("6")
    expect(row.locator("td").nth(1)).to_have_text("4")
    expect(page.locator("figcaption")).to_contain_text(": 6, on a scale from 3 to 9")
    expect(page.get_by_text("It sounds like this month has been heavy")).to_have_count(0)
    assert_contrast(page, "the thank-you page with the chart")


def test_with_last_month_there_the_line_joins_two_points(app, page, keyboard, live_server, months):
    with app.app_context():
        db.session.add(MonthlyCheckIn(user_id=months["riley"], month=months["last"], note="",
                                      answers={"lack_company": 3, "left_out": 3, "isolated": 2,
                                               "group_connection": None, "mood": 2}))
        db.session.commit()
    sign_in(page, live_server)
    answer_the_check_in(page, keyboard, live_server)
    expect(page.locator("svg.trend-chart circle.trend-point")).to_have_count(2)
    expect(page.locator("svg.trend-chart polyline.trend-line")).to_have_count(1)
    points = page.locator("svg.trend-chart polyline").get_attribute("points").split()
    assert len(points) == 2
    assert [p.split(",")[1] for p in points] == [str(int(chart.y_for(8))), str(int(chart.y_for(6)))]
    expect(page.locator("svg.trend-chart desc")).to_contain_text("8, then 6. Lower means less lonely.")
    expect(page.locator("table.trend-table tbody tr")).to_have_count(2)
    expect(page.locator(f'table.trend-table tr[data-month="{months["last"]}"] td').nth(1)).to_have_text("Not answered")

    page.goto(live_server + "/journey/check-ins")
    expect(page.locator("svg.trend-chart circle.trend-point")).to_have_count(2)
    assert_contrast(page, "the check-ins page")
    page.goto(live_server + "/journey/summary")
    page.get_by_role("button", name="Make my summary").click()
    expect(page.get_by_role("button", name="Print")).to_be_visible()  # JavaScript shows it
    expect(page.locator("svg.trend-chart circle.trend-point")).to_have_count(2)
    assert_contrast(page, "the summary")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".summary-form")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()


def test_without_javascript_the_summary_says_to_use_the_browsers_print(browser, live_server, months):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server)
        page.goto(live_server + "/journey/summary")
        page.get_by_role("button", name="Make my summary").click()
        expect(page.get_by_text("use your browser's Print")).to_be_visible()
        expect(page.locator("[data-print]")).to_be_hidden()
    finally:
        context.close()
