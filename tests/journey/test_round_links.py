"""Moderators reach a group's question rounds from the chat view they use (the group page itself
is for its members)."""
import pytest

from tests.privacy import world
from tests.support import login_client as login


@pytest.fixture
def ids(app):
    with app.app_context():
        return world.build()


def test_the_moderators_chat_view_links_to_the_groups_rounds_which_they_may_open(app, ids):
    mo = login(app, "mo@example.org")
    page = mo.get(f"/moderation/groups/{ids['group']}/chat").get_data(as_text=True)
    assert f'href="/groups/{ids["group"]}/rounds"' in page
    rounds = mo.get(f"/groups/{ids['group']}/rounds")
    assert rounds.status_code == 200 and "Board games circle" in rounds.get_data(as_text=True)
