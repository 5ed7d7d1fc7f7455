"""The load benchmark's data and its SQL count, run by `bench.load` as subprocesses in the app's
environment (the scratch database in DATABASE_URL):

    python -m bench.load_seed setup --members 200 --out members.json
    python -m bench.load_seed queries --members members.json

`setup` makes members, their groups and activities with the app's own services and writes what
bench/locustfile.py needs; `queries` replays one member's visit through the Flask test client and
prints the SQL statements each page sends.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

PASSWORD = "quiet harbour lanterns bench"  # noqa: S105 - throwaway accounts in a scratch database
# Cheap on purpose: 200 logins in the first 10 s would cost 30 s of CPU with the app's scrypt hash
# (about 150 ms each), which a real community never asks of one process at once.
CHEAP_HASH = "pbkdf2:sha256:1000"
GROUP_SIZES = (4, 5, 6)
DATES_PER_GROUP = 4
OPEN_ACTIVITIES = 4
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def group_sizes(members: int) -> list[int]:
    """Group sizes adding up to `members`, each 4 to 6 where that is possible: 4, 6, 5, 4, 6, 5 …"""
    low, high = min(GROUP_SIZES), max(GROUP_SIZES)
    lo, hi = -(-members // high), max(1, members // low)
    count = max(1, min(max(round(members / 5), lo), hi)) if lo <= hi else lo
    sizes = [members // count + (1 if i < members % count else 0) for i in range(count)]
    for k in range(0, count - 1, 3):  # some variety, the total unchanged
        if sizes[k] > low and sizes[k + 1] < high:
            sizes[k], sizes[k + 1] = sizes[k] - 1, sizes[k + 1] + 1
    return sizes


def setup_main(argv: list[str]) -> int:
    """Members, groups of 4–6, weekly activities for each group and a few open ones, made with the
    app's own services in the database the environment names; writes what locust needs."""
    ap = argparse.ArgumentParser(prog="python -m bench.load_seed setup")
    ap.add_argument("--members", type=int, default=200)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    import random
    from datetime import time as clock
    from datetime import timedelta

    from werkzeug.security import generate_password_hash

    from community import create_app
    from community.activities import rsvp, services, times
    from community.extensions import db
    from community.groups.services import create_group
    from community.models import Profile, User
    from community.models.base import utcnow
    from community.profiles.options import BARRIERS, COMMUNICATION_PREFERENCES
    from community.profiles.services import STEPS
    from community.reference import neighbourhoods, taxonomy

    rng = random.Random(8)
    app = create_app()
    with app.app_context():
        started = time.perf_counter()
        pw, now = generate_password_hash(PASSWORD, method=CHEAP_HASH), utcnow()
        interests, hoods = sorted(taxonomy().interests), sorted(neighbourhoods())
        organizer = User(email="organizer@bench.example.org", display_name="Oakley Organizer", password_hash=pw,
                         role="organizer")
        db.session.add(organizer)
        sizes = group_sizes(args.members)
        groups = []
        for number, size in enumerate(sizes):
            focus = interests[(number * 7) % len(interests)]
            online = number % 2 == 0
            hood = None if online else hoods[(number * 3) % len(hoods)]
            people = []
            for _ in range(size):
                k = sum(len(g[1]) for g in groups) + len(people)
                user = User(email=f"member{k}@bench.example.org", display_name=f"Member{k} Bench", password_hash=pw,
                            role="member")
                user.profile = Profile(
                    interests=[focus, *rng.sample(interests, 2)], custom_interests=[], neighbourhood=hood,
                    online_only=online, availability=sorted({11, 17, 20, *rng.sample(range(21), 3)}),
                    format_preference="online" if online else "in_person", comfort_step=rng.choice((2, 3)),
                    barriers=[key for key, _ in rng.sample(BARRIERS, rng.randint(0, 2))],
                    communication_prefs=[key for key, _ in rng.sample(COMMUNICATION_PREFERENCES, rng.randint(0, 3))],
                    communication_note=rng.choice(("", "I'm new to the area and a bit shy at first.")),
                    steps_done=list(STEPS), consented_at=now, completed_at=now)
                people.append(user)
            db.session.add_all(people)
            groups.append((number, people, online, hood))
        db.session.commit()
        made_groups = [create_group(f"Bench circle {number + 1}", "online" if online else "in_person", people,
                                    by=None, neighbourhood=hood) for number, people, online, hood in groups]
        first_day = times.local(now).date() + timedelta(days=2)
        for number, group in enumerate(made_groups):
            online = group.mode == "online"
            focus = (group.shared_interests or ["Getting together"])[0]
            plan = services.Plan(
                title=f"{focus} {'evening online' if online else 'meet-up'}", focus=focus,
                format="online" if online else "in_person", day=first_day + timedelta(days=number % 5),
                start=clock(19, 0), end=clock(20, 30), capacity=max(2, group.size - 1), comfort_step=2,
                group_ids=[group.id], repeat="weekly", occurrences=DATES_PER_GROUP,
                join_url="https://meet.example.org/bench" if online else None,
                venue=None if online else "The Corner Café", neighbourhood=None if online else group.neighbourhood,
                address=None if online else "123 Example Street", description="Relaxed, no experience needed.",
                agenda="Hellos, the activity itself, a short chat at the end for anyone who wants it.",
                noise="" if online else "Quiet back room", arrival="" if online else "Look for the green table card.")
            made = services.schedule(plan, organizer)
            for person in [m.user for m in group.active_memberships][:2]:
                rsvp.respond(person, made[0], "going")
        for number in range(OPEN_ACTIVITIES):
            services.schedule(services.Plan(
                title=f"Open walk {number + 1}", focus="Walking", format="in_person",
                day=first_day + timedelta(days=number), start=clock(10, 0), end=clock(11, 30), capacity=25,
                comfort_step=2, open_to_all=True, venue="Piedmont Park", neighbourhood="Midtown",
                address="400 Park Drive NE", description="An easy loop at a gentle pace."), organizer)
        members = []
        for group in made_groups:
            for membership in group.active_memberships:
                user = membership.user
                members.append({
                    "email": user.email, "name": user.display_name, "group_id": group.id, "group_name": group.name,
                    # What the app itself lists as this member's upcoming activities.
                    "activity_ids": [a.id for a in services.upcoming_for(user)],
                    # TEST-NET addresses (RFC 5737): only ever written in a header, never contacted.
                    "address": f"198.51.{100 + len(members) // 250}.{1 + len(members) % 250}",
                })
        activities = db.session.scalar(db.select(db.func.count()).select_from(services.Activity))
        summary = {"members": len(members), "groups": len(made_groups), "sizes": sizes, "activities": activities,
                   "seconds": round(time.perf_counter() - started, 1)}
        args.out.write_text(json.dumps({"password": PASSWORD, "members": members, "summary": summary}))
    print(json.dumps(summary))
    return 0


