"""Stored XSS, checked in Chromium. Script-shaped text is kept through the real forms and chat
events that keep words other people see (a display name at sign-up, a communication note and
custom interests while onboarding, a chat message, a report's note, a moderator's reason, a
filter rule's reason, a group's name, an activity's title and description); then every page that
shows them is opened, as each person who sees it. On none of them may anything run: window.__xss
stays unset, no dialog opens, no policy violation is reported, and the page holds no injected
handler, script, srcdoc or javascript: link. And each text shows literally, as the words typed."""
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from community.extensions import db
from community.models import Activity, Group, Message, ReviewItem
from tests.browser.test_chat_browser import CONNECTED, bubbles, log_in, open_chat, send
from tests.browser.test_csp_browser import RECORD_VIOLATIONS
from tests.conftest import submit
from tests.factories import member
from tests.fuzz.html_forms import post_forms
from tests.support import PASSWORD, login_client

pytestmark = pytest.mark.browser

MALLORY = "mallory.xss@example.org"
EMAILS = {"alex": "alex.xss@example.org", "olu": "olu.xss@example.org", "mo": "mo.xss@example.org",
          "ada": "ada.xss@example.org", "mallory": MALLORY}
# What each place keeps. Every one would set window.__xss if it ran; each is within its field's limits
# (a custom interest is at most 40 characters, and commas split interests).
STORED = {
    "display name": '<img src=x onerror="window.__xss=1">Mal',
    "communication note": '"><svg onload=window.__xss=1> I reply slowly',
    "custom interest": "<svg onload=window.__xss=1>",
    "chat message": "<script>window.__xss=1</script> see javascript:window.__xss=1 or "
                    'https://example.org/a"onmouseover="window.__xss=1',
    "report note": '<img src=x onerror="window.__xss=1"> it upset me',
    "moderation reason": "'><iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe> please be kind",
    "filter reason": '<a href="javascript:window.__xss=1">why</a> keep it kind',
    "group name": "<script>window.__xss=1</script>Circle",
    "activity title": '"><svg onload=window.__xss=1>Game night',
    "activity description": '<img src=x onerror="window.__xss=1"> bring javascript:window.__xss=1',
}
# Where each must show as typed (pages may show it in more places).
SHOWN_ON = {
    "display name": [("alex", "group"), ("mo", "item"), ("ada", "admin group")],
    "communication note": [("alex", "group")],
    "custom interest": [("mallory", "/profile")],
    "chat message": [("alex", "group"), ("alex", "transcript"), ("mo", "item"), ("mo", "moderation chat")],
    "report note": [("mo", "item")],
    "moderation reason": [("mallory", "/moderation/record"), ("mo", "/moderation/log")],
    "filter reason": [("ada", "filters")],
    "group name": [("alex", "group"), ("ada", "/admin/groups")],
    "activity title": [("alex", "/activities"), ("alex", "activity"), ("olu", "/organize/activities")],
    "activity description": [("alex", "activity")],
}
FIND_INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name) || attr.name === "srcdoc") found.push(`${el.tagName} ${attr.name}`);
      if (/^(href|src|action|formaction)$/i.test(attr.name) && /^\\s*javascript:/i.test(attr.value)) {
        found.push(`${el.tagName} ${attr.name}=${attr.value}`);
      }
    }
    if (el.tagName === "SCRIPT" && el.textContent.includes("__xss")) found.push("an inline script");
  }
  return found;
}"""


@pytest.fixture
def people(app):
    with app.app_context():
        member(EMAILS["alex"], "Alex")
        member(EMAILS["olu"], "Olu", role="organizer")
        member(EMAILS["mo"], "Mo", role="moderator")
        member(EMAILS["ada"], "Ada", role="admin")


def _filled(client, page: str, action: str, **values) -> dict:
    """The form's values as the page filled them in, with `values` typed over them."""
    form = next(f for f in post_forms(client.get(page).get_data(as_text=True), page) if f.action == action)
    return {**{name: field.default for name, field in form.fields.items() if name != "csrf_token"}, **values}


def _posted(client, page: str, data: dict, action: str | None = None) -> None:
    response = submit(client, page, data, action)
    assert response.status_code == 302, f"{action or page}: {response.status_code}"


