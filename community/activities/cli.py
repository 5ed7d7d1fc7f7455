"""`flask send-reminders` (being written)."""
import click


@click.command("send-reminders")
def send_reminders_command() -> None:
    """Send the 24-hour and 2-hour reminders that are due (being written)."""
