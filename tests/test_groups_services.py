"""Group services through the database: matching runs (preview, apply, stale previews, refills,
'not for me'), hand-made groups, joining, leaving, browsing, and the words members read."""
import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.groups import services
from community.groups.services import GroupError
from community.groups.wording import group_name, in_sentence, newcomer_text, welcome_text
from community.models import (
    Group,
    GroupAnnouncement,
    GroupFeedback,
    MatchRun,
    Membership,
    WaitlistEntry,
)
from tests.factories import circle, member

BOARD_GAMES = {"interests": ["board-games", "card-games"], "availability": [11, 17, 20]}


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def active(group: Group) -> set[int]:
    return set(db.session.scalars(select(Membership.user_id).where(
        Membership.group_id == group.id, Membership.left_at.is_(None))))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def only_group() -> Group:
    groups = db.session.scalars(select(Group)).all()
    assert len(groups) == 1, groups
    return groups[0]


def test_member_profiles_speak_matchings_language(ctx):
    sam = member("sam@example.org", interests=["board-games", "hiking"], custom=["Studio Ghibli films"],
                 neighbourhood="decatur", availability=[17, 11], fmt="in_person", comfort=3)
    ada = member("ada@example.org", online_only=True, comfort=1)
    member("half@example.org", onboarded=False)
    profiles = {p.id: p for p in services.member_profiles()}
    assert set(profiles) == {sam.id, ada.id}, "only members who finished onboarding"
    mine = profiles[sam.id]
    assert list(mine.interests) == ["Board games", "Hiking", "Studio Ghibli films"]
    assert list(mine.availability) == [11, 17]
    assert (round(mine.lat, 1), round(mine.lon, 1)) == (33.8, -84.3)
    assert (mine.format, mine.comfort, mine.place) == ("in_person", 3, "Decatur")
    theirs = profiles[ada.id]
    assert (theirs.lat, theirs.lon, theirs.format, theirs.place) == (None, None, "online", None)


def test_someone_leaving_the_platform_is_not_matched_into_a_new_group(ctx):
    from datetime import timedelta

    from community.models.base import utcnow
    from community.models.privacy import AccountDeletion

    staying, leaving = member("stay@example.org"), member("leave@example.org")
    db.session.add(AccountDeletion(user_id=leaving.id, purge_after=utcnow() + timedelta(hours=72),
                                   erase_messages=True))
    db.session.commit()
    assert {p.id for p in services.member_profiles()} == {staying.id}


def test_preview_changes_nothing_and_apply_places_everyone_it_proposed(ctx):
    players = circle("player", 5, **BOARD_GAMES)
    loner = member("loner@example.org", interests=["bonsai"], availability=[2], online_only=True)
    run = services.preview_match(players[0])
    assert (count(Group), count(Membership), count(WaitlistEntry)) == (0, 0, 0)
    assert run.applied_at is None and run.run_by_id == players[0].id
    assert (run.member_count, run.placed_count, run.new_group_count, run.unmatched_count) == (6, 5, 1, 1)
    proposed = run.proposal["groups"][0]
    assert proposed["group_id"] is None and sorted(proposed["member_ids"]) == sorted(p.id for p in players)
    assert "Board games" in proposed["shared_interests"] and proposed["explanation"]
    assert run.proposal["unmatched"][0]["user_id"] == loner.id
    assert len(run.fingerprint) == 64 and run.duration_ms >= 0

    services.apply_match(run, players[1])
    group = only_group()
    assert active(group) == {p.id for p in players}
    assert (group.origin, group.match_run_id, group.capacity) == ("matching", run.id, 6)
    assert group.name.startswith("Board games") and group.shared_interests and group.common_slots
    if group.mode == "in_person":
        assert group.neighbourhood == "decatur"
    assert {m.source for m in group.memberships} == {"matching"}
    welcome = group.announcements[0]
    assert welcome.kind == "welcome" and "board games" in welcome.body and "?" in welcome.body
    assert services.waitlist_reason(loner) == run.proposal["unmatched"][0]["reason"]
    assert services.waitlist_reason(players[0]) is None
    assert run.applied_at is not None and run.applied_by_id == players[1].id


def test_a_run_is_applied_once(ctx):
    circle("player", 4, **BOARD_GAMES)
    run = services.preview_match(None)
    services.apply_match(run, None)
    with pytest.raises(GroupError, match="already been applied"):
        services.apply_match(run, None)
    assert count(Group) == 1 and count(Membership) == 4


