"""The read-only chat transcript (no JavaScript): who may read it, paging, and safe rendering."""
import html as htmllib
import re

import pytest
from sqlalchemy import select

from community.extensions import db
from community.models import Group, Message, User
from community.models.base import utcnow
from community.models.chat import GroupModerator
from tests.conftest import AuthActions
from tests.factories import member


def text(response) -> str:
    return htmllib.unescape(response.get_data(as_text=True))


def login(client, email):
    response = AuthActions(client).login(email=email)
    assert response.status_code == 302
    return client


@pytest.fixture
def groups(app):
    """Two groups of three; 'alex' is in the first, 'nia' in the second. Returns their ids."""
    from community.groups import services

    with app.app_context():
        ours = [member("alex@example.org", "Alex"), member("bo@example.org", "Bo"), member("cy@example.org", "Cy")]
        theirs = [member("nia@example.org", "Nia"), member("ola@example.org", "Ola"), member("pi@example.org", "Pi")]
        member("org@example.org", "Olu", role="organizer")
        member("mod@example.org", "Mo", role="moderator")
        member("mod2@example.org", "Mina", role="moderator")
        member("admin@example.org", "Ada", role="admin")
        first = services.create_group("Thursday Tabletop", "online", ours, None)
        second = services.create_group("Saturday Walkers", "online", theirs, None)
        db.session.add(GroupModerator(group_id=first.id, user_id=_user("mod@example.org").id))
        db.session.commit()
        return first.id, second.id


def _user(email) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def post(app, group_id, email, *bodies, hidden=False) -> list[int]:
    """Messages stored straight in the database, as services.send would leave them."""
    with app.app_context():
        author = _user(email)
        rows = [Message(group_id=group_id, author_id=author.id, kind="member", body=body,
                        client_id=f"c-{author.id}-{n}-{body[:20]}", hidden_at=utcnow() if hidden else None)
                for n, body in enumerate(bodies)]
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def bodies_on(response) -> list[str]:
    return re.findall(r'<p class="chat-body">(.*?)</p>', response.get_data(as_text=True), re.S)


# --- who may read -------------------------------------------------------------------------------

def test_visitors_are_asked_to_log_in(client, groups):
    response = client.get(f"/groups/{groups[0]}/chat/transcript")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_members_read_their_own_group_only(app, client, groups):
    ours, theirs = groups
    post(app, ours, "bo@example.org", "Hello from Bo")
    login(client, "alex@example.org")
    mine = client.get(f"/groups/{ours}/chat/transcript")
    assert mine.status_code == 200
    assert "Hello from Bo" in text(mine) and "Bo" in text(mine)
    assert "From Common Ground" in text(mine)  # the group's welcome, as a system message
    assert client.get(f"/groups/{theirs}/chat/transcript").status_code == 404
    assert client.get("/groups/99999/chat/transcript").status_code == 404


@pytest.mark.parametrize("email, readable", [
    ("mod@example.org", True),    # assigned to the group
    ("mod2@example.org", False),  # a moderator, but not of this group
    ("admin@example.org", True),
    ("nia@example.org", False),   # a member of another group
])
def test_staff_and_outsiders(app, client, groups, email, readable):
    login(client, email)
    status = client.get(f"/groups/{groups[0]}/chat/transcript").status_code
    assert status == (200 if readable else 404)


def test_a_member_who_left_can_no_longer_read(app, client, groups):
    from community.groups import services

    with app.app_context():
        services.leave_group(_user("alex@example.org"), db.session.get(Group, groups[0]))
    login(client, "alex@example.org")
    assert client.get(f"/groups/{groups[0]}/chat/transcript").status_code == 404


def test_bad_before_is_not_found(client, groups):
    login(client, "alex@example.org")
    assert client.get(f"/groups/{groups[0]}/chat/transcript?before=abc").status_code == 404
    assert client.get(f"/groups/{groups[0]}/chat/transcript?before=-1").status_code == 404


# --- paging --------------------------------------------------------------------------------------

