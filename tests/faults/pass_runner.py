"""A scheduler process for the fault tests: `python -m tests.faults.pass_runner`, configured by the
environment like `flask --app app`. It builds the app once, then runs each pass it is asked for in
a forked child: a real process of its own, which the test may SIGKILL mid-pass, without paying
the app's start-up (seconds) for every pass.

One line each way. In: `reminders` (reminders.run_once, as `flask send-reminders` runs it) or
`watch` (watch.run_once, as `flask safety-watch --once`). Out: `ready`, then per pass
`started <pid>`, `done <json>` from the child if it finishes, `ended <pid> <exit code>` (-9 when
killed)."""
import json
import os
import sys
import traceback

from app import app
from community.activities import reminders
from community.extensions import db
from community.moderation import watch

PASSES = {"reminders": reminders.run_once, "watch": watch.run_once}


def run_pass(name: str) -> None:
    with app.app_context():
        try:
            done = PASSES[name]()
        finally:
            db.session.remove()
    print("done", json.dumps(done), flush=True)


def main() -> None:
    print("ready", flush=True)
    for line in sys.stdin:
        name = line.strip()
        pid = os.fork()
        if pid == 0:  # the child: one pass, then out without running the parent's exit handlers
            code = 0
            try:
                run_pass(name)
            except BaseException:  # noqa: BLE001 - reported to the test through the log and exit code
                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                os._exit(code)
        print("started", pid, flush=True)
        _, status = os.waitpid(pid, 0)
        print("ended", pid, os.waitstatus_to_exitcode(status), flush=True)


if __name__ == "__main__":
    main()
