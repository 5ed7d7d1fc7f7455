"""Load benchmark: simulated members browsing and answering activities against ONE server process
on PostgreSQL, driven by locust (bench/locustfile.py).

    .venv/bin/python -m bench.load                                # 200 members, 60 s (plus setup)
    .venv/bin/python -m bench.load --out bench/results/load.md    # also write the report
    .venv/bin/python -m bench.load --users 50 --run-time 20 --max-wait 0   # a quick look
    .venv/bin/python -m bench.load --server app                   # `python app.py` instead of gunicorn

(Run it as a module from the repository root.)

It waits (up to --max-wait minutes) for the machine to be quiet, since the server and locust share
its 2 cores with anything else running; creates a scratch PostgreSQL database (dropped afterwards),
migrates it, seeds the members, their groups and activities with the app's own services
(`python -m bench.load_seed setup`), starts one server as production would (gunicorn, one threaded
worker, README "Running several processes"), runs locust headless, and reports per page the
requests/s, errors and p50/p95/p99, the server's and locust's CPU, and SQL statements per page.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench.chat import (
    PG_ADMIN_URL,
    descendants,
    free_port,
    machine_busy_seconds,
    pg_admin,
    pid_cpu_seconds,
    run,
)
from bench.load_seed import CHEAP_HASH, CSRF_RE, DATES_PER_GROUP, OPEN_ACTIVITIES
from bench.machine import header, load_average, version
from bench.serving import wait_ready

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
TARGET_P95_MS = 200.0
# Pages in the order a member visits them; the report's rows follow it.
PAGES = ("login form", "log in (POST)", "home", "group page", "activity page", "profile", "RSVP (POST)",
         "activity page after RSVP")


# --- The run -------------------------------------------------------------------------------------------
def busy_cores(seconds: float = 10) -> float:
    """How many cores the machine kept busy over the last `seconds` (1.0: one core, all the time)."""
    before = machine_busy_seconds()
    time.sleep(seconds)
    return (machine_busy_seconds() - before) / seconds


def wait_until_quiet(max_load: float, max_busy: float, max_wait_min: float) -> tuple[float, float]:
    """Wait until the 1-minute load average is at most max_load and the machine's busy CPU over 10 s
    at most max_busy cores (other engineers run tests here: one long test process alone keeps the
    load average near 1 while taking a whole core). Returns (minutes waited, busy cores then)."""
    started = time.monotonic()
    while True:
        busy = busy_cores()
        if (os.getloadavg()[0] <= max_load and busy <= max_busy) or time.monotonic() - started >= max_wait_min * 60:
            return (time.monotonic() - started) / 60, busy
        print(f"load average {load_average()}, {busy:.2f} cores busy: waiting for at most {max_load:g} and "
              f"{max_busy:g}…", file=sys.stderr, flush=True)
        time.sleep(20)


def warm_up(url: str, seed: dict) -> None:
    """One member's look at each page before the run, as a server that has been up a while has had:
    templates compiled, SQL statements cached. Not counted in the figures."""
    import http.cookiejar

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    opener.addheaders = [("X-Forwarded-For", "203.0.113.1")]  # TEST-NET-3: only ever a header
    me = seed["members"][0]
    with opener.open(url + "/login", timeout=30) as resp:
        token = CSRF_RE.search(resp.read().decode())[1]
    form = urllib.parse.urlencode({"csrf_token": token, "email": me["email"], "password": seed["password"]})
    opener.open(url + "/login", data=form.encode(), timeout=30).close()
    for path in ("/home", f"/groups/{me['group_id']}", f"/activities/{me['activity_ids'][0]}", "/profile"):
        with opener.open(url + path, timeout=30) as resp:
            resp.read()


def system_cpu_seconds(pids: list[int]) -> float:
    """The kernel's share of these processes' CPU (system time), from /proc."""
    total = 0.0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[12]) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            continue
    return total


def postgres_cpu() -> dict[int, float]:
    """CPU seconds of every PostgreSQL process on the machine (a backend that ended is not counted)."""
    found = {}
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == "postgres":
                found[int(entry.name)] = pid_cpu_seconds(int(entry.name))
        except OSError:
            continue
    return found


def pg_sessions(db_name: str) -> int:
    """Connections PostgreSQL has seen to this database so far (pg_stat_database.sessions)."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        row = conn.execute("SELECT sessions FROM pg_stat_database WHERE datname = %s", (db_name,)).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def server_command(kind: str, port: int, threads: int) -> list[str]:
    if kind == "gunicorn":  # README "Running several processes", one process
        return [PY, "-m", "gunicorn", "-w", "1", "--threads", str(threads), "--no-control-socket", "-b", f"127.0.0.1:{port}",
                "--log-level", "warning", "app:app"]
    return [PY, "app.py"]


