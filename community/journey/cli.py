"""`flask journey-pass`: the journey's periodic work from the command line. One pass by default
(for cron); `--watch` keeps going, for a deployment that turns the in-process loop off."""
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from community.extensions import db
from community.journey import watch


@click.command("journey-pass")
@click.option("--once", "once", flag_value=True, default=True, help="Do what is due now and stop (the default).")
@click.option("--watch", "once", flag_value=False, help="Keep going every JOURNEY_WATCH_SECONDS.")
@with_appcontext
def journey_pass_command(once: bool) -> None:
    """Move question rounds along, start agreed weekly rounds, and post starters to quiet groups."""
    while True:
        done = watch.run_once()
        db.session.remove()
        click.echo(f"question rounds moved on or started {done['rounds']}, conversation starters {done['starters']}")
        if once:
            return
        time.sleep(current_app.config.get("JOURNEY_WATCH_SECONDS", 300) or 300)