@pytest.mark.parametrize("change", ["new member", "profile edit", "someone left"])
def test_a_stale_preview_is_refused_and_changes_nothing(ctx, change):
    players = circle("player", 5, **BOARD_GAMES)
    services.run_and_apply(None)
    group = only_group()
    newcomer = member("new@example.org", **BOARD_GAMES)
    run = services.preview_match(None)
    if change == "new member":
        member("another@example.org", **BOARD_GAMES)
    elif change == "profile edit":
        newcomer.profile.comfort_step = 3
        db.session.commit()
    else:
        services.leave_group(players[0], group)
    before = (count(Membership), count(GroupAnnouncement), count(WaitlistEntry))
    with pytest.raises(GroupError, match="changed since this preview.*run a new preview"):
        services.apply_match(run, None)
    assert (count(Membership), count(GroupAnnouncement), count(WaitlistEntry)) == before
    assert db.session.get(MatchRun, run.id).applied_at is None
    assert services.apply_match(services.preview_match(None), None).applied_at is not None


def test_running_groups_are_kept_and_refilled_after_someone_leaves(ctx):
    players = circle("player", 6, **BOARD_GAMES)
    services.run_and_apply(None)
    group = only_group()
    assert active(group) == {p.id for p in players}
    services.leave_group(players[0], group)
    leaver = db.session.scalar(select(Membership).where(Membership.user_id == players[0].id))
    assert (leaver.left_reason, leaver.left_at is not None) == ("left", True)
    assert "back in the pool" in services.waitlist_reason(players[0])

    newcomer = member("new@example.org", **BOARD_GAMES)
    run = services.run_and_apply(None)
    assert (run.new_group_count, run.filled_group_count) == (0, 1)
    assert run.proposal["groups"][0]["group_id"] == group.id
    assert run.proposal["groups"][0]["new_member_ids"] == [newcomer.id]
    assert active(group) == {p.id for p in players[1:]} | {newcomer.id}, "the leaver isn't put back"
    assert count(Group) == 1, "the running group is kept, never re-formed"
    note = group.announcements[-1]
    assert note.kind == "newcomer" and note.body.startswith("Someone new is joining you")


def test_a_hand_made_groups_own_cap_and_shared_members_are_respected(ctx):
    players = circle("player", 3, **BOARD_GAMES)
    small = services.create_group("Small table", "online", players, None)
    small.capacity = 4
    db.session.commit()
    services.create_group("Second table", "online", players[:2] + circle("other", 2, **BOARD_GAMES), None)
    newcomers = circle("new", 3, **BOARD_GAMES)
    run = services.run_and_apply(None)
    assert len(active(small)) == 4, "never past the group's own capacity"
    placed = [i for g in run.proposal["groups"] for i in g["new_member_ids"]]
    waiting = [u["user_id"] for u in run.proposal["unmatched"]]
    assert sorted(placed + waiting) == sorted(n.id for n in newcomers), "each newcomer exactly once"
    for item in run.proposal["groups"]:
        group = db.session.get(Group, item["group_id"]) if item["group_id"] else None
        if group is not None:
            assert set(item["member_ids"]) == active(group), "the proposal lists everyone in the group"
    assert all(len(active(g)) <= g.capacity for g in db.session.scalars(select(Group)))


def test_someone_who_declined_is_never_put_back_with_that_group(ctx):
    players = circle("player", 6, **BOARD_GAMES)
    services.run_and_apply(None)
    group = only_group()
    decliner = players[2]
    feedback = services.decline_group(decliner, group, ["times", "pace"], "  Evenings are hard.  ")
    assert (feedback.reasons, feedback.note) == (["times", "pace"], "Evenings are hard.")
    membership = db.session.scalar(select(Membership).where(Membership.user_id == decliner.id))
    assert membership.left_reason == "not_for_me"
    assert "back in the pool" in services.waitlist_reason(decliner)

    others = circle("fresh", 3, **BOARD_GAMES)
    run = services.run_and_apply(None)
    assert decliner.id not in active(group)
    for item in run.proposal["groups"]:
        if decliner.id in item["member_ids"]:
            assert not set(item["member_ids"]) & {p.id for p in players if p is not decliner}
    placed = {i for item in run.proposal["groups"] for i in item["new_member_ids"]}
    assert {o.id for o in others} <= placed | {u["user_id"] for u in run.proposal["unmatched"]}
    with pytest.raises(GroupError, match="wasn't for you"):
        services.join_group(decliner, group)


