"""The newcomer's path for real: migrate and seed through the CLI, serve with `python app.py`,
and log in as a demo member over HTTP."""
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def instance_env(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("serve")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")}
    env.update(COMMON_GROUND_INSTANCE=str(tmp_path / "instance"), PYTHONPATH=str(ROOT))
    return env


def flask(env, *args):
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def served(instance_env):
    flask(instance_env, "db", "upgrade")
    seeded = flask(instance_env, "seed-demo", "--if-empty")
    port = free_port()
    env = {**instance_env, "HOST": "127.0.0.1", "PORT": str(port)}
    process = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=2):
                break
        except (urllib.error.URLError, ConnectionError):
            assert process.poll() is None, process.stderr.read()
            assert time.monotonic() < deadline, "server did not start within 30 s"
            time.sleep(0.2)
    yield base, seeded, instance_env
    process.terminate()
    process.wait(timeout=10)
    process.stderr.close()


def test_python_app_py_serves_and_a_demo_member_can_log_in(served):
    base, seeded, _ = served
    password = re.search(r"password: (\S+)", seeded).group(1)
    member = re.search(r"^\s+member\s+(\S+)", seeded, re.M).group(1)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    def get(url, data=None):
        with opener.open(url, data=data) as response:
            return response.geturl(), response.read().decode()

    assert "Make friends, a small step at a time" in get(base + "/")[1]
    login_page = get(base + "/login")[1]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "email": member, "password": password}).encode()
    url, home = get(base + "/login", data=form)
    assert url.endswith("/home")
    assert "Your group" in home


def test_seed_runs_only_on_first_start(served):
    _, _, env = served
    assert "leaving the demo community" in flask(env, "seed-demo", "--if-empty")
    assert (Path(env["COMMON_GROUND_INSTANCE"]) / "secret_key").stat().st_mode & 0o777 == 0o600
