"""Real chat servers and real clients for the integration tests: `python app.py` as a subprocess
on a migrated database (SQLite file or a scratch PostgreSQL database), members logged in over
HTTP like a browser, and `python-socketio` clients connected over websocket with that cookie."""
import functools
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import redis
import socketio
from sqlalchemy import create_engine, select

from tests.conftest import TEST_DATA_ENCRYPTION_KEYS, another_app, app_config, scratch_postgres
from tests.support import PASSWORD, sign_in_code

ROOT = Path(__file__).resolve().parents[2]
# Every process of one test shares it, so one login cookie works on all of them.
SECRET_KEY = "chat-integration-" + uuid.uuid4().hex
REDIS_URL = "redis://127.0.0.1:6379/14"
GENEROUS = "10000 per minute"  # limits are tested at handler level; here they'd only get in the way
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
WAIT = 10.0  # seconds any single step may take before the test says what it was waiting for


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- databases ---------------------------------------------------------------------------------

@contextmanager
def database(kind: str, tmp_path: Path):
    """A fresh, empty database URL of the given kind ("sqlite" or "postgresql")."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'chat.db'}"
    else:
        with scratch_postgres("cg_chat") as url:
            yield url


def base_env(database_url: str, instance: Path, **extra: str) -> dict:
    """The environment a server process (or the flask CLI) runs with."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "COMMON_GROUND_ENV")}
    env.update(
        PYTHONPATH=str(ROOT), COMMON_GROUND_INSTANCE=str(instance), DATABASE_URL=database_url,
        SECRET_KEY=SECRET_KEY, DATA_ENCRYPTION_KEYS=TEST_DATA_ENCRYPTION_KEYS,
        LOGIN_LIMIT_PER_IP=GENEROUS,
        CHAT_RATE_LIMIT=GENEROUS, PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def migrate(database_url: str, instance: Path) -> None:
    """Build the schema the way an operator does: `flask --app app db upgrade`."""
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"], cwd=ROOT,
                            env=base_env(database_url, instance), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]


def populate(database_url: str, members: int = 3) -> dict:
    """Onboarded members in a new group, plus an outsider in no group, all with fresh emails (so
    several tests can share one database); returns the group id, the emails and the member ids."""
    from community.extensions import db
    from community.groups.services import create_group
    from tests.factories import circle, member

    prefix = "c" + uuid.uuid4().hex[:8]
    with another_app(app_config(database_url)) as app, app.app_context():
        people = circle(prefix, members)
        outsider = member(f"{prefix}-outsider@example.org", "Outsider")
        group = create_group("Board games by chat", "online", people, by=None)
        ids = {"group": group.id, "members": [p.email for p in people], "member_ids": [p.id for p in people],
               "outsider": outsider.email}
        db.session.remove()
    return ids


def stored_messages(database_url: str, group_id: int) -> list[dict]:
    """What the database holds for the group's chat, members' messages only, by id."""
    from community.models import Message

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(Message.id, Message.author_id, Message.body, Message.client_id)
                .where(Message.group_id == group_id, Message.kind == "member").order_by(Message.id)
            )
            return [dict(row._mapping) for row in rows]
    finally:
        engine.dispose()


def redis_available(url: str = REDIS_URL) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        return False


def flush_redis(url: str = REDIS_URL) -> None:
    client = redis.Redis.from_url(url, socket_timeout=2)
    try:
        client.flushdb()
    finally:
        client.close()


# --- servers -----------------------------------------------------------------------------------

class Server:
    """`python app.py` on a fixed port; stop() and start() again keep the port and the database."""

    def __init__(self, env: dict, log_path: Path, port: int | None = None):
        self.port = port or free_port()
        self.env = {**env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        self.log_path = log_path
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self, timeout: float = 30.0) -> "Server":
        self.launch()
        return self.wait_ready(timeout)

    def launch(self) -> None:
        assert self.process is None, "already running"
        self.starts += 1
        # A file, not a pipe: a pipe nobody reads fills up and blocks the server mid-test.
        with open(self.log_path, "a") as log:
            log.write(f"\n--- start {self.starts} on port {self.port}\n")
            self.process = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=self.env,
                                            stdout=log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 30.0) -> "Server":
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(self.url + "/login", timeout=2):
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if self.process.poll() is not None:
                    self.process = None
                    raise AssertionError(f"server exited while starting:\n{self.log()}") from None
                if time.monotonic() > deadline:
                    self.stop()
                    raise AssertionError(f"server did not answer within {timeout:.0f} s:\n{self.log()}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        """Terminate, then kill if it lingers; safe to call twice."""
        process, self.process = self.process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def log(self, tail: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except OSError:
            return "(no log)"

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def tracebacks(self, since: int = 0) -> list[str]:
        """Tracebacks the server logged after byte `since`: a handler that failed shows up here
        even when its client got a polite error."""
        if not self.log_path.exists():
            return []
        with open(self.log_path, "rb") as log:
            log.seek(since)
            text_ = log.read().decode(errors="replace")
        return ["Traceback" + block[:3000] for block in text_.split("\nTraceback")[1:]]


@contextmanager
def running(*servers: Server, meanwhile=None):
    """Start the servers (and run `meanwhile()` while they import the app; its result is yielded);
    whatever happens in the test, none is left running."""
    try:
        for server in servers:
            server.launch()
        result = meanwhile() if meanwhile else None
        for server in servers:
            server.wait_ready()
        yield result
    finally:
        for server in servers:
            server.stop()


# --- clients -----------------------------------------------------------------------------------

def login(base_url: str, email: str, password: str = PASSWORD) -> str:
    """Log in as a browser does (form page, CSRF token, POST); returns the Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base_url + "/login", timeout=WAIT) as response:
        token = CSRF_RE.search(response.read().decode()).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    with opener.open(base_url + "/login", data=form, timeout=WAIT) as response:
        assert not response.geturl().endswith("/login"), f"login failed for {email}"
        asks_for_code = response.geturl().endswith("/login/verify")
        page = response.read().decode()
    if asks_for_code:  # staff: type the code their app shows
        token = CSRF_RE.search(page).group(1)
        form = urllib.parse.urlencode({"csrf_token": token, "code": sign_in_code(email)}).encode()
        with opener.open(base_url + "/login/verify", data=form, timeout=WAIT) as response:
            assert not response.geturl().endswith("/verify"), f"sign-in code refused for {email}"
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    assert "session=" in cookies, f"no session cookie for {email}: {cookies!r}"
    return cookies