def store_everything(app, browser, live_server) -> dict:
    """Keep every text of STORED through the forms and events a person would use (the chat
    message typed in Chromium); returns the ids the pages need."""
    mallory = app.test_client()
    _posted(mallory, "/register", {"display_name": STORED["display name"], "email": MALLORY,
                                   "password": PASSWORD, "confirm": PASSWORD})
    for step, values in [("interests", {"interests": "board-games", "own_interests": STORED["custom interest"]}),
                         ("where", {"neighbourhood": "decatur"}), ("when", {"slots": ["11", "17"]}),
                         ("pace", {"format_preference": "either", "comfort_step": "2"}), ("private", {}),
                         ("sharing", {"communication_note": STORED["communication note"]}),
                         ("consent", {"understood": "y"})]:
        _posted(mallory, f"/welcome/{step}", {**values, "action": "next"})

    ada = login_client(app, EMAILS["ada"])
    _posted(ada, "/admin/groups", {"name": STORED["group name"], "mode": "online",
                                   "members": f"{MALLORY}\n{EMAILS['alex']}"})
    with app.app_context():
        group_id = db.session.scalar(select(Group.id))
    _posted(ada, f"/admin/groups/{group_id}", {"moderator_email": EMAILS["mo"]},
            f"/admin/groups/{group_id}/moderators")
    filters = f"/moderation/groups/{group_id}/filters"
    # Links from new members wait for a moderator by default; everyone here is new.
    _posted(ada, filters, _filled(ada, filters, filters, hold_words=f"zebra | {STORED['filter reason']}",
                                  new_member_days="0"))

    context, page = open_chat(browser, live_server, MALLORY, group_id)
    send(page, STORED["chat message"])
    expect(bubbles(page, STORED["chat message"])).to_have_count(1)
    # The bubble shows while the message is on its way; wait for the server to have stored it.
    message_id = None
    for _ in range(100):
        with app.app_context():
            message_id = db.session.scalar(select(Message.id).where(Message.author_id.is_not(None)))
        if message_id is not None:
            break
        page.wait_for_timeout(100)
    context.close()
    assert message_id is not None, "the chat message was never stored"

    alex = login_client(app, EMAILS["alex"])
    _posted(alex, f"/moderation/report/{message_id}", {"reason": "harassment", "note": STORED["report note"]})
    mo = login_client(app, EMAILS["mo"])
    with app.app_context():
        item_id = db.session.scalar(select(ReviewItem.id).where(ReviewItem.message_id == message_id))
    _posted(mo, f"/moderation/items/{item_id}", {"action": "warn", "reason": STORED["moderation reason"],
                                                 "hours": "24"}, f"/moderation/items/{item_id}/act")

    olu = login_client(app, EMAILS["olu"])
    activity = {"title": STORED["activity title"], "focus": "board-games", "description": STORED["activity description"],
                "format": "online", "join_url": "javascript:window.__xss=1",
                "day": (date.today() + timedelta(days=10)).isoformat(), "start": "18:00", "end": "20:00",
                "capacity": "8", "comfort_step": "2", "groups": str(group_id)}
    refused = submit(olu, "/organize/activities/new", activity)
    assert refused.status_code == 400, "a javascript: join link was accepted"
    _posted(olu, "/organize/activities/new", {**activity, "join_url": "https://example.org/room"})
    with app.app_context():
        activity_id = db.session.scalar(select(Activity.id))
    return {"group": group_id, "message": message_id, "item": item_id, "activity": activity_id}


def pages_for(ids: dict) -> dict[str, dict[str, str]]:
    """Who opens which pages; a name stands for a page whose address has an id in it."""
    g, item, activity = ids["group"], ids["item"], ids["activity"]
    return {
        "alex": {"group": f"/groups/{g}", "transcript": f"/groups/{g}/chat/transcript", "/activities": "/activities",
                 "activity": f"/activities/{activity}", "/home": "/home", "/groups/browse": "/groups/browse"},
        "mallory": {"/profile": "/profile", "/notifications": "/notifications",
                    "/moderation/record": "/moderation/record", "group": f"/groups/{g}"},
        "mo": {"/moderation/": "/moderation/", "item": f"/moderation/items/{item}",
               "moderation chat": f"/moderation/groups/{g}/chat", "/moderation/log": "/moderation/log"},
        "ada": {"/admin/groups": "/admin/groups", "admin group": f"/admin/groups/{g}", "filters": f"/moderation/groups/{g}/filters",
                "/admin/access-log": "/admin/access-log"},
        "olu": {"/organize/activities": "/organize/activities", "organize activity": f"/organize/activities/{activity}",
                "/organize/matching": "/organize/matching"},
    }


def visit(page, base: str, url: str) -> str:
    """Open the page, let its scripts (the chat among them) finish, and return its text (and what
    its form fields hold: a filter rule is shown in the textarea it is edited in)."""
    response = page.goto(base + url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    page.wait_for_load_state("load")
    if page.locator("#group-chat").count():
        expect(page.locator("#group-chat .chat-status")).to_have_text(CONNECTED)
        expect(page.locator("#group-chat .chat-msg").first).to_be_visible()
    return page.evaluate("""() => document.body.innerText + " " +
        [...document.querySelectorAll("input, textarea")].map(field => field.value).join(" ")""")


def test_stored_scripts_never_run_and_show_as_the_words_typed(app, browser, live_server, people):
    ids = store_everything(app, browser, live_server)
    shown, problems = {}, []
    for who, pages in pages_for(ids).items():
        dialogs = []
        context, page = log_in(browser, live_server, EMAILS[who])
        context.add_init_script(RECORD_VIOLATIONS)
        page.on("dialog", lambda dialog, seen=dialogs: (seen.append(dialog.message), dialog.dismiss()))
        try:
            for name, url in pages.items():
                text = visit(page, live_server, url)
                shown[(who, name)] = text
                ran = page.evaluate("() => window.__xss")
                injected = page.evaluate(FIND_INJECTED)
                violations = page.evaluate("() => window.__cspViolations || []")
                if ran is not None or injected or violations or dialogs:
                    problems.append(f"{who} on {url}: __xss={ran!r}, injected={injected}, "
                                    f"policy violations={violations}, dialogs={dialogs}")
        finally:
            context.close()
    missing = [f"{label} not shown as typed to {who} on {name}" for label, places in SHOWN_ON.items()
               for who, name in places if STORED[label] not in _plain(shown[(who, name)])]
    assert not problems, "\n".join(problems)
    assert not missing, "\n".join(missing)


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text)
