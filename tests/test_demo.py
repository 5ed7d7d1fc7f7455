"""The demo community is deterministic and varied enough to try matching on."""
from collections import Counter

from sqlalchemy import select

from community.extensions import db
from community.models import Profile, User
from community.reference import neighbourhoods, taxonomy


def snapshot(app, seed):
    from community.demo import seed_demo

    with app.app_context():
        seed_demo(seed=seed)
        rows = db.session.execute(select(User, Profile).join(Profile).order_by(User.id)).all()
        data = [(u.email, u.display_name, u.role, p.interests, p.custom_interests, p.neighbourhood,
                 p.online_only, p.availability, p.format_preference, p.comfort_step, p.barriers,
                 p.communication_prefs, p.communication_note) for u, p in rows]
        db.session.query(Profile).delete()
        db.session.query(User).delete()
        db.session.commit()
    return data


def test_same_seed_same_community_other_seed_other_community(app):
    first, again, other = snapshot(app, 2026), snapshot(app, 2026), snapshot(app, 7)
    assert first == again
    assert first != other


def test_profiles_are_valid_and_varied(app):
    data = snapshot(app, 2026)
    members = [row for row in data if row[2] == "member"]
    hoods, interests = neighbourhoods(), taxonomy().interests
    for (_, name, _, slugs, _, hood, online_only, slots, fmt, step, _, _, note) in data:
        assert name and len(name) <= 60
        assert slugs and all(s in interests for s in slugs)
        assert (hood is None) == online_only and (hood is None or hood in hoods)
        assert slots == sorted(set(slots)) and all(0 <= s <= 20 for s in slots)
        assert fmt in ("online", "in_person", "either") and 1 <= step <= 4
        assert not (online_only and fmt != "online")
        assert len(note) <= 280
    assert len({row[5] for row in members}) >= 30, "members spread across the metro"
    assert 20 <= sum(row[6] for row in members) <= 80, "some online-only members"
    assert len({row[9] for row in members}) == 4, "every comfort step is represented"
    popularity = Counter(s for row in members for s in row[3]).most_common()
    assert popularity[0][1] >= 3 * popularity[len(popularity) // 2][1], "uneven popularity"
    assert any(not name.isascii() for _, name, *_ in members), "names in more than ASCII"