def queries_main(argv: list[str]) -> int:
    """One member's visit through the Flask test client, counting the SQL statements of each page."""
    ap = argparse.ArgumentParser(prog="python -m bench.load_seed queries")
    ap.add_argument("--members", type=Path, required=True)
    args = ap.parse_args(argv)
    from sqlalchemy import event

    from community import create_app
    from community.extensions import db

    seed = json.loads(args.members.read_text())
    me = seed["members"][-1]
    app = create_app()
    counts: dict[str, int] = {}
    current = [None]
    with app.app_context():
        @event.listens_for(db.engine, "before_cursor_execute")
        def count(*_):
            if current[0]:
                counts[current[0]] = counts.get(current[0], 0) + 1

    client = app.test_client()

    def visit(name, method, path, **kwargs):
        current[0] = name
        counts.setdefault(name, 0)
        response = client.open(path, method=method, **kwargs)
        current[0] = None
        return response.get_data(as_text=True)

    token = CSRF_RE.search(visit("login form", "GET", "/login"))[1]
    visit("log in (POST)", "POST", "/login", data={"csrf_token": token, "email": me["email"], "password": seed["password"]})
    visit("home", "GET", "/home")
    visit("group page", "GET", f"/groups/{me['group_id']}")
    activity = me["activity_ids"][0]
    html = visit("activity page", "GET", f"/activities/{activity}")
    visit("profile", "GET", "/profile")
    token = CSRF_RE.search(html)[1]
    visit("RSVP (POST)", "POST", f"/activities/{activity}/rsvp", data={"csrf_token": token, "answer": "maybe"})
    visit("activity page after RSVP", "GET", f"/activities/{activity}")
    print(json.dumps(counts))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    commands = {"setup": setup_main, "queries": queries_main}
    if argv[:1] and argv[0] in commands:
        return commands[argv[0]](argv[1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