def test_decline_refuses_reasons_off_the_list(ctx):
    players = circle("player", 4, **BOARD_GAMES)
    group = services.create_group("Tabletop", "online", players, None)
    with pytest.raises(GroupError, match="isn't on our list"):
        services.decline_group(players[0], group, ["rude"], "")
    assert players[0].id in active(group) and count(GroupFeedback) == 0


def test_create_group_by_hand(ctx):
    players = circle("player", 3, **BOARD_GAMES)
    outsider = member("outside@example.org", onboarded=False)
    group = services.create_group("  Thursday   Tabletop ", "in_person", [*players, outsider, players[0]], None)
    assert (group.name, group.origin, group.mode, group.neighbourhood) == (
        "Thursday Tabletop", "manual", "in_person", "decatur")
    assert active(group) == {p.id for p in players} | {outsider.id}
    assert {m.source for m in group.memberships} == {"manual"}
    assert "Board games" in group.shared_interests and group.common_slots == [11, 17, 20]
    assert group.announcements[0].kind == "welcome"
    for name, mode, message in [("", "online", "give the group a name"), ("x" * 81, "online", "80 characters"),
                                ("Fine", "by post", "online or in person")]:
        with pytest.raises(GroupError, match=message):
            services.create_group(name, mode, [], None)
    with pytest.raises(GroupError, match="at most 6"):
        services.create_group("Big", "online", circle("many", 7), None)


def test_add_and_remove_members_by_hand(ctx):
    players = circle("player", 6, **BOARD_GAMES)
    group = services.create_group("Tabletop", "online", players[:5], None)
    services.add_member(group, players[5])
    assert len(active(group)) == 6 and group.announcements[-1].kind == "newcomer"
    with pytest.raises(GroupError, match="already in Tabletop"):
        services.add_member(group, players[5])
    with pytest.raises(GroupError, match="Tabletop is full"):
        services.add_member(group, member("seventh@example.org"))
    services.remove_member(group, players[0])
    removed = db.session.scalar(select(Membership).where(Membership.user_id == players[0].id))
    assert removed.left_reason == "removed" and len(active(group)) == 5
    with pytest.raises(GroupError, match="isn't in Tabletop"):
        services.remove_member(group, players[0])
    services.add_member(group, players[0])  # back again: history rows don't block a new seat
    assert len(active(group)) == 6


def test_join_by_choice(ctx):
    players = circle("player", 4, **BOARD_GAMES)
    group = services.create_group("Tabletop", "online", players, None)
    joiner = member("joiner@example.org", **BOARD_GAMES)
    db.session.add(WaitlistEntry(user_id=joiner.id, reason="Waiting"))
    db.session.commit()
    membership = services.join_group(joiner, group)
    assert (membership.source, membership.left_at) == ("joined", None)
    assert group.announcements[-1].body.startswith("Someone new is joining you")
    assert services.waitlist_reason(joiner) is None
    with pytest.raises(GroupError, match="already in this group"):
        services.join_group(joiner, group)
    services.join_group(member("sixth@example.org", **BOARD_GAMES), group)
    with pytest.raises(GroupError, match="last seat was just taken"):
        services.join_group(member("late@example.org", **BOARD_GAMES), group)
    with pytest.raises(GroupError, match="finish setting up"):
        services.join_group(member("new@example.org", onboarded=False), group)
    closed = services.create_group("Closed", "online", players[:2], None)
    closed.is_open = False
    db.session.commit()
    with pytest.raises(GroupError, match="isn't taking new members"):
        services.join_group(member("shut@example.org", **BOARD_GAMES), closed)