def read_stats(prefix: Path) -> dict[str, dict]:
    """locust's <prefix>_stats.csv: one row per request name, and "Aggregated"."""
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            rows[row["Name"]] = row
    return rows


def read_failures(prefix: Path) -> list[str]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="") as fh:
        return [f"{r['Method']} {r['Name']}: {r['Error']} ×{r['Occurrences']}" for r in csv.DictReader(fh)]


def run_load(args, work: Path) -> dict:
    work.mkdir(parents=True)
    db_name = f"bench_load_{os.getpid()}_{secrets.token_hex(3)}"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "FLASK_APP", "COMMON_GROUND_ENV")}
    env.update(COMMON_GROUND_INSTANCE=str(work / "instance"), SECRET_KEY=secrets.token_hex(32), PYTHONPATH=str(ROOT),
               DATABASE_URL=f"postgresql://postgres@127.0.0.1:5432/{db_name}", TRUSTED_PROXIES="1")
    members_file = work / "members.json"
    pg_admin(f'CREATE DATABASE "{db_name}"')
    proc = None
    try:
        run([PY, "-m", "flask", "--app", "app", "db", "upgrade"], env)
        seeded = json.loads(run([PY, "-m", "bench.load_seed", "setup", "--members", str(args.users), "--out",
                                 str(members_file)], env).strip().splitlines()[-1])
        print(f"seeded: {seeded}", file=sys.stderr, flush=True)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = work / "server.log"
        with open(log, "w") as fh:
            pin = (lambda: os.sched_setaffinity(0, args.pin_server)) if args.pin_server else None
            proc = subprocess.Popen(server_command(args.server, port, args.threads), cwd=ROOT, stdout=fh,
                                    stderr=subprocess.STDOUT, env={**env, "HOST": "127.0.0.1", "PORT": str(port)},
                                    start_new_session=True, preexec_fn=pin)  # noqa: PLW1509 - only sets affinity
        wait_ready(url, proc, log)
        warm_up(url, json.loads(members_file.read_text()))
        prefix = work / "locust"
        cmd = [PY, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--host", url,
               "-u", str(args.users), "-r", str(args.spawn_rate), "--run-time", f"{args.run_time}s",
               "--stop-timeout", "10", "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"]
        load_at_start = load_average()
        sessions0 = pg_sessions(db_name)
        sys0 = system_cpu_seconds([proc.pid, *descendants(proc.pid)])
        cpu0 = sum(pid_cpu_seconds(p) for p in [proc.pid, *descendants(proc.pid)])
        busy0, pg0, t0 = machine_busy_seconds(), postgres_cpu(), time.perf_counter()
        locust = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "LOAD_MEMBERS": str(members_file)},
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        spy = start_py_spy(([proc.pid, *descendants(proc.pid)])[-1], args) if args.profile else None  # gunicorn's worker
        locust_cpu = 0.0
        while locust.poll() is None:  # sample locust's CPU while it runs: /proc forgets it once reaped
            locust_cpu = max(locust_cpu, sum(pid_cpu_seconds(p) for p in [locust.pid, *descendants(locust.pid)]))
            time.sleep(0.5)
        output = locust.stdout.read()
        if spy is not None:
            spy.wait(timeout=60)
        wall = time.perf_counter() - t0
        server_cpu = sum(pid_cpu_seconds(p) for p in [proc.pid, *descendants(proc.pid)]) - cpu0
        server_sys = system_cpu_seconds([proc.pid, *descendants(proc.pid)]) - sys0
        busy = machine_busy_seconds() - busy0
        pg_cpu = sum(cpu - pg0.get(pid, 0.0) for pid, cpu in postgres_cpu().items())
        time.sleep(1)  # PostgreSQL counts a connection when it ends, and flushes its statistics each second
        new_connections = pg_sessions(db_name) - sessions0
        if not Path(f"{prefix}_stats.csv").exists():
            raise RuntimeError(f"locust wrote no statistics:\n{output[-3000:]}")
        queries = json.loads(run([PY, "-m", "bench.load_seed", "queries", "--members", str(members_file)],
                                 env).strip().splitlines()[-1])
        return {
            "seeded": seeded, "stats": read_stats(prefix), "failures": read_failures(prefix), "wall": wall,
            "server_cpu": server_cpu, "server_sys": server_sys, "locust_cpu": locust_cpu, "pg_cpu": pg_cpu,
            "busy": busy, "queries": queries,
            "new_connections": new_connections, "load_at_start": load_at_start, "load_at_end": load_average(), "locust_output": output,
            "server_log": log.read_text()[-3000:],
        }
    finally:
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(proc.pid, signal.SIGKILL)
        try:
            pg_admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        except Exception as exc:  # noqa: BLE001 - report, don't hide the results
            print(f"warning: could not drop {db_name}: {exc}", file=sys.stderr)


