"""`flask send-reminders`: activity reminders from the command line. One pass by default (for
cron); `--watch` keeps going, for a deployment that turns the in-process loop off."""
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from community.activities import reminders
from community.extensions import db


@click.command("send-reminders")
@click.option("--once", "once", flag_value=True, default=True, help="Send what is due now and stop (the default).")
@click.option("--watch", "once", flag_value=False, help="Keep sending every REMINDER_WATCH_SECONDS.")
@with_appcontext
def send_reminders_command(once: bool) -> None:
    """Send the 24-hour and 2-hour activity reminders that are due."""
    while True:
        sent = reminders.run_once()
        db.session.remove()
        click.echo(f"24-hour reminders {sent['24h']}, 2-hour reminders {sent['2h']}")
        if once:
            return
        time.sleep(current_app.config.get("REMINDER_WATCH_SECONDS", 60) or 60)