class ChatClient:
    """One person's chat connection: what it received, in arrival order, and the calls it makes."""

    def __init__(self, name: str, cookie: str):
        self.name = name
        self.cookie = cookie
        self.received: list[dict] = []
        self.events: list[tuple[str, object]] = []  # every other event, in arrival order
        self._arrived = threading.Condition()
        self.sio: socketio.Client | None = None

    def connect(self, base_url: str) -> "ChatClient":
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("message", self._on_message)
        self.sio.on("*", self._on_other)
        self.sio.connect(base_url, headers={"Cookie": self.cookie}, transports=["websocket"], wait_timeout=WAIT)
        # The client's read loop swallows the server's close frame, so websocket-client's close()
        # would wait its full 3 s for one on every disconnect; half a second is plenty here.
        ws = getattr(self.sio.eio, "ws", None)
        if ws is not None:
            ws.close = functools.partial(ws.close, timeout=0.5)
        return self

    def _on_message(self, payload):
        with self._arrived:
            self.received.append(payload)
            self._arrived.notify_all()

    def _on_other(self, event, payload=None):
        with self._arrived:
            self.events.append((event, payload))
            self._arrived.notify_all()

    def wait_event(self, name: str, timeout: float = WAIT):
        """The payload of the first `name` event received (waiting for it if need be)."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for event, payload in self.events:
                    if event == name:
                        return payload
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{self.name} got no {name!r} within {timeout:.0f} s; got {self.events}")
                self._arrived.wait(left)

    @property
    def connected(self) -> bool:
        return self.sio is not None and self.sio.connected

    def call(self, event: str, data: dict, timeout: float = WAIT):
        return self.sio.call(event, data, timeout=timeout)

    def join(self, group_id: int, after_id: int | None = None) -> dict:
        payload = {"group_id": group_id} if after_id is None else {"group_id": group_id, "after_id": after_id}
        return self.call("join", payload)

    def send(self, group_id: int, body: str, client_id: str) -> dict:
        return self.call("send", {"group_id": group_id, "body": body, "client_id": client_id})

    def wait_for(self, count: int, timeout: float = WAIT) -> list[dict]:
        """Wait until at least `count` messages have arrived; returns all received so far."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.received) >= count, timeout=timeout)
            assert len(self.received) >= count, (
                f"{self.name} received {len(self.received)} of {count} messages: "
                f"{[m['body'] for m in self.received]}"
            )
            return list(self.received)

    def quiet_for(self, seconds: float = 0.5) -> list[dict]:
        """Everything received after waiting a moment longer (to catch extras and duplicates)."""
        time.sleep(seconds)
        return self.snapshot()

    def snapshot(self) -> list[dict]:
        with self._arrived:
            return list(self.received)

    def wait_disconnected(self, timeout: float = WAIT) -> None:
        deadline = time.monotonic() + timeout
        while self.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not self.connected, f"{self.name} still connected after {timeout} s"

    def close(self) -> None:
        sio, self.sio = self.sio, None
        if sio is not None:
            sio.shutdown()  # disconnects if connected; never leaves a reconnect loop behind


@contextmanager
def clients(server_url_for_each: list[tuple[str, str, str]]):
    """Connect (name, email, base_url) clients, each logged in on that server; all closed after."""
    made: list[ChatClient] = []
    try:
        for name, email, base_url in server_url_for_each:
            made.append(ChatClient(name, login(base_url, email)).connect(base_url))
        yield made
    finally:
        for client in made:
            client.close()


def talk_at_once(connected: list[ChatClient], group: int, per_member: int) -> dict[str, list[dict]]:
    """Every client sends `per_member` messages while the others do too, each waiting for its own
    ack before its next (as the page does); returns each client's acks in sending order."""
    acks: dict[str, list[dict]] = {c.name: [] for c in connected}
    failures: list[str] = []
    gate = threading.Barrier(len(connected))

    def talk(client: ChatClient) -> None:
        try:
            gate.wait(timeout=WAIT)
            for n in range(per_member):
                acks[client.name].append(client.send(group, f"{client.name} says {n}", f"{client.name}-{n}"))
        except Exception as exc:  # reported below, not lost in the thread
            failures.append(f"{client.name}: {exc!r}")

    threads = [threading.Thread(target=talk, args=(c,)) for c in connected]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert all(ack.get("ok") for own in acks.values() for ack in own), acks
    return acks
