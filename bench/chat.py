"""Chat benchmark: Common Ground's Socket.IO chat against a bare Flask-SocketIO reference server,
one process on SQLite and two processes sharing PostgreSQL and Redis, in one run.

    .venv/bin/python -m bench.chat                               # everything (about 10 minutes)
    .venv/bin/python -m bench.chat --out bench/results/chat.md   # also write the report
    .venv/bin/python -m bench.chat --only ref,app                # a subset of the servers
    .venv/bin/python -m bench.chat --rates 100,300 --duration 10 --clients 60

(Run it as a module from the repository root.)

Each server runs as its own subprocess on a free port, with a temporary instance folder (SQLite
file, secret key) or a scratch PostgreSQL database that is dropped afterwards; the chat and login
rate limits are lifted through CHAT_RATE_LIMIT / LOGIN_LIMIT_PER_* so the server, not the limit,
is measured. Users and groups are made with the app's own code (`python -m bench.chat setup`).
The load comes from `bench.chat_load` in a process of its own (asyncio python-socketio clients on
websockets), at fixed offered rates and at saturation. Server CPU is read from /proc around the
measured window, so CPU per message shows where the time goes.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.machine import header, version
from bench.serving import wait_ready

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PASSWORD = "quiet harbour lanterns bench"  # noqa: S105 - throwaway accounts in a temporary database
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/14"
GEVENT_WORKER = "geventwebsocket.gunicorn.workers.GeventWebSocketWorker"
TARGET_RATE = 300.0


# --- Servers -------------------------------------------------------------------------------------------
@dataclass
class Setup:
    key: str  # for --only
    label: str
    kind: str  # "ref" or "app"
    processes: int
    db: str  # "sqlite" or "postgres"
    redis: bool = False
    async_mode: str = "threading"
    nodelay: bool = False  # reference only: TCP_NODELAY on the server's sockets

    @property
    def server(self) -> str:
        if self.kind == "ref":
            return f"reference ({self.async_mode}{', TCP_NODELAY' if self.nodelay else ''})"
        return {"threading": "app (threading, Werkzeug)", "gevent": "app (gevent, gunicorn)",
                "eventlet": "app (eventlet, eventlet.wsgi)"}[self.async_mode]

    @property
    def db_label(self) -> str:
        return ("SQLite WAL" if self.db == "sqlite" else "PostgreSQL") + (" + Redis" if self.redis else "")


SETUPS = [
    Setup("ref", "reference, threading", "ref", 1, "sqlite"),
    Setup("ref-nodelay", "reference, threading, TCP_NODELAY", "ref", 1, "sqlite", nodelay=True),
    Setup("ref-gevent", "reference, gevent", "ref", 1, "sqlite", async_mode="gevent"),
    Setup("ref-eventlet", "reference, eventlet", "ref", 1, "sqlite", async_mode="eventlet"),
    Setup("app", "app, 1 process, SQLite", "app", 1, "sqlite"),
    Setup("app-gevent", "app, gunicorn + gevent, SQLite", "app", 1, "sqlite", async_mode="gevent"),
    Setup("app-eventlet", "app, eventlet, SQLite", "app", 1, "sqlite", async_mode="eventlet"),
    Setup("app-pg", "app, 1 process, PostgreSQL", "app", 1, "postgres"),
    Setup("app-pg-redis", "app, 1 process, PostgreSQL + Redis", "app", 1, "postgres", redis=True),
    Setup("app-2pg-redis", "app, 2 processes, PostgreSQL + Redis", "app", 2, "postgres", redis=True),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def module_available(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def missing_for(setup: Setup) -> str | None:
    need = {"gevent": ["gevent", "geventwebsocket"] + (["gunicorn"] if setup.kind == "app" else []),
            "eventlet": ["eventlet"]}.get(setup.async_mode, [])
    absent = [m for m in need if not module_available(m)]
    return ", ".join(absent) if absent else None


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


class Server:
    """One benchmark setup's server processes, with their database and users."""

    def __init__(self, setup: Setup, work: Path, clients: int, group_size: int):
        self.setup = setup
        self.work = work / setup.key
        self.work.mkdir(parents=True)
        self.clients = clients
        self.group_size = group_size
        self.procs: list[subprocess.Popen] = []
        self.urls: list[str] = []
        self.pg_db: str | None = None
        self.users: list[dict] = []

    # environment of the app's processes
    def app_env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "FLASK_APP")}
        env.update(
            COMMON_GROUND_INSTANCE=str(self.work / "instance"), SECRET_KEY=self.secret, PYTHONPATH=str(ROOT),
            CHAT_RATE_LIMIT="100000 per second", SOCKET_EVENT_RATE="100000 per second",
            LOGIN_LIMIT_PER_IP="100000 per minute", SOCKETIO_ASYNC_MODE=self.setup.async_mode,
        )
        if self.pg_db:
            env["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{self.pg_db}"
        if self.setup.redis:
            env["REDIS_URL"] = REDIS_URL
        return env

    def start(self) -> None:
        self.secret = secrets.token_hex(32)
        (self.work / "instance").mkdir()
        if self.setup.kind == "app":
            if self.setup.db == "postgres":
                self.pg_db = f"bench_chat_{os.getpid()}_{secrets.token_hex(3)}"
                pg_admin(f'CREATE DATABASE "{self.pg_db}"')
            env = self.app_env()
            run([PY, "-m", "flask", "--app", "app", "db", "upgrade"], env)
            out = run([PY, "-m", "bench.chat", "setup", "--clients", str(self.clients), "--group-size", str(self.group_size)], env)
            self.users = json.loads(out.strip().splitlines()[-1])["users"]

    def start_processes(self) -> None:
        """Fresh server processes for each load run: a backlog left by an overloaded run can't leak
        into the next one."""
        self.procs, self.urls = [], []
        self.run_no = getattr(self, "run_no", 0) + 1
        for i in range(self.setup.processes):
            port = free_port()
            log = self.work / f"server{i}-run{self.run_no}.log"
            fh = open(log, "w")  # noqa: SIM115 - closed with the process
            if self.setup.kind == "ref":
                cmd = [PY, "-m", "bench.chat_reference", "--port", str(port), "--db", str(self.work / "ref.db"),
                       "--async-mode", self.setup.async_mode] + (["--nodelay"] if self.setup.nodelay else [])
                env = {**os.environ, "PYTHONPATH": str(ROOT)}
            elif self.setup.async_mode == "gevent":
                cmd = [PY, "-m", "gunicorn", "-k", GEVENT_WORKER, "-w", "1", "-b", f"127.0.0.1:{port}",
                       "--log-level", "warning", "app:app"]
                env = self.app_env()
            elif self.setup.async_mode == "eventlet":
                cmd = [PY, "-m", "bench.chat", "serve-eventlet", "--port", str(port)]
                env = self.app_env()
            else:
                cmd = [PY, "app.py"]
                env = {**self.app_env(), "HOST": "127.0.0.1", "PORT": str(port)}
            # A session of its own, so stopping it stops its children too (gunicorn's worker
            # outlived its master when a stalled worker ignored the master's TERM).
            proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                    start_new_session=True)
            fh.close()
            self.procs.append(proc)
            url = f"http://127.0.0.1:{port}"
            self.urls.append(url)
            wait_ready(url, proc, log, "/socket.io/?EIO=4&transport=polling")

    def spec(self) -> dict:
        """Clients in groups of group_size; with two processes, a group's members alternate between them."""
        clients = []
        for k in range(self.clients):
            group, member = divmod(k, self.group_size)
            url = self.urls[member % len(self.urls)]
            if self.setup.kind == "ref":
                clients.append({"url": url, "group_id": group + 1})
            else:
                u = self.users[k]
                clients.append({"url": url, "group_id": u["group_id"], "email": u["email"], "password": PASSWORD})
        return {"clients": clients}

    def cpu_seconds(self) -> float:
        return sum(pid_cpu_seconds(pid) for pid in self.pids())

    def pids(self) -> list[int]:
        return [pid for p in self.procs for pid in [p.pid, *descendants(p.pid)]]

    def stop_processes(self) -> None:
        for proc in self.procs:
            _signal_group(proc, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            _signal_group(proc, signal.SIGKILL)  # anything of it still running

    def stop(self) -> None:
        self.stop_processes()
        if self.pg_db:
            try:
                pg_admin(f'DROP DATABASE IF EXISTS "{self.pg_db}" WITH (FORCE)')
            except Exception as exc:  # noqa: BLE001 - report, don't hide the results
                print(f"warning: could not drop {self.pg_db}: {exc}", file=sys.stderr)

    def log_tail(self, n: int = 3000) -> str:
        return "\n".join(log.read_text()[-n:] for log in sorted(self.work.glob("server*.log")))


def pid_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process (all its threads), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent on anything but idle and iowait since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                out += [int(child), *descendants(int(child))]
    except OSError:
        pass
    return out


def run(cmd: list[str], env: dict) -> str:
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


# --- One load run --------------------------------------------------------------------------------------
def load(server: Server, rate: float | None, args, on_window=None) -> dict:
    spec_file = server.work / "spec.json"
    spec_file.write_text(json.dumps(server.spec()))
    cmd = [PY, "-m", "bench.chat_load", "--spec", str(spec_file), "--duration", str(args.duration),
           "--warmup", str(args.warmup), "--drain", str(args.drain), "--arrivals", args.arrivals,
           "--seed", str(args.seed), "--body-len", str(args.body_len)]
    cmd += ["--saturate"] if rate is None else ["--rate", str(rate)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    marks: dict[str, float] = {}

    def watch():  # sample the servers' CPU when the load generator opens and closes its window
        for line in proc.stderr:
            line = line.strip()
            if line in ("WINDOW_START", "WINDOW_END"):
                marks[line] = server.cpu_seconds()
                marks[line + "_client"] = pid_cpu_seconds(proc.pid)
                marks[line + "_busy"] = machine_busy_seconds()
                marks[line + "_t"] = time.perf_counter()
                if line == "WINDOW_START" and on_window:
                    marks["spy"] = on_window()
            else:
                marks.setdefault("stderr", "")
                marks["stderr"] += line + "\n"

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out = proc.stdout.read()
    proc.wait(timeout=args.duration + args.warmup + args.drain + 180)
    watcher.join(5)
    if marks.get("spy"):
        marks["spy"].wait(timeout=120)
        res_profile = marks["spy"].args[-1]
    else:
        res_profile = None
    if proc.returncode:
        raise RuntimeError(f"load generator failed: {marks.get('stderr', '')[-3000:]}")
    res = json.loads(out.strip().splitlines()[-1])
    res["profile"] = res_profile
    if "WINDOW_START" in marks and "WINDOW_END" in marks:
        wall = marks["WINDOW_END_t"] - marks["WINDOW_START_t"]
        cpu = marks["WINDOW_END"] - marks["WINDOW_START"]
        res["server_cpu_pct"] = 100.0 * cpu / wall
        res["client_cpu_pct"] = 100.0 * (marks["WINDOW_END_client"] - marks["WINDOW_START_client"]) / wall
        busy = 100.0 * (marks["WINDOW_END_busy"] - marks["WINDOW_START_busy"]) / wall
        res["other_cpu_pct"] = max(0.0, busy - res["server_cpu_pct"] - res["client_cpu_pct"])
        # Per message the server actually handled: when it falls behind, most sent messages never are.
        handled = res["accepted"] or res["sent"] or 1
        res["server_cpu_ms_per_msg"] = 1000.0 * cpu / handled
    return res


# --- Report --------------------------------------------------------------------------------------------
def machine_info() -> list[str]:
    pg = redis_v = "unknown"
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL) as conn:
            pg = conn.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: BLE001
        pg = "not reachable"
    try:
        import redis

        redis_v = redis.Redis.from_url(REDIS_URL).info("server")["redis_version"]
    except Exception:  # noqa: BLE001
        redis_v = "not reachable"
    libs = ", ".join(f"{p} {version(p)}" for p in ("Flask-SocketIO", "python-socketio", "python-engineio",
                                                 "simple-websocket", "gevent", "gevent-websocket", "gunicorn",
                                                 "eventlet", "aiohttp", "SQLAlchemy", "psycopg"))
    return header(("community", "bench", "app.py"), f"{libs}; PostgreSQL {pg}; Redis {redis_v}",
                  "other work was running; figures may be pessimistic")


def fmt(x, digits: int = 0) -> str:
    if x is None:
        return "–"
    return f"{x:,.{digits}f}"


def errors_of(r: dict) -> str:
    parts = []
    if r["rejected"]:
        parts.append(f"{r['rejected']} refused")
    if r["unacked"]:
        parts.append(f"{r['unacked']} unacked")
    if r["missing_deliveries"]:
        parts.append(f"{r['missing_deliveries']} deliveries missing")
    if r["disconnects"]:
        parts.append(f"{r['disconnects']} disconnects")
    return ", ".join(parts) or "0"


def row(setup: Setup, r: dict) -> str:
    offered = "saturation" if r["offered"] is None else f"{r['offered']:g}"
    return (f"| {setup.server} | {setup.processes} | {setup.db_label} | {offered} | {fmt(r['accepted_per_s'])} | "
            f"{fmt(r['deliveries_per_s'])} | {fmt(r['p50_ms'], 1)} | {fmt(r['p99_ms'], 1)} | {fmt(r['ack_p99_ms'], 1)} | "
            f"{fmt(r.get('server_cpu_pct'))} | {fmt(r.get('server_cpu_ms_per_msg'), 2)} | {fmt(r['client_cpu_pct'])} | "
            f"{fmt(r.get('other_cpu_pct'))} | {errors_of(r)} |")


HEADER = ["| server | processes | DB | offered msg/s | accepted msg/s | deliveries/s | p50 ms | p99 ms | ack p99 ms "
          "| server CPU % | server CPU ms/msg | client CPU % | other CPU % | errors |", "|" + "---|" * 14]


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["setup"]:
        return setup_main(argv[1:])
    if argv[:1] == ["serve-eventlet"]:
        return serve_eventlet(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default=",".join(s.key for s in SETUPS),
                    help="comma-separated setups (default all): " + ", ".join(s.key for s in SETUPS))
    ap.add_argument("--rates", default="100,300", help="offered msg/s, comma-separated (default 100,300)")
    ap.add_argument("--no-saturation", action="store_true", help="skip the saturation runs")
    ap.add_argument("--clients", type=int, default=60)
    ap.add_argument("--group-size", type=int, default=6)
    ap.add_argument("--duration", type=float, default=10.0, help="measured seconds per run (default 10)")
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--drain", type=float, default=5.0)
    ap.add_argument("--arrivals", choices=("poisson", "even"), default="poisson")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--body-len", type=int, default=80)
    ap.add_argument("--profile", default=None, metavar="SETUP",
                    help="record py-spy profiles (collapsed stacks, in the temp folder) of this setup's runs "
                         "(py-spy must be installed)")
    ap.add_argument("--out", type=Path, default=None, help="also write the report (markdown), e.g. bench/results/chat.md")
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the scratch database is dropped on kill
    rates: list[float | None] = [float(r) for r in args.rates.split(",") if r.strip()]
    if not args.no_saturation:
        rates.append(None)
    chosen = [s for s in SETUPS if s.key in args.only.split(",")]
    unknown = set(args.only.split(",")) - {s.key for s in SETUPS}
    if unknown:
        ap.error(f"unknown setups: {', '.join(sorted(unknown))}")

    head = ["# Chat benchmark", ""] + machine_info()
    head.append("- Command: `" + " ".join(["python -m bench.chat", *argv]) + "`")
    head.append(f"- Load: {args.clients} clients in groups of {args.group_size} ({args.clients // args.group_size} groups), "
                f"websocket transport, {args.arrivals} arrivals at the offered rates, closed loop (send on ack) at "
                f"saturation; {args.warmup:g} s warm-up, {args.duration:g} s measured, up to {args.drain:g} s drain; "
                f"{args.body_len}-character bodies")
    head.append("")
    print("\n".join(head), flush=True)
    rows = list(HEADER)
    print("\n".join(rows), flush=True)
    results: dict[str, dict] = {}
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-chat-") as tmp:
        for setup in chosen:
            absent = missing_for(setup)
            if absent:
                notes.append(f"- {setup.label}: not run, {absent} not installed (see bench/README.md)")
                print(notes[-1], flush=True)
                continue
            server = Server(setup, Path(tmp), args.clients, args.group_size)
            results[setup.key] = {}
            try:
                server.start()
                for rate in rates:
                    server.start_processes()
                    spy = None
                    if args.profile == setup.key:
                        def spy(setup=setup, server=server, rate=rate):
                            return start_py_spy(server, setup, args, "sat" if rate is None else f"{rate:g}")
                    try:
                        r = load(server, rate, args, on_window=spy)
                    finally:
                        server.stop_processes()
                    if r.get("profile"):
                        notes.append(f"- py-spy profile of {setup.label} over the measured window, offered "
                                     f"{r['offered'] or 'saturation'} (collapsed stacks): {r['profile']}")
                    results[setup.key]["sat" if rate is None else rate] = r
                    rows.append(row(setup, r))
                    print(rows[-1], flush=True)
                    if r["errors"]:
                        notes.append(f"- {setup.label}, offered {r['offered'] or 'saturation'}: ack errors {r['errors']}")
            except Exception as exc:  # noqa: BLE001 - one setup failing must not lose the others
                msg = str(exc).strip().splitlines()
                notes.append(f"- {setup.label}: FAILED: {msg[-1] if msg else type(exc).__name__}")
                print(notes[-1], "\n", str(exc)[-3000:], "\n", server.log_tail(), file=sys.stderr, flush=True)
            finally:
                server.stop()
            time.sleep(1)

    targets, analysis = evaluate(results, args)
    load_end = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    report = head + ["## Results", ""] + rows + ["", "## Targets", ""] + targets + ["", "## Analysis", ""] + analysis
    report += ["", "## Notes", "",
               "- accepted msg/s: messages sent in the measured window and acknowledged `{ok: true}`, per second. "
               "deliveries/s: `message` events received by the OTHER members of the room (5 per message in groups of 6; "
               "the sender's own echo is not counted), per second.",
               "- p50/p99: end-to-end latency from the `send` emit to each other member's receipt of `message`, over "
               "every delivery of every message sent in the window. ack p99: from the emit to the sender's ack.",
               "- server CPU %: user + system time of the server processes (all of them) during the measured window, "
               "over wall time (200% = both cores). server CPU ms/msg: that CPU time per message accepted in the window. "
               "client CPU %: the load generator's own CPU in the window. other CPU %: the rest of the machine's busy time in the window (PostgreSQL, Redis, anything else running); the load generator shares the 2 cores with "
               "the servers (and with PostgreSQL and Redis), so at saturation everything competes for the same CPUs.",
               "- errors: acks `{ok: false}` (refused), sends never acknowledged by the end of the drain, deliveries "
               "that never arrived, connections dropped during the run.",
               "- The reference (`bench/chat_reference.py`) only inserts into SQLite (WAL, synchronous=NORMAL) and "
               "broadcasts; no login, membership check, validation or rate limit.",
               f"- Load average at end (1, 5, 15 min): {load_end}.", *notes]
    text = "\n".join(report) + "\n"
    print()
    print("\n".join(report[len(head) + len(rows) + 2:]))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
        print(f"\nwritten to {args.out}")
    return 0


def start_py_spy(server: Server, setup: Setup, args, tag: str) -> subprocess.Popen | None:
    spy = shutil.which("py-spy") or str(Path(PY).parent / "py-spy")
    if not Path(spy).exists():
        return None
    out = Path(tempfile.gettempdir()) / f"bench-chat-{setup.key}-{tag}-profile.txt"
    pid = server.pids()[-1]  # the worker (gunicorn) or the only process
    secs = max(1, int(args.duration))
    return subprocess.Popen([spy, "record", "-p", str(pid), "-d", str(secs), "-r", "200", "-f", "raw", "--nonblocking", "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def evaluate(results: dict, args) -> tuple[list[str], list[str]]:
    targets: list[str] = []
    analysis: list[str] = []

    def get(key, rate):
        return results.get(key, {}).get(rate)

    ref, app = get("ref", "sat"), get("app", "sat")
    if ref and app:
        ratio = app["accepted_per_s"] / ref["accepted_per_s"] if ref["accepted_per_s"] else 0.0
        targets.append(f"- [{'x' if ratio >= 0.8 else ' '}] saturation, one process: app {app['accepted_per_s']:.0f} msg/s = "
                       f"{100 * ratio:.0f}% of the reference's {ref['accepted_per_s']:.0f} msg/s (target ≥ 80%)")
    else:
        targets.append("- [ ] saturation vs reference: not measured (app or reference did not run)")
    one = get("app", TARGET_RATE)
    if one:
        ok = one["p99_ms"] is not None and one["p99_ms"] <= 100 and not one["rejected"] and not one["unacked"]
        targets.append(f"- [{'x' if ok else ' '}] offered {TARGET_RATE:g} msg/s, {args.clients} clients in "
                       f"{args.clients // args.group_size} groups, one process: p99 {fmt(one['p99_ms'], 1)} ms "
                       f"(target ≤ 100 ms), accepted {one['accepted_per_s']:.0f} msg/s, errors {errors_of(one)}")
    else:
        targets.append(f"- [ ] offered {TARGET_RATE:g} msg/s on one process: not measured")
    two = get("app-2pg-redis", TARGET_RATE)
    if two:
        ok = two["p99_ms"] is not None and two["p99_ms"] <= 150 and not two["rejected"] and not two["unacked"]
        targets.append(f"- [{'x' if ok else ' '}] offered {TARGET_RATE:g} msg/s, two processes through Redis (every "
                       f"message crosses processes): p99 {fmt(two['p99_ms'], 1)} ms (target ≤ 150 ms), accepted "
                       f"{two['accepted_per_s']:.0f} msg/s, errors {errors_of(two)}")
    else:
        targets.append(f"- [ ] offered {TARGET_RATE:g} msg/s, two processes through Redis: not measured")

    # Async modes.
    modes = []
    for key in ("app", "app-gevent", "app-eventlet", "ref", "ref-nodelay", "ref-gevent", "ref-eventlet"):
        sat, fixed = get(key, "sat"), get(key, TARGET_RATE)
        if sat or fixed:
            label = next(s.label for s in SETUPS if s.key == key)
            modes.append(f"  - {label}: saturation {fmt(sat and sat['accepted_per_s'])} msg/s; at {TARGET_RATE:g} msg/s "
                         f"p50 {fmt(fixed and fixed['p50_ms'], 1)} / p99 {fmt(fixed and fixed['p99_ms'], 1)} ms, "
                         f"server CPU {fmt(fixed and fixed.get('server_cpu_ms_per_msg'), 2)} ms/msg")
    if modes:
        analysis.append("- Async modes (same run, one process, SQLite):")
        analysis += modes

    # The Redis hop: same database (PostgreSQL), one process without and with Redis, then two.
    pg, pgr = get("app-pg", TARGET_RATE), get("app-pg-redis", TARGET_RATE)
    if pg and pgr:
        analysis.append(
            f"- Redis hop at {TARGET_RATE:g} msg/s (PostgreSQL, one process): without Redis p50 {fmt(pg['p50_ms'], 1)} / "
            f"p99 {fmt(pg['p99_ms'], 1)} ms, {fmt(pg.get('server_cpu_ms_per_msg'), 2)} CPU ms/msg; through Redis p50 "
            f"{fmt(pgr['p50_ms'], 1)} / p99 {fmt(pgr['p99_ms'], 1)} ms, {fmt(pgr.get('server_cpu_ms_per_msg'), 2)} CPU ms/msg"
            + (f"; two processes p50 {fmt(two['p50_ms'], 1)} / p99 {fmt(two['p99_ms'], 1)} ms, "
               f"{fmt(two.get('server_cpu_ms_per_msg'), 2)} CPU ms/msg (both processes together)" if two else ""))
    # Paper projection for N processes on N cores, from the highest offered rate all three kept up with.
    def kept_up(r):
        return r and r["offered"] and not r["unacked"] and r["accepted_per_s"] >= 0.95 * r["offered"]

    steady = [rate for rate in sorted((k for k in results.get("app-pg", {}) if k != "sat"), reverse=True)
              if all(kept_up(get(key, rate)) for key in ("app-pg", "app-pg-redis", "app-2pg-redis"))]
    pg, pgr, two = (get(key, steady[0]) for key in ("app-pg", "app-pg-redis", "app-2pg-redis")) if steady else (None,) * 3
    if pg and pgr and two and all(r.get("server_cpu_ms_per_msg") for r in (pg, pgr, two)):
        base = pg["server_cpu_ms_per_msg"]  # handle + persist + fan out, one process, no Redis
        per_proc = max(0.0, two["server_cpu_ms_per_msg"] - pgr["server_cpu_ms_per_msg"])  # every process reads every message
        publish = max(0.0, pgr["server_cpu_ms_per_msg"] - base - per_proc)
        analysis.append(
            f"- Projection (paper), from CPU per message at {steady[0]:g} msg/s: handling, persisting and fanning out "
            f"≈ {base:.2f} ms; publishing to Redis ≈ {publish:.2f} ms; each process also reads every message from "
            f"Redis ≈ {per_proc:.2f} ms (two processes minus one, with Redis). With N processes on N cores, each core "
            f"spends (h + N·r)/N per message, so throughput ≈ N / (h + N·r) with h = {base + publish:.2f} ms, "
            f"r = {per_proc:.2f} ms:")
        parts = []
        for n in (1, 2, 4, 8, 16):
            x = n / ((base + publish) + n * per_proc) * 1000 if (base + publish) + n * per_proc else float("inf")
            parts.append(f"N = {n}: ≈ {x:,.0f} msg/s")
        analysis.append("  " + "; ".join(parts) + (f" (ceiling 1/r ≈ {1000 / per_proc:,.0f} msg/s: every process still "
                                                    "sees every message)" if per_proc else "") +
                        ". Before that ceiling, PostgreSQL's commits (one writer per message, WAL fsync) and Redis' "
                        "single thread are the next limits; neither is counted in the server CPU above.")
    if not analysis:
        analysis.append("- (needs the app and reference runs)")
    return targets, analysis


# --- Helpers run as subprocesses -----------------------------------------------------------------------
def setup_main(argv: list[str]) -> int:
    """Create users and groups with the app's own code, in the database the environment names."""
    ap = argparse.ArgumentParser(prog="python -m bench.chat setup")
    ap.add_argument("--clients", type=int, default=60)
    ap.add_argument("--group-size", type=int, default=6)
    args = ap.parse_args(argv)
    from werkzeug.security import generate_password_hash

    from community import create_app
    from community.extensions import db
    from community.groups.services import create_group
    from community.models import Profile, User
    from community.models.base import utcnow
    from community.profiles.services import STEPS

    app = create_app()
    users = []
    with app.app_context():
        pw = generate_password_hash(PASSWORD)
        now = utcnow()
        made = []
        for k in range(args.clients):
            user = User(email=f"bench{k}@example.org", display_name=f"Bench {k}", password_hash=pw, role="member")
            user.profile = Profile(
                interests=["board-games"], custom_interests=[], neighbourhood=None, online_only=True,
                availability=[11, 17, 20], format_preference="online", comfort_step=2, barriers=[],
                communication_prefs=[], communication_note="", steps_done=list(STEPS), consented_at=now,
                completed_at=now)
            db.session.add(user)
            made.append(user)
        db.session.commit()
        for g in range(0, args.clients, args.group_size):
            members = made[g:g + args.group_size]
            group = create_group(f"Bench group {g // args.group_size + 1}", "online", members, by=None)
            users += [{"email": u.email, "group_id": group.id} for u in members]
    print(json.dumps({"users": users}))
    return 0


def serve_eventlet(argv: list[str]) -> int:
    """`python app.py` under eventlet: monkey-patch first, then serve with eventlet.wsgi."""
    ap = argparse.ArgumentParser(prog="python -m bench.chat serve-eventlet")
    ap.add_argument("--port", type=int, required=True)
    args = ap.parse_args(argv)
    import eventlet

    eventlet.monkey_patch()
    sys.path.insert(0, str(ROOT))
    from app import app  # noqa: E402 - after monkey-patching, deliberately
    from community.extensions import socketio

    socketio.run(app, host="127.0.0.1", port=args.port, log_output=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
