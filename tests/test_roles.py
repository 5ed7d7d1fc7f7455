"""The role guard: admins may do everything, others only what their role allows."""
import pytest

from community.auth.roles import role_required
from tests.conftest import AuthActions


@pytest.fixture
def guarded_app(app):
    @app.route("/_test/organizers-only")
    @role_required("organizer")
    def organizers_only():
        return "organizer page"

    return app


@pytest.mark.parametrize(
    ("role", "status"),
    [("member", 403), ("moderator", 403), ("organizer", 200), ("admin", 200)],
)
def test_role_required(guarded_app, make_user, role, status):
    client = guarded_app.test_client()
    make_user(email=f"{role}@example.org", role=role)
    AuthActions(client).login(email=f"{role}@example.org")
    assert client.get("/_test/organizers-only").status_code == status


def test_visitors_are_sent_to_log_in(guarded_app):
    response = guarded_app.test_client().get("/_test/organizers-only")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_forbidden_page_is_calm(guarded_app, make_user):
    client = guarded_app.test_client()
    make_user(email="m@example.org")
    AuthActions(client).login(email="m@example.org")
    page = client.get("/_test/organizers-only").get_data(as_text=True)
    assert "isn&#39;t available to you" in page
