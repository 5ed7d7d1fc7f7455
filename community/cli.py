"""Command-line tools: `flask --app app users ...` and `flask --app app seed-demo`."""
import sys

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from community.auth.services import AccountError, create_user, set_role
from community.extensions import db
from community.models import ROLES, User

users_cli = AppGroup("users", help="Create accounts and change roles.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Display name.")
@click.option("--role", type=click.Choice(ROLES), default="member", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_command(email: str, name: str, role: str, password_stdin: bool):
    """Create an account. It counts as onboarded only once its profile is complete."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, name, password, role)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
def set_role_command(email: str, role: str):
    """Change an account's role."""
    try:
        user = set_role(email, role)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{user.email} is now {user.role}.")


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when accounts already exist.")
@click.option("--seed", default=2026, show_default=True, help="Seed for the generated community.")
def seed_demo_command(if_empty: bool, seed: int):
    """Create a deterministic demo community, match it, and print how to log in as each role."""
    from community.demo import DEMO_PASSWORD, seed_demo

    if db.session.scalar(select(func.count()).select_from(User)):
        if if_empty:
            click.echo("Accounts already exist; leaving the demo community as it is.")
            return
        raise click.ClickException("The database already has accounts; seed-demo only fills an empty one.")
    from community.demo_groups import seed_demo_groups

    logins = seed_demo(seed=seed)
    matched = seed_demo_groups()
    logins["member"] = matched["member"] or logins["member"]  # someone whose group has a chat going
    click.echo(f"Demo community created: {logins['count']} accounts, {matched['placed']} members "
               f"matched into {matched['groups']} groups.")
    click.echo(f"Every demo account's password: {DEMO_PASSWORD}")
    for role in ("admin", "organizer", "moderator", "member"):
        click.echo(f"  {role:<10} {logins[role]}")
    click.echo("The admin and moderators set up two-factor sign-in at their first login (any authenticator app).")


def register_cli(app: Flask) -> None:
    from community.activities.cli import send_reminders_command
    from community.backup import backup_command, restore_command
    from community.encryption_cli import rotate_encryption_key_command
    from community.groups.cli import groups_cli, match_command
    from community.journey.cli import journey_pass_command
    from community.moderation.cli import safety_watch_command
    from community.privacy.cli import purge_deleted_accounts_command

    app.cli.add_command(users_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(match_command)
    app.cli.add_command(groups_cli)
    app.cli.add_command(safety_watch_command)
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(rotate_encryption_key_command)
    app.cli.add_command(purge_deleted_accounts_command)
    app.cli.add_command(journey_pass_command)