def start_py_spy(pid: int, args) -> subprocess.Popen:
    """Sample the server (the code holding the GIL, every thread) from the end of the ramp-up to the
    end of the run, as collapsed stacks in args.profile (py-spy installed by hand)."""
    spy = shutil.which("py-spy") or str(Path(PY).parent / "py-spy")
    ramp = args.users / args.spawn_rate
    seconds = max(1, int(args.run_time - ramp - 2))
    cmd = ["sh", "-c", f'sleep {ramp:.1f} && exec "$0" "$@"', spy, "record", "-p", str(pid), "-d", str(seconds),
           "-r", "200", "--gil", "-f", "raw", "--nonblocking", "-o", str(args.profile)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(f"{args.profile}.log", "w"))  # noqa: SIM115


# --- Report --------------------------------------------------------------------------------------------
def fmt(value, digits: int = 0) -> str:
    return f"{float(value):,.{digits}f}" if value not in (None, "", "N/A") else "–"


def machine_lines() -> list[str]:
    """The report's header, taken before the run: date, commit, machine, versions, load."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL) as conn:
            pg = conn.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: BLE001 - say so in the report instead
        pg = "not reachable"
    libs = ", ".join(f"{p} {version(p)}" for p in ("Flask", "SQLAlchemy", "psycopg", "gunicorn", "locust"))
    return header(("community", "bench", "app.py", "templates"), f"{libs}; PostgreSQL {pg}",
                  "it also counts what ran a minute ago; the busy cores just below say what runs now")


def pinned(cpus: set[int] | None) -> str:
    return ",".join(str(c) for c in sorted(cpus or ()))


def overall_row(result: dict) -> str:
    total = result["stats"]["Aggregated"]
    return (f"| **overall** | **{int(total['Request Count']):,}** | **{int(total['Failure Count'])}** | "
            f"**{fmt(total['Requests/s'], 1)}** | **{fmt(total['50%'])}** | **{fmt(total['95%'])}** | "
            f"**{fmt(total['99%'])}** | **{fmt(total['Max Response Time'])}** | |")


def other_cores(result: dict) -> float:
    """Cores the rest of the machine (not the server, locust or PostgreSQL) kept busy during the run."""
    mine = result["server_cpu"] + result["locust_cpu"] + result["pg_cpu"]
    return max(0.0, (result["busy"] - mine) / result["wall"])


def cpu_lines(result: dict) -> list[str]:
    wall, requests = result["wall"], max(int(result["stats"]["Aggregated"]["Request Count"]), 1)
    server_pct = 100 * result["server_cpu"] / wall
    locust_pct = 100 * result["locust_cpu"] / wall
    pg_pct = 100 * result["pg_cpu"] / wall
    other_pct = 100 * other_cores(result)
    return [
        f"- Server: {server_pct:.0f}% of one core ({1000 * result['server_cpu'] / requests:.1f} ms per request, "
        "everything included: Flask, SQLAlchemy, Jinja, psycopg; PostgreSQL's own work is not in it), of which "
        f"the kernel {100 * result['server_sys'] / max(result['server_cpu'], 1e-9):.0f}%",
        f"- locust: {locust_pct:.0f}% of one core"
        + (" — close to a full core: locust may be holding the load back" if locust_pct > 80 else
           ": not the bottleneck (one gevent process; `--processes` would add workers)"),
        f"- PostgreSQL: {pg_pct:.0f}% of one core (all its processes); connections opened during the run: "
        f"{result['new_connections']:,} (each a new backend process for PostgreSQL to start)",
        f"- Everything else on the machine (other engineers' work, the system): {other_pct:.0f}% of one core; "
        "the machine has 2 cores in all",
    ]


def report(args, argv: list[str], result: dict, head: list[str], waited: float, busy_before: float,
           unpinned: dict | None = None) -> str:
    stats, seeded = result["stats"], result["seeded"]
    total = stats["Aggregated"]
    requests = int(total["Request Count"])
    errors = int(total["Failure Count"])
    p95 = float(total["95%"])
    server = (f"gunicorn, 1 worker, gthread with {args.threads} threads (`gunicorn -w 1 --threads {args.threads} "
              "--no-control-socket app:app`)" if args.server == "gunicorn"
              else "`python app.py` (Werkzeug's threaded server via Socket.IO)")
    server += (f", pinned to CPU {pinned(args.pin_server)} (`taskset -c {pinned(args.pin_server)}`), as README "
               "\"Running several processes\" documents for production" if args.pin_server else ", not pinned to a CPU")
    lines = ["# Load benchmark: members browsing and answering activities", "",
             *head,
             f"- Waited {waited:.1f} min for a quiet machine ({busy_before:.2f} cores busy over the 10 s before "
             f"setup); load average when locust started: "
             f"{result['load_at_start']}; at the end: {result['load_at_end']}",
             "- Command: `" + " ".join(["python -m bench.load", *argv]) + "`",
             f"- Server: one process, {server}; PostgreSQL on the same machine; development settings "
             "(COMMON_GROUND_ENV unset) with SECRET_KEY set; no Redis (one process); TRUSTED_PROXIES=1 with a "
             "different X-Forwarded-For per member, as behind the documented nginx, so per-address limits count "
             "per person",
             f"- Data: {seeded['members']} onboarded members in {seeded['groups']} groups of 4–6 (made with "
             f"`create_group`), {seeded['activities']} upcoming activities (a weekly series of {DATES_PER_GROUP} "
             f"per group via `activities.services.schedule`, capacity one less than the group, plus "
             f"{OPEN_ACTIVITIES} open ones); password hashes are cheap ({CHEAP_HASH}) so that {seeded['members']} "
             "logins in the first seconds don't measure scrypt (the app's own hash costs about 150 ms of CPU per login)",
             f"- Load: locust {version('locust')} headless, FastHttpUser, {args.users} users spawned at "
             f"{args.spawn_rate}/s, {args.run_time} s in all (ramp-up included in the figures); each user is a "
             "different member, logs in once through the form with its CSRF token, then loops: home, their group, "
             "one of their upcoming activities, their profile, an RSVP to that activity (POST with CSRF: going, "
             "going, maybe or can't go) and the page it redirects to, with 1–3 s of think time between pages. "
             "Every response is checked for the member's own content; redirects are never followed silently. "
             "Static files (CSS, JS) are not requested: browsers cache them.",
             "", "## Results", "",
             "| page | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms | SQL statements |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name in [*PAGES, *sorted(set(stats) - set(PAGES) - {"Aggregated"})]:
        row = stats.get(name)
        if row is None:
            continue
        lines.append(f"| {name} | {int(row['Request Count']):,} | {int(row['Failure Count'])} | "
                     f"{fmt(row['Requests/s'], 1)} | {fmt(row['50%'])} | {fmt(row['95%'])} | {fmt(row['99%'])} | "
                     f"{fmt(row['Max Response Time'])} | {result['queries'].get(name, '–')} |")
    lines += [overall_row(result), "", "## Targets", "",
              f"- [{'x' if errors == 0 else ' '}] 0 errors: {errors} of {requests:,} requests",
              f"- [{'x' if p95 <= TARGET_P95_MS else ' '}] p95 ≤ {TARGET_P95_MS:g} ms over every request: {p95:g} ms",
              "", "## CPU over the run", "", *cpu_lines(result)]
    if unpinned is not None:
        lines += ["", "## The same load with the server not pinned to a CPU", "",
                  "The same run again (fresh database, fresh server) with the server free to use both cores:", "",
                  "| page | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms | SQL statements |",
                  "|---|---|---|---|---|---|---|---|---|", overall_row(unpinned), "", *cpu_lines(unpinned), "",
                  "A Python process runs its threads one at a time (the GIL). Pinned, they pass it to each other on "
                  "one core; unpinned, 100 threads on two cores pass it back and forth between the cores, and the "
                  "hand-offs cost CPU (see the kernel's share) and, worse, time: a thread woken on the other core "
                  "waits for the GIL while the holder runs on. Hence README's advice to pin each process to a "
                  "core of its own."]
    lines += ["", "## Notes", "",
              "- Percentiles are locust's: response times are bucketed (to 1 ms below 100 ms, 10 ms below 1 s), "
              "measured by the client from sending the request to reading the whole body, over every request of the "
              "run, ramp-up included.",
              "- SQL statements: one member's visit replayed through the Flask test client after the run, counting "
              "the statements each page sends to PostgreSQL (the login form, for someone not yet signed in, sends "
              "none). Not counted: each request's BEGIN, ROLLBACK or COMMIT, and the pool's ping of the connection "
              "it hands out. Before this benchmark's fixes they were: home 9, group page 26 (two per member), "
              "activity page 11, profile 7, RSVP 8.",
              "- Offered load: each member's loop is six requests and five think times of 1–3 s (the page after "
              f"an RSVP follows at once), so at most about {args.users * 6 / 10:.0f} requests/s from "
              f"{args.users} members; what the server answered is in the req/s column. "
              "Before locust starts, one member looks at each page once so the server is warm (templates "
              "compiled), as a server that has been up a while is; those requests are not counted. Each simulated "
              "member logs in at a random moment within its second (locust starts each second's users at the same "
              "instant) and opens a new connection for each request, as nginx does towards the app.",
              "- PostgreSQL's CPU misses the backends that ended during the run (the connections opened beyond the "
              "pool), so it is low where many were opened.",
              ]
    if result["failures"]:
        lines.append("- Failures: " + "; ".join(result["failures"][:12]))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--users", type=int, default=200, help="simulated members (default 200)")
    ap.add_argument("--spawn-rate", type=float, default=20, help="users started per second (default 20)")
    ap.add_argument("--run-time", type=int, default=60, help="seconds of load, ramp-up included (default 60)")
    ap.add_argument("--server", choices=("gunicorn", "app"), default="gunicorn")
    ap.add_argument("--threads", type=int, default=100, help="gunicorn's threads (default 100, as README documents)")
    ap.add_argument("--pin-server", type=lambda s: {int(c) for c in s.split(",")} if s != "none" else None,
                    default={0}, metavar="CPUS",
                    help="run the server on these CPUs only (default 0, as README advises; \"none\": anywhere)")
    ap.add_argument("--no-comparison", action="store_true",
                    help="skip the second run with the server not pinned to a CPU")
    ap.add_argument("--max-load", type=float, default=1.0, help="wait for the 1-min load average to fall to this")
    ap.add_argument("--max-busy", type=float, default=0.3,
                    help="… and for the machine's busy CPU over 10 s to fall to this many cores (default 0.3)")
    ap.add_argument("--max-wait", type=float, default=20,
                    help="minutes to wait for that, and to measure again when other work ran meanwhile (default 20)")
    ap.add_argument("--max-other", type=float, default=0.3,
                    help="measure again if other work kept more than this many cores busy during the run (default 0.3)")
    ap.add_argument("--out", type=Path, default=None, help="also write the report, e.g. bench/results/load.md")
    ap.add_argument("--profile", type=Path, default=None, metavar="FILE",
                    help="record a py-spy profile of the server after the ramp-up (collapsed stacks; py-spy "
                         "installed by hand)")
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the scratch database is dropped on kill
    started, discarded = time.monotonic(), []
    while True:
        remaining = max(0.0, args.max_wait - (time.monotonic() - started) / 60)
        waited, busy_before = wait_until_quiet(args.max_load, args.max_busy, remaining)
        head = machine_lines()
        with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
            result = run_load(args, Path(tmp) / "run")
            unpinned = None
            if args.pin_server and not args.no_comparison:
                unpinned = run_load(argparse.Namespace(**{**vars(args), "pin_server": None, "profile": None}),
                                    Path(tmp) / "unpinned")
        others = max(other_cores(r) for r in (result, unpinned) if r is not None)
        if others <= args.max_other or (time.monotonic() - started) / 60 >= args.max_wait:
            break
        # Someone else's work took a core's share while we measured: the figures would be theirs too.
        discarded.append(f"{others:.2f}")
        print(f"other work kept {others:.2f} cores busy during the run: measuring again", file=sys.stderr, flush=True)
    text = report(args, argv, result, head, waited, busy_before, unpinned)
    if discarded:
        text += (f"- Earlier attempts were discarded because other work kept {', '.join(discarded)} cores busy "
                 f"while they ran (more than --max-other {args.max_other:g}).\n")
    print(text)
    if result["failures"] or int(result["stats"]["Aggregated"]["Failure Count"]):
        print(result["locust_output"][-3000:], "\n", result["server_log"], file=sys.stderr)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
        print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