def test_open_groups_fit_the_member_and_never_name_anyone(ctx):
    near = services.create_group("Decatur games", "in_person", circle("near", 4, **BOARD_GAMES), None)
    online = services.create_group("Online games", "online", circle("web", 4, **BOARD_GAMES), None)
    services.create_group("Far games", "in_person",
                          circle("far", 4, neighbourhood="woodstock", **BOARD_GAMES), None)
    services.create_group("Hikers", "online", circle("hike", 4, interests=["hiking"], availability=[15]), None)
    services.create_group("Steady pace", "online", circle("pace", 4, comfort=4, **BOARD_GAMES), None)
    full = services.create_group("Full games", "online", circle("full", 6, **BOARD_GAMES), None)
    declined = services.create_group("Declined games", "online", circle("dec", 4, **BOARD_GAMES), None)
    closed = services.create_group("Closed games", "online", circle("shut", 4, **BOARD_GAMES), None)
    closed.is_open = False
    db.session.commit()

    me = member("me@example.org", **BOARD_GAMES)
    services.join_group(me, declined)
    services.decline_group(me, declined, [], "")
    suggestions = services.open_groups_for(me)
    assert {s.group.id for s in suggestions} == {near.id, online.id}
    best = suggestions[0]
    assert best.score > 0 and "Board games" in best.shared_interests
    assert best.common_slots == [11, 17, 20]
    areas = {s.group.id: s.area_name for s in suggestions}
    assert areas == {near.id: "Decatur", online.id: "Online"}
    assert best.next_activity is None
    assert not any(hasattr(s, "members") for s in suggestions)

    homebody = member("home@example.org", online_only=True, **BOARD_GAMES)
    assert {s.group.id for s in services.open_groups_for(homebody)} == {online.id, declined.id}
    assert services.open_groups_for(member("new@example.org", onboarded=False)) == []
    services.join_group(me, near)
    assert near.id not in {s.group.id for s in services.open_groups_for(me)}
    assert full.id not in {s.group.id for s in services.open_groups_for(homebody)}


def test_groups_of_waitlist_and_seen(ctx):
    players = circle("player", 4, **BOARD_GAMES)
    first = services.create_group("First", "online", players, None)
    second = services.create_group("Second", "online", players[:2], None)
    assert [g.id for g in services.groups_of(players[0])] == [first.id, second.id]
    assert services.groups_of(member("none@example.org")) == []
    services.mark_seen(players[0], first)
    seen = db.session.scalar(select(Membership).where(Membership.user_id == players[0].id,
                                                      Membership.group_id == first.id))
    stamp = seen.seen_at
    assert stamp is not None
    services.mark_seen(players[0], first)
    assert seen.seen_at == stamp
    services.leave_group(players[0], second)
    assert services.waitlist_reason(players[0]) is None, "still in a group: not waiting"
    with pytest.raises(GroupError, match="not in this group any more"):
        services.leave_group(players[0], second)


def test_members_without_a_match_are_told_why(ctx):
    member("loner@example.org", interests=["bonsai"], availability=[2], online_only=True)
    run = services.run_and_apply(None)
    (entry,) = db.session.scalars(select(WaitlistEntry)).all()
    assert entry.match_run_id == run.id and entry.reason == run.proposal["unmatched"][0]["reason"]
    assert "waitlist" in entry.reason


def test_group_names_are_kind_and_distinct():
    taken: set[str] = set()
    names = [group_name(["Board games"], taken) for _ in range(8)]
    assert len(set(names)) == 8 and all(n.startswith("Board games") for n in names)
    assert "club club" not in group_name(["Book club"], set()).lower()
    assert group_name([], set()).startswith("New friends")
    assert len(group_name(["x" * 200], set())) <= 80


def test_announcements_read_warmly():
    welcome = welcome_text(["Board games", "Chess"], [11, 17])
    assert "you all enjoy board games and chess" in welcome
    assert "Thursday evenings" in welcome and welcome.rstrip().endswith("?")
    assert welcome_text([], []).endswith("?")
    assert newcomer_text().startswith("Someone new is joining you")
    assert newcomer_text(2).startswith("2 new people are joining you")
    assert (in_sentence("Board games"), in_sentence("Atlanta Braves"), in_sentence("Film and TV")) == (
        "board games", "Atlanta Braves", "film and TV")


def test_the_demo_community_matches_well(ctx):
    """Organizers trying the demo should see most people placed, in groups that respect formats."""
    from community.demo import seed_demo
    from community.models import Profile

    seed_demo()
    run = services.preview_match(None)
    assert run.member_count == 200  # the 200 members; staff accounts are not matched
    placed = [i for g in run.proposal["groups"] for i in g["new_member_ids"]]
    waiting = [u["user_id"] for u in run.proposal["unmatched"]]
    assert len(placed) == len(set(placed)) and not set(placed) & set(waiting)
    assert len(placed) + len(waiting) == run.member_count, "everyone accounted for exactly once"
    assert run.placed_count >= 0.8 * run.member_count, run.placed_count
    formats = dict(db.session.execute(select(Profile.user_id, Profile.format_preference)).all())
    for group in run.proposal["groups"]:
        assert 4 <= len(group["member_ids"]) <= 6
        refused = "online" if group["mode"] == "in_person" else "in_person"
        assert not any(formats[i] == refused for i in group["member_ids"]), group
