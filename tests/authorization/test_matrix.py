"""Every route and Socket.IO event, for every role, with ids that belong to someone else. Each
answer must be the one tests/authorization/table.py gives, and a refused request must leave the
whole database exactly as it was."""
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from community.chat import events as chat_events
from community.extensions import db, socketio
from community.models import Message
from tests.authorization.table import LOGIN, PRIVATE_WORDS, ROLES, ROUTES, SOCKET_CELLS, is_refusal
from tests.authorization.world import altered_rows, changed_tables, restore, snapshot

NOT_ROUTED_METHODS = {"HEAD", "OPTIONS"}  # Flask answers these itself for every route


def outcome(response) -> str:
    """The table's word for a response: the status, or `login` for a redirect to the login page."""
    location = urlsplit(response.headers.get("Location", "")).path
    if response.status_code in (301, 302, 303, 307, 308) and location == "/login":
        return LOGIN
    return str(response.status_code)


def test_every_route_and_socket_event_is_in_the_table(matrix_app):
    present = {(method, rule.rule) for rule in matrix_app.url_map.iter_rules()
               for method in rule.methods - NOT_ROUTED_METHODS}
    listed = [row.key for row in ROUTES]
    assert len(listed) == len(set(listed)), "a route is listed twice in tests/authorization/table.py"
    unlisted = sorted(present - set(listed))
    assert not unlisted, ("Routes nobody has placed in tests/authorization/table.py yet; say who may use each:\n"
                          + "\n".join(f"  {method} {rule}" for method, rule in unlisted))
    gone = sorted(set(listed) - present)
    assert not gone, "Listed in tests/authorization/table.py but no longer routes:\n" + "\n".join(
        f"  {method} {rule}" for method, rule in gone)
    handled = {event for handlers in socketio.server.handlers.values() for event in handlers}
    assert handled == set(SOCKET_CELLS), (f"socket events handled but not in the table: {handled - set(SOCKET_CELLS)}; "
                                          f"in the table but not handled: {set(SOCKET_CELLS) - handled}")


def _messages_by(app, author_id) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Message.id)).where(Message.author_id == author_id))


def _from_group(events: list, group_id: int) -> dict[str, list]:
    """The messages and typing hints about this group among what a socket client received."""
    found = {"message": [], "typing": []}
    for event in events:
        args = event["args"]
        payload = args[0] if isinstance(args, list) and args else args
        if event["name"] in found and isinstance(payload, dict) and payload.get("group_id") == group_id:
            found[event["name"]].append(payload)
    return found


def test_socket_events(matrix_app, world, people, matrix_report):
    """Each role against group A's chat. Everyone connects and joins first, so a refused person
    would hear the group's messages if a refusal leaked."""
    group, user_ids = world.ids["group"], world.ids["people"]
    got = {event: {} for event in SOCKET_CELLS}
    matrix_report.sockets = got
    told = {role: [] for role in ROLES}  # every answer and event each connection was given

    def ask(role, sio, event, data):
        answer = sio.emit(event, data, callback=True)
        told[role].append(answer)
        return answer if isinstance(answer, dict) else {}

    riley = socketio.test_client(matrix_app, flask_test_client=world.riley)
    assert riley.emit("join", {"group_id": group}, callback=True)["ok"]
    chat_events._last_typing.clear()  # typing hints are throttled per user id, and ids repeat between modules
    clients = {role: socketio.test_client(matrix_app, flask_test_client=people.browser(role)[0]) for role in ROLES}
    connected = {role: sio for role, sio in clients.items() if sio.is_connected()}
    for role in ROLES:
        got["connect"][role] = "ok" if role in connected else "refused"
        if role not in connected:
            for event in SOCKET_CELLS:
                got[event][role] = "refused"
    for role, sio in connected.items():
        for event, data in (("join", {"group_id": group}),
                            ("history", {"group_id": group, "before_id": world.ids["message"] + 1000})):
            answer = ask(role, sio, event, data)
            got[event][role] = "ok" if answer.get("ok") else "denied" if "messages" not in answer else "leaked"
    for role, sio in connected.items():  # group A's question round: only Pat, whose turn it is, may pass
        got["round_pass"][role] = "ok" if ask(role, sio, "round_pass", {"group_id": group}).get("ok") else "denied"
    riley.get_received()
    for role, sio in connected.items():
        before = _messages_by(matrix_app, user_ids[role])
        ack = ask(role, sio, "send", {"group_id": group, "body": f"Hello from the {role}.",
                                      "client_id": f"matrix-{role}"})
        stored = _messages_by(matrix_app, user_ids[role]) - before
        sio.emit("typing", {"group_id": group})
        heard = _from_group(riley.get_received(), group)
        sent_heard = any(m["author"]["id"] == user_ids[role] for m in heard["message"])
        if ack.get("ok") and stored == 1 and sent_heard:
            got["send"][role] = "ok"
        elif not ack.get("ok") and stored == 0 and not sent_heard:
            got["send"][role] = "denied"
        else:
            got["send"][role] = f"ack={ack.get('ok')},stored={stored},heard={sent_heard}"
        typed = any(t["user"]["id"] == user_ids[role] for t in heard["typing"])
        got["typing"][role] = "heard" if typed else "unheard"
    for role, sio in connected.items():
        received = sio.get_received()
        told[role].append(received)
        # Whoever was refused must have heard nothing of group A while the others talked.
        if got["join"][role] == "denied" and any(_from_group(received, group).values()):
            got["join"][role] = "leaked"
        got["leave"][role] = "ok" if ask(role, sio, "leave", {"group_id": group}).get("ok") else "denied"
        draft = ask(role, sio, "check_draft", {"body": "see you all on Thursday"})
        got["check_draft"][role] = "ok" if draft.get("ok") else "denied"
        sio.disconnect()
        got["disconnect"][role] = "ok" if not sio.is_connected() else "still connected"
    riley.disconnect()
    wrong = [f"{event} as {role}: expected {expected}, got {got[event][role]}"
             for event, cells in SOCKET_CELLS.items() for role, expected in zip(ROLES, cells, strict=True)
             if got[event][role] != expected]
    wrong += [f"{role}'s chat connection was given {word}, from somewhere private to others"
              for role in ROLES for word, readers in PRIVATE_WORDS.items()
              if role not in readers and word in repr(told[role])]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("row", ROUTES, ids=[f"{row.method} {row.rule}" for row in ROUTES])
