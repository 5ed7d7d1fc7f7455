"""Waiting for a server process the benchmarks started: ready when `path` answers 200, with the end
of its log in the error when it exits or takes too long."""
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path


def wait_ready(url: str, proc: subprocess.Popen, log: Path, path: str = "/login", timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + path, timeout=2) as resp:  # noqa: S310 - our own server
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {log.read_text()[-2000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"server at {url} not ready within {timeout:.0f} s: {log.read_text()[-2000:]}")
        time.sleep(0.2)
