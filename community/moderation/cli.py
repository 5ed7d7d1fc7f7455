"""`flask safety-watch`: the safety watch from the command line (one pass, or keep watching)."""
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from community.extensions import db
from community.moderation import watch


@click.command("safety-watch")
@click.option("--once", is_flag=True, help="Run one pass and stop (for cron).")
@with_appcontext
def safety_watch_command(once: bool) -> None:
    """Send alerts that didn't go out, repeat unacknowledged ones, remind about follow-ups."""
    while True:
        done = watch.run_once()
        db.session.remove()
        click.echo(f"first alerts {done['first_alerts']}, repeated {done['repeated']}, "
                   f"follow-up reminders {done['follow_ups']}")
        if once:
            return
        time.sleep(current_app.config["SAFETY_WATCH_SECONDS"] or 15)
