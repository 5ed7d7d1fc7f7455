"""The command-line tools: accounts, roles and the demo community."""
from sqlalchemy import func, select

from community.extensions import db
from community.models import User
from community.models.base import utcnow
from tests.support import PASSWORD


def users(app):
    with app.app_context():
        return {u.email: (u.role, u.display_name, u.is_onboarded) for u in db.session.scalars(select(User))}


def test_users_create_reads_password_from_stdin(app, runner, client, auth):
    result = runner.invoke(args=["users", "create", "Org@Example.org", "--name", "Olu", "--role", "organizer",
                                 "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Created organizer org@example.org" in result.output
    assert users(app) == {"org@example.org": ("organizer", "Olu", False)}
    assert auth.login(email="org@example.org").status_code == 302
    # Not onboarded until a profile exists: home sends them to finish setting up.
    assert "Finish setting up your profile" in client.get("/home").get_data(as_text=True)


def test_users_create_prompts_for_the_password_twice(app, runner):
    result = runner.invoke(args=["users", "create", "a@example.org", "--name", "A"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert users(app)["a@example.org"][0] == "member"


def test_users_create_refuses_bad_input_clearly(app, runner):
    weak = runner.invoke(args=["users", "create", "a@example.org", "--name", "A", "--password-stdin"],
                         input="password\n")
    assert weak.exit_code == 1 and "at least 10 characters" in weak.output
    role = runner.invoke(args=["users", "create", "a@example.org", "--name", "A", "--role", "king",
                               "--password-stdin"], input=PASSWORD + "\n")
    assert role.exit_code == 2 and "king" in role.output
    runner.invoke(args=["users", "create", "a@example.org", "--name", "A", "--password-stdin"], input=PASSWORD + "\n")
    again = runner.invoke(args=["users", "create", "A@example.org", "--name", "B", "--password-stdin"],
                          input=PASSWORD + "\n")
    assert again.exit_code == 1 and "already an account" in again.output
    assert list(users(app)) == ["a@example.org"]


def test_set_role(app, runner, make_user):
    make_user(email="mod@example.org")
    result = runner.invoke(args=["users", "set-role", "MOD@example.org", "moderator"])
    assert result.exit_code == 0 and "now moderator" in result.output
    assert users(app)["mod@example.org"][0] == "moderator"
    missing = runner.invoke(args=["users", "set-role", "ghost@example.org", "admin"])
    assert missing.exit_code == 1 and "No account" in missing.output


def test_seed_demo_makes_a_community_and_says_how_to_log_in(app, runner, client, auth):
    from community.demo import DEMO_PASSWORD

    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output
    accounts = users(app)
    roles = [role for role, _, _ in accounts.values()]
    assert (roles.count("member"), roles.count("organizer"), roles.count("moderator"), roles.count("admin")) == (200, 2, 2, 1)
    assert all(onboarded for _, _, onboarded in accounts.values())
    for role in ("admin", "organizer", "moderator", "member"):
        email = next(line.split()[1] for line in result.output.splitlines() if line.strip().startswith(role))
        assert accounts[email][0] == role
    member_email = next(line.split()[1] for line in result.output.splitlines() if line.strip().startswith("member"))
    assert auth.login(email=member_email, password=DEMO_PASSWORD).status_code == 302
    assert "Your group" in client.get("/home").get_data(as_text=True)
    assert "matched into" in result.output


def test_the_demo_is_matched_moderated_and_has_conversations(app, runner):
    from community.models import Group, GroupModerator, Membership, Message

    result = runner.invoke(args=["seed-demo"])
    member_email = next(line.split()[1] for line in result.output.splitlines() if line.strip().startswith("member"))
    with app.app_context():
        groups = db.session.scalars(select(Group)).all()
        assert len(groups) >= 20
        assert {a.group_id for a in db.session.scalars(select(GroupModerator))} == {g.id for g in groups}
        staff = select(User.id).where(User.role != "member")
        assert not db.session.scalar(select(func.count()).select_from(Membership).where(Membership.user_id.in_(staff)))
        member = db.session.scalar(select(User).where(User.email == member_email))
        [membership] = db.session.scalars(select(Membership).where(Membership.user_id == member.id)).all()
        chat = db.session.scalars(select(Message).where(Message.group_id == membership.group_id)).all()
        assert {m.kind for m in chat} == {"system", "member"}
        assert any(m.author_id == member.id for m in chat)
        # A demo moderator finds one report waiting, in a group they look after.
        from community.models import ReviewItem

        [item] = db.session.scalars(select(ReviewItem)).all()
        assert item.status == "open" and len(item.reports) == 1
        assert item.reports[0].reporter_id != item.subject_id
        # Each chatting group has a weekly activity, two members already going to the first date.
        from community.models.activity import Activity, Rsvp

        activities = db.session.scalars(select(Activity)).all()
        upcoming = [a for a in activities if a.starts_at > utcnow()]
        assert len(upcoming) == 6 * 4 and all(a.series_id for a in upcoming)
        # ... and three past meetings each, attendance marked, so the journey pages have a story.
        past = [a for a in activities if a.starts_at <= utcnow()]
        assert len(past) == 6 * 3 and all(a.attendance_marked_at for a in past)
        from community.journey import outcomes
        from community.models import MonthlyCheckIn

        check_ins = db.session.scalars(select(MonthlyCheckIn)).all()
        assert check_ins and {c.month for c in check_ins} == {
            outcomes.month_keys(utcnow())[-3], outcomes.month_keys(utcnow())[-2]}  # the two months before this
        assert db.session.scalar(select(func.count(Rsvp.id)).join(Activity).where(
            Rsvp.status == "going", Activity.starts_at > utcnow())) == 6 * 2


def test_seed_demo_only_fills_an_empty_database(app, runner, make_user):
    make_user(email="real@example.org")
    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code == 1 and "already has accounts" in refused.output
    skipped = runner.invoke(args=["seed-demo", "--if-empty"])
    assert skipped.exit_code == 0 and "leaving the demo community" in skipped.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
