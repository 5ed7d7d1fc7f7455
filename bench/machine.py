"""The header every benchmark report starts with: when, on what commit, on what machine, and how
busy the machine was, so a table can be read (and distrusted) on its own."""
from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _cpu_and_memory() -> tuple[str, float]:
    cpu_model, mem_gb = "unknown", float("nan")
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return cpu_model, mem_gb


def _commit(watched: tuple[str, ...]) -> str:
    """The commit, marked when any of the `watched` paths has uncommitted changes."""
    git = shutil.which("git")
    if not git:
        return "unknown"
    try:
        commit = subprocess.run([git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                check=True, cwd=ROOT).stdout.strip()
        dirty = subprocess.run([git, "status", "--porcelain", "--", *watched], capture_output=True, text=True,
                               check=True, cwd=ROOT).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    where = ", ".join(f"{p}/" if (ROOT / p).is_dir() else p for p in watched)
    return commit + (f" (+ uncommitted changes in {where})" if dirty.strip() else "")


def header(watched: tuple[str, ...], software: str, busy_warning: str) -> list[str]:
    """Markdown bullet lines: date and commit, machine, `software` (after the Python version), load."""
    cpu_model, mem_gb = _cpu_and_memory()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"- Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}; commit {_commit(watched)}",
        f"- Machine: {platform.system()} {platform.machine()}, {cpu_model}, {os.cpu_count()} CPUs ({usable} usable), "
        f"{mem_gb:.1f} GB RAM",
        f"- Python {platform.python_version()}; {software}",
        f"- Load average at start (1, 5, 15 min): {load_average()}"
        + (f" — {busy_warning}" if os.getloadavg()[0] > 0.5 else ""),
    ]
