"""`flask --app app purge-deleted-accounts`: one pass, for cron (hourly is plenty)."""
import click
from flask.cli import with_appcontext

from community.privacy import purge


@click.command("purge-deleted-accounts")
@with_appcontext
@click.option("--minimise-old-escalations/--no-minimise-old-escalations", default=True, show_default=True,
              help="Also minimise everyone's resolved escalations older than ESCALATION_RETENTION_DAYS.")
def purge_deleted_accounts_command(minimise_old_escalations: bool):
    """Erase accounts whose cooling-off period has ended, and apply escalation retention."""
    summary = purge.run(minimise_old=minimise_old_escalations)
    click.echo(f"Erased {summary.erased} account(s). Minimised {summary.minimised} escalation(s) past "
               f"retention. Deleted {summary.deleted} minimised escalation(s) past retention.")
    if summary.failed:
        raise click.ClickException(f"{summary.failed} account(s) could not be erased and stay scheduled; "
                                   "the log says why. The next run tries again.")