def test_route(matrix_app, world, people, matrix_report, row):
    url = world.url(row)
    got = matrix_report.routes.setdefault(row.key, {})
    wrong = []
    # Everyone signed in before the snapshot, so signing in isn't mistaken for a change a request made.
    browsers = {role: people.spare_browser(role) if row.session == "spare" else people.browser(role)
                for role in ROLES}
    with matrix_app.app_context():
        restore(world.saved)  # each row starts from the world as described, whatever rows before did
        before = snapshot()
    # Refusals first, against the world as it stands; then the allowed cells, each put back after.
    for role, expected in sorted(zip(ROLES, row.cells, strict=True), key=lambda cell: not is_refusal(*cell)):
        client, token = browsers[role]
        if row.method == "GET":
            response = client.get(url)
        else:
            # A valid token from this browser's own session, so any refusal is authorization, not CSRF.
            response = client.open(url, method=row.method, data={"csrf_token": token})
        got[role] = outcome(response)
        body = response.get_data(as_text=True)
        response.close()  # a file sent from disk stays open until then
        for word in PRIVATE_WORDS:
            if word in body:
                matrix_report.words_seen.setdefault(word, set()).add(role)
        leaked = [word for word, readers in PRIVATE_WORDS.items() if word in body and role not in readers]
        if leaked:
            wrong.append(f"{role} was shown {', '.join(leaked)}, from somewhere private to others")
        if got[role] != expected:
            wrong.append(f"{role}: expected {expected}, got {got[role]} "
                         f"{response.headers.get('Location') or body[:200]!r}")
        if is_refusal(role, expected):
            with matrix_app.app_context():
                changed = changed_tables(before, snapshot())
            if changed:
                wrong.append(f"{role} was to be refused, yet the request changed {', '.join(changed)}")
        elif row.method != "GET":
            with matrix_app.app_context():
                altered = altered_rows(world.saved, row.keeps)
                restore(world.saved)  # so the next role meets the same world (Pat back in group A...)
            if altered:
                wrong.append(f"{role} was allowed, but changed rows that aren't theirs in {', '.join(altered)}")
        if row.session == "ends_all":
            people.signed_out_everywhere(role)
    assert not wrong, f"{row.method} {url}:\n" + "\n".join(wrong)


def test_the_planted_private_words_do_show_where_allowed(matrix_report):
    """The leak check in test_route means something only if the planted words do appear: each one
    (bar those no role here may see) reached at least one of the people allowed to see it."""
    if len(matrix_report.routes) < len(ROUTES):
        pytest.skip("needs the whole matrix to have run first")
    unseen = [word for word, readers in PRIVATE_WORDS.items() if readers and not matrix_report.words_seen.get(word)]
    assert not unseen, f"never shown to anyone, so their leak check can't fail: {unseen}"
