"""The bare reference chat server for `bench.chat`: a minimal Flask-SocketIO app with the same
event names as Common Ground's chat, and nothing else (no auth, no validation, no rate limit).

    .venv/bin/python -m bench.chat_reference --port 5055 --db /tmp/ref.db
    .venv/bin/python -m bench.chat_reference --async-mode gevent --port 5055 --db /tmp/ref.db

- `join` {group_id} joins the room and acks {ok: true, messages: [], has_more: false}.
- `send` {group_id, body, client_id} inserts the message into SQLite (WAL, synchronous=NORMAL, one
  connection behind a lock: SQLite has one writer anyway), commits, broadcasts `message` to the
  room (the sender included, as the app does) and acks {ok: true, message}.

Threading mode (Werkzeug, one thread per connection) by default; `--async-mode gevent` or
`eventlet` monkey-patches first and serves with that library's WSGI server (gevent-websocket /
eventlet installed). It is the floor the real server is measured against: whatever Common Ground
does on top (session auth, membership, validation, rate limit, ORM) shows as the difference.
"""
from __future__ import annotations

import argparse
import sys


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=5055)
    ap.add_argument("--db", required=True, help="SQLite file (created)")
    ap.add_argument("--async-mode", default="threading", choices=("threading", "gevent", "eventlet"))
    ap.add_argument("--journal", default="wal", choices=("wal", "delete"),
                    help="wal: WAL + synchronous=NORMAL (default); delete: SQLite's default journal, fsync per commit")
    ap.add_argument("--nodelay", action="store_true",
                    help="threading only: set TCP_NODELAY on accepted sockets (no Nagle delay on small writes)")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.async_mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
    elif args.async_mode == "eventlet":
        import eventlet

        eventlet.monkey_patch()

    import datetime as dt
    import sqlite3
    import threading

    from flask import Flask
    from flask_socketio import SocketIO, join_room

    conn = sqlite3.connect(args.db, check_same_thread=False, isolation_level=None)
    if args.journal == "wal":
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("""CREATE TABLE IF NOT EXISTS messages (
        id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL, author_id INTEGER, kind TEXT NOT NULL,
        body TEXT NOT NULL, client_id TEXT, created_at TEXT NOT NULL, UNIQUE (author_id, client_id))""")
    conn.execute("CREATE INDEX IF NOT EXISTS ix_messages_group_id_id ON messages (group_id, id)")
    lock = threading.Lock()

    app = Flask(__name__)
    socketio = SocketIO(app, async_mode=args.async_mode)

    @socketio.on("join")
    def on_join(data):
        join_room(f"group-{int(data['group_id'])}")
        return {"ok": True, "messages": [], "has_more": False}

    @socketio.on("send")
    def on_send(data):
        group_id = int(data["group_id"])
        body = str(data.get("body", ""))
        client_id = str(data.get("client_id", ""))
        created = dt.datetime.now(dt.UTC).isoformat()
        with lock:
            cur = conn.execute("BEGIN")
            cur = conn.execute(
                "INSERT INTO messages (group_id, author_id, kind, body, client_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (group_id, 1, "member", body, client_id, created))
            conn.execute("COMMIT")
            message_id = cur.lastrowid
        message = {"id": message_id, "group_id": group_id, "author": {"id": 1, "name": "Bench"}, "kind": "member",
                   "body": body, "created_at": created, "client_id": client_id}
        socketio.emit("message", message, to=f"group-{group_id}")
        return {"ok": True, "message": message}

    print(f"reference chat server ({args.async_mode}, journal {args.journal}) on {args.host}:{args.port}", flush=True)
    extra = {}
    if args.nodelay and args.async_mode == "threading":
        from werkzeug.serving import WSGIRequestHandler

        class NoDelayHandler(WSGIRequestHandler):
            disable_nagle_algorithm = True  # socketserver sets TCP_NODELAY in setup()

        extra["request_handler"] = NoDelayHandler
    socketio.run(app, host=args.host, port=args.port, allow_unsafe_werkzeug=True, log_output=False, **extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