def test_pages_newest_first_each_oldest_first(app, client, groups):
    ours = groups[0]
    ids = post(app, ours, "bo@example.org", *[f"message {n:03}" for n in range(120)])
    login(client, "alex@example.org")

    latest = client.get(f"/groups/{ours}/chat/transcript")
    assert bodies_on(latest) == [f"message {n:03}" for n in range(70, 120)]
    page = text(latest)
    assert "Later messages" not in page
    earlier = re.search(r'href="([^"]+)" rel="prev">Earlier messages', page).group(1)
    assert earlier == f"/groups/{ours}/chat/transcript?before={ids[70]}"

    middle = client.get(earlier)
    assert bodies_on(middle) == [f"message {n:03}" for n in range(20, 70)]
    earliest_url = re.search(r'href="([^"]+)" rel="prev"', text(middle)).group(1)
    later_url = re.search(r'href="([^"]+)" rel="next">Later messages', text(middle)).group(1)
    assert later_url == f"/groups/{ours}/chat/transcript"  # the next 50 are the latest page

    earliest = client.get(earliest_url)
    shown = bodies_on(earliest)
    assert len(shown) == 21 and shown[1:] == [f"message {n:03}" for n in range(20)]
    assert earliest.get_data(as_text=True).count("chat-msg-system") == 1  # the welcome opened the chat
    assert "Earlier messages</a>" not in text(earliest)
    later = re.search(r'href="([^"]+)" rel="next">Later messages', text(earliest)).group(1)
    assert bodies_on(client.get(later)) == [f"message {n:03}" for n in range(20, 70)]


def test_later_link_from_deep_in_history_keeps_pages_whole(app, client, groups):
    ours = groups[0]
    ids = post(app, ours, "bo@example.org", *[f"m{n}" for n in range(160)])
    login(client, "alex@example.org")
    deep = client.get(f"/groups/{ours}/chat/transcript?before={ids[40]}")
    assert bodies_on(deep)[-1] == "m39"
    later = re.search(r'href="([^"]+)" rel="next"', text(deep)).group(1)
    assert later == f"/groups/{ours}/chat/transcript?before={ids[90]}"
    assert bodies_on(client.get(later)) == [f"m{n}" for n in range(40, 90)]


def test_a_page_past_everything_says_so(app, client, groups):
    login(client, "alex@example.org")
    response = client.get(f"/groups/{groups[0]}/chat/transcript?before=1")
    assert response.status_code == 200
    assert "no messages on this page" in text(response)
    assert f'href="/groups/{groups[0]}/chat/transcript"' in response.get_data(as_text=True)


def test_hidden_messages_are_not_shown(app, client, groups):
    ours = groups[0]
    post(app, ours, "bo@example.org", "kept")
    post(app, ours, "cy@example.org", "something unkind", hidden=True)
    login(client, "alex@example.org")
    page = text(client.get(f"/groups/{ours}/chat/transcript"))
    assert "kept" in page and "unkind" not in page


# --- safe rendering ------------------------------------------------------------------------------

def test_bodies_are_escaped_and_links_marked_as_user_content(app, client, groups):
    ours = groups[0]
    post(app, ours, "bo@example.org", '<script>alert("x")</script>\n<b>hi</b>',
         "rules: https://example.org/rules?a=1&b=2.")
    login(client, "alex@example.org")
    raw = client.get(f"/groups/{ours}/chat/transcript").get_data(as_text=True)
    assert "<script>alert" not in raw and "<b>hi</b>" not in raw
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;<br>\n&lt;b&gt;hi&lt;/b&gt;" in raw
    assert ('<a href="https://example.org/rules?a=1&amp;b=2" rel="noopener nofollow ugc" target="_blank">'
            "https://example.org/rules?a=1&amp;b=2</a>.") in raw


def test_own_messages_read_as_you(app, client, groups):
    post(app, groups[0], "alex@example.org", "my note")
    login(client, "alex@example.org")
    raw = client.get(f"/groups/{groups[0]}/chat/transcript").get_data(as_text=True)
    assert re.search(r'chat-msg-mine[^>]*>\s*<p class="chat-meta">\s*<span class="chat-author">You</span>', raw)


def test_group_page_links_to_the_transcript_and_loads_the_chat(app, client, groups):
    login(client, "alex@example.org")
    raw = client.get(f"/groups/{groups[0]}").get_data(as_text=True)
    assert 'id="group-chat"' in raw and f'data-group-id="{groups[0]}"' in raw
    assert "Live chat needs JavaScript" in raw
    assert f'href="/groups/{groups[0]}/chat/transcript"' in raw
    assert '<script src="/static/vendor/socket.io.min.js" defer></script>' in raw
    assert '<script type="module" src="/static/js/chat/main.js"></script>' in raw


def test_the_socket_io_client_is_served_by_the_app(client):
    with client.get("/static/vendor/socket.io.min.js") as response:
        assert response.status_code == 200, "run `npm ci` (make test does)"
        assert response.mimetype in ("text/javascript", "application/javascript")
        assert b"Socket.IO v4.8" in response.data[:200]
    assert client.get("/static/vendor/package.json").status_code == 404
    assert client.get("/static/vendor/..%2Fpackage.json").status_code == 404


def test_a_missing_npm_install_is_a_clear_404(client, monkeypatch, tmp_path, caplog):
    from community import vendor

    monkeypatch.setattr(vendor, "NODE_MODULES", tmp_path)
    assert client.get("/static/vendor/socket.io.min.js").status_code == 404
    assert "run `npm ci`" in caplog.text
