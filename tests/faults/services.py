"""Private Redis and PostgreSQL servers for the fault tests, which crash and restart them at will,
plus the small waiting and killing helpers those tests share.

The machine's own Redis (6379) and PostgreSQL (5432) are shared with everyone working on it and
are never stopped here: a test that restarts a service starts its own copy of the same binaries on
a free port, in a temporary folder, and removes it afterwards, even when the test fails.
PostgreSQL refuses to run as root, so under root its commands run as the `postgres` OS user, in a
folder that user owns.
"""
import json
import os
import pwd
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import psycopg
import redis

from tests.integration.chat_support import GENEROUS, ROOT, WAIT, Server, base_env, free_port
from tests.support import require


def wait_until(condition: Callable, what: str, timeout: float = WAIT, every: float = 0.05):
    """Poll until condition() is truthy and return its value; fail saying what never happened."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def server_env(database_url: str, instance: Path, **extra: str) -> dict:
    """A server process's environment here: limits out of the way, and the background loops off
    unless a test turns one on (they would race the steps a test takes one at a time)."""
    settings = {"SOCKET_EVENT_RATE": GENEROUS, "SAFETY_WATCH_SECONDS": "0", "REMINDER_WATCH_SECONDS": "0"}
    return base_env(database_url, instance, **{**settings, **extra})


def kill(server: Server) -> None:
    """SIGKILL, as the kernel's OOM killer or a lost machine would: no shutdown code runs."""
    process, server.process = server.process, None
    assert process is not None, "the server was not running"
    process.kill()
    process.wait(timeout=WAIT)


# --- Redis ---------------------------------------------------------------------------------------

class PrivateRedis:
    """redis-server on a free port, keeping nothing on disk, so a restart loses every key (the chat
    order locks, presence, rate-limit counters) just as a crashed Redis without persistence does."""

    def __init__(self, folder: Path):
        self.binary = shutil.which("redis-server")
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_path = folder / f"redis-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "PrivateRedis":
        assert self.process is None, "already running"
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(self.folder)],
                stdout=log, stderr=subprocess.STDOUT)
        wait_until(self.answers, f"redis-server on port {self.port} to answer ({self.log_path})")
        return self

    def stop(self) -> None:
        """Kill it (nothing is saved, every connection drops at once); safe to call twice."""
        process, self.process = self.process, None
        if process is not None:
            process.kill()
            process.wait(timeout=WAIT)

    def _client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)

    def answers(self) -> bool:
        client = self._client()
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def subscribers(self, channel: str) -> int:
        """How many connections listen on a pub/sub channel (one per server process)."""
        client = self._client()
        try:
            return dict(client.pubsub_numsub(channel)).get(channel.encode(), 0)
        finally:
            client.close()


@contextmanager
def private_redis(folder: Path):
    require(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = PrivateRedis(folder)
    try:
        yield server.start()
    finally:
        server.stop()


# --- PostgreSQL ----------------------------------------------------------------------------------

def postgres_bin() -> Path | None:
    """The newest installed server binaries (Debian keeps them out of PATH)."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0)
    for folder in reversed(versions):
        if (folder / "pg_ctl").exists() and (folder / "initdb").exists():
            return folder
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and (Path(found).parent / "initdb").exists() else None


class PrivateCluster:
    """A PostgreSQL cluster of its own in a temporary folder, on a free port: stop() and start()
    keep the port and the data, as a database server's restart does."""

    def __init__(self, binaries: Path):
        self.bin = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="cg-faults-pg-"))
        self.data = self.folder / "data"
        self.log_path = self.folder / "postgres.log"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")

    def _run(self, program: str, *args: str, timeout: float = 60) -> None:
        command = [str(self.bin / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, (f"{program} {' '.join(args)} failed:\n{result.stdout[-2000:]}"
                                        f"\n{result.stderr[-2000:]}\n{self.log()}")

    def create(self) -> "PrivateCluster":
        # Trust on 127.0.0.1 only (listen_addresses below); fsync off: a throwaway cluster.
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        return self

    def start(self) -> "PrivateCluster":
        options = (f"-k {self.folder} -c listen_addresses=127.0.0.1 -p {self.port} -c fsync=off "
                   "-c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_path), "-o", options, "-w", "-t", "30", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        """fast: every session is cut off at once (what a restart does to the app's pool)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def database_url(self, name: str) -> str:
        """The app's URL for a database in this cluster (psycopg 3, as config.py makes it)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return "(no log)"

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():  # running, or half-started by a failed start()
            try:
                self.stop("immediate")
            except (AssertionError, subprocess.TimeoutExpired):
                pass  # a postmaster whose lock file is gone shuts itself down within a minute
        shutil.rmtree(self.folder, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def sql(url: str, **options) -> psycopg.Connection:
    """A plain psycopg connection to an app database URL, for the test's own statements."""
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), **options)


@contextmanager
def private_postgres():
    binaries = postgres_bin()
    require(binaries is not None, "PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        require(shutil.which("runuser") is not None and _user_exists("postgres"),
                "running as root needs runuser and a postgres OS user to start PostgreSQL")
    cluster = PrivateCluster(binaries)
    try:
        yield cluster.create().start()
    finally:
        cluster.remove()


# --- a scheduler that can be killed mid-pass -------------------------------------------------------

class PassRunner:
    """tests/faults/pass_runner.py as a subprocess: starts a reminder or safety-watch pass in a
    child process, says which pid it has, and how it ended."""

    def __init__(self, env: dict, log_path: Path):
        self.log_path = log_path
        self.running: set[int] = set()
        self._lines: queue.Queue = queue.Queue()
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "tests.faults.pass_runner"], cwd=ROOT, env=env,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._next("ready", timeout=60)

    def _read(self) -> None:
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def _next(self, *words: str, timeout: float = WAIT) -> tuple[str, str]:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the pass runner said none of {words} within {timeout:.0f} s:\n{self.log()}") from None
        if line is None:
            raise AssertionError(f"the pass runner exited:\n{self.log()}")
        word, _, rest = line.partition(" ")
        assert word in words, f"the pass runner said {line!r}, expected one of {words}:\n{self.log()}"
        return word, rest

    def start(self, name: str) -> int:
        self.process.stdin.write(name + "\n")
        self.process.stdin.flush()
        pid = int(self._next("started")[1])
        self.running.add(pid)
        return pid

    def finish(self, pid: int, timeout: float = WAIT) -> tuple[int, dict | None]:
        """Wait for the pass to end: its exit code (-9: killed), and what it reported if it finished."""
        done = None
        while True:
            word, rest = self._next("done", "ended", timeout=timeout)
            if word == "done":
                done = json.loads(rest)
                continue
            ended, code = map(int, rest.split())
            assert ended == pid, f"pass {ended} ended, not {pid}"
            self.running.discard(pid)
            return code, done

    def run(self, name: str) -> dict:
        """A whole pass, left to finish."""
        code, done = self.finish(self.start(name))
        assert code == 0 and done is not None, f"the {name} pass failed ({code}):\n{self.log()}"
        return done

    def kill(self, pid: int) -> None:
        os.kill(pid, signal.SIGKILL)
        code, done = self.finish(pid)
        assert code == -signal.SIGKILL and done is None, f"the pass ended on its own ({code}, {done})"

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return "(no log)"

    def close(self) -> None:
        for pid in list(self.running):  # a pass left blocked by a failed test
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.stdin.close()
        try:
            self.process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=WAIT)
        self._reader.join(timeout=WAIT)
        self.process.stdout.close()
