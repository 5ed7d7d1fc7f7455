"""`flask --app app match` and `flask --app app groups ...`: matching runs and hand-made groups."""
import click
from flask.cli import AppGroup, with_appcontext

from community.auth.services import find_user
from community.extensions import db
from community.groups import services
from community.groups.errors import GroupError
from community.models import Group, MatchRun, User
from community.models.group import GROUP_MODES
from community.reference import neighbourhoods
from matching.week import slots_phrase

LISTED_GROUPS = 25  # a preview lists this many proposed groups; the page shows them all

groups_cli = AppGroup("groups", help="Form groups by hand and add or remove members.")


def _summary(run: MatchRun) -> None:
    state = "applied" if run.applied_at else "preview, nothing changed yet"
    click.echo(f"Matching run {run.id} ({state})")
    rows = [
        ("Members considered", run.member_count),
        ("Placed", run.placed_count),
        ("New groups", run.new_group_count),
        ("Filled groups", run.filled_group_count),
        ("Waitlisted", run.unmatched_count),
        ("Time", f"{run.duration_ms / 1000:.2f} s"),
    ]
    for label, value in rows:
        click.echo(f"  {label:<20}{value:>10}")


def _listing(run: MatchRun) -> None:
    groups = run.proposal.get("groups", [])
    if groups:
        click.echo("")
        click.echo("Proposed groups:")
    for item in groups[:LISTED_GROUPS]:
        kind = "new" if item["group_id"] is None else f"fill #{item['group_id']}"
        mode = "in person" if item["mode"] == "in_person" else "online"
        focus = ", ".join(item["shared_interests"][:3]) or "no single shared focus"
        when = slots_phrase(item["common_slots"]) or "no shared time yet"
        click.echo(f"  {kind:<9} {item['name'][:34]:<34} {mode:<9} +{len(item['new_member_ids'])} "
                   f"({len(item['member_ids'])} total)  {focus}; {when}")
    if len(groups) > LISTED_GROUPS:
        click.echo(f"  ... and {len(groups) - LISTED_GROUPS} more")
    click.echo("")
    click.echo("Nothing has changed yet. To place members, run: flask --app app match --apply")


@click.command("match")
@with_appcontext
@click.option("--apply", "apply_", is_flag=True, help="Apply the run (default: preview only).")
@click.option("--seed", default=0, show_default=True, help="Seed for breaking ties.")
def match_command(apply_: bool, seed: int):
    """Match every onboarded member into small groups, keeping existing groups; preview by default."""
    try:
        run = services.run_and_apply(None, seed=seed) if apply_ else services.preview_match(None, seed=seed)
    except GroupError as exc:
        raise click.ClickException(str(exc)) from exc
    _summary(run)
    if not apply_:
        _listing(run)


def _user(email: str) -> User:
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No account with email {email.strip().lower()}.")
    return user


def _group(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None:
        raise click.ClickException(f"No group with id {group_id}.")
    return group


@groups_cli.command("create")
@click.argument("name")
@click.option("--member", "emails", multiple=True, required=True, metavar="EMAIL",
              help="A member's email; repeat for each member.")
@click.option("--mode", type=click.Choice(GROUP_MODES), default="online", show_default=True)
@click.option("--neighbourhood", type=click.Choice(sorted(neighbourhoods())), default=None,
              help="Rough area, for in-person groups (default: where most members live).")
def create_command(name: str, emails: tuple[str, ...], mode: str, neighbourhood: str | None):
    """Form a group by hand, e.g. for a circle that started outside matching."""
    users = [_user(email) for email in emails]
    try:
        group = services.create_group(name, mode, users, None, neighbourhood=neighbourhood)
    except GroupError as exc:
        raise click.ClickException(str(exc)) from exc
    people = "member" if group.size == 1 else "members"
    click.echo(f"Created group {group.id} '{group.name}' with {group.size} {people}.")


@groups_cli.command("add-member")
@click.argument("group_id", type=int)
@click.argument("email")
def add_member_command(group_id: int, email: str):
    """Add a member to a group (the group's size cap still holds)."""
    group, user = _group(group_id), _user(email)
    try:
        services.add_member(group, user)
    except GroupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Added {user.email} to group {group.id} '{group.name}' ({group.size} members now).")


@groups_cli.command("remove-member")
@click.argument("group_id", type=int)
@click.argument("email")
def remove_member_command(group_id: int, email: str):
    """Take a member out of a group; the next matching run refills the seat."""
    group, user = _group(group_id), _user(email)
    try:
        services.remove_member(group, user)
    except GroupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Removed {user.email} from group {group.id} '{group.name}' ({group.size} members now).")
