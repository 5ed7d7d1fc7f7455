"""`flask send-reminders`: activity reminders from the command line (one pass, or keep going)."""
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from community.activities import reminders
from community.extensions import db


@click.command("send-reminders")
@click.option("--once", is_flag=True, help="Send what is due now and stop (for cron).")
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
