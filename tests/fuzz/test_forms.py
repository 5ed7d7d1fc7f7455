"""Every form on every page, for everyone who can see it, sent random, oversized, wrongly typed and
hostile values (always with a valid CSRF token): never a 500, and a refused request (4xx) changes
nothing in the database.

Forms are found, not listed: every GET route is visited by every kind of visitor with the world's
ids filled in, and each <form method="post"> is read from the HTML. A new form is fuzzed the day it
appears; a new POST route no page shows a form for fails test_every_post_route_has_a_form."""
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import given, settings
from werkzeug.exceptions import HTTPException

from community import create_app
from tests.conftest import app_config
from tests.fuzz import payloads
from tests.fuzz import world as fuzz_world
from tests.fuzz.conftest import FUZZ_SETTINGS, ROLES, new_address
from tests.fuzz.html_forms import post_forms


def _post_endpoints() -> list[str]:
    app = create_app(app_config("sqlite://"))
    return sorted({rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods})


POST_ENDPOINTS = _post_endpoints()


def endpoint_of(app, path: str) -> str | None:
    parts = urlsplit(path)
    try:
        endpoint, _ = app.url_map.bind("localhost").match(parts.path, method="POST", query_args=parts.query)
    except HTTPException:
        return None
    return endpoint


@pytest.fixture(scope="module")
def forms(fuzz_app, world, visitors, guard) -> dict[str, list[tuple[str, str, object]]]:
    """endpoint -> [(role, page, form)]: each distinct form (by the names it sends) once, for the
    first kind of visitor whose pages show it."""
    with fuzz_app.app_context():
        pages, _ = fuzz_world.page_urls(fuzz_app)
    found, seen = {}, set()
    for role in ROLES:
        client, _, _ = visitors[role].browser()
        for page in pages:
            response = client.get(page)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            for form in post_forms(response.get_data(as_text=True), page):
                endpoint = endpoint_of(fuzz_app, form.action)
                key = (endpoint, form.signature())
                if key not in seen:
                    seen.add(key)
                    found.setdefault(endpoint, []).append((role, page, form))
    guard.save_world()  # the visits wrote audit rows and marked notifications read
    return found


@pytest.fixture(scope="module")
def known_values(forms) -> dict[str, str]:
    """A value some page filled in for each field name (an edit form's), to lend to empty fields."""
    found = {}
    for cases in forms.values():
        for _, _, form in cases:
            for field in form.fields.values():
                if field.default.strip() and field.kind not in {"hidden", "password"}:
                    found.setdefault(field.name, field.default)
    return found


def test_every_page_is_visited(fuzz_app, world):
    with fuzz_app.app_context():
        _, unknown = fuzz_world.page_urls(fuzz_app)
    assert not unknown, f"say in tests/fuzz/world.py PARAM_SOURCES where these pages' ids come from: {unknown}"


def test_every_post_route_has_a_form(forms):
    """Every POST route is reached through a form some page shows, so every one is fuzzed."""
    missing = [endpoint for endpoint in POST_ENDPOINTS if endpoint not in forms]
    assert not missing, ("no page in the fuzz world shows a form that posts to these; add the state that "
                         f"makes one appear to tests/fuzz/world.py: {missing}")
    assert None not in forms, f"forms post to addresses that aren't routes: {[f.action for _, _, f in forms[None]]}"


def _body(pairs, token: str) -> bytes:
    encoded = [(name, value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass"))
               for name, value in pairs]
    return urlencode(encoded + [("csrf_token", token)]).encode("ascii")


def _local(location: str) -> str | None:
    parts = urlsplit(location)
    if parts.netloc not in ("", "localhost"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def fuzz(form, visitor, guard, report, label: str, known: dict) -> None:
    @settings(FUZZ_SETTINGS)
    @given(payloads.submissions(form, known, fuzz_world.EMAIL.values()))
    def send(pairs):
        client, token, started = visitor.browser()
        guard.start(fresh=started)
        problem = None
        try:
            response = client.post(form.action, data=_body(pairs, token),
                                   content_type="application/x-www-form-urlencoded", environ_base=new_address())
            status = response.status_code
            if 300 <= status < 400 and _local(response.headers.get("Location", "")):
                # Where the browser goes next shows what was just saved: that page mustn't fail either.
                shown = client.get(_local(response.headers["Location"]), environ_base=new_address())
                if shown.status_code >= 500:
                    problem = f"the page it redirected to, {response.headers['Location']}, answered {shown.status_code}"
        except Exception as exc:  # Flask re-raises in tests what would have been a 500
            status, problem = 500, f"raised {type(exc).__name__}: {exc}"
        changed, unexpected = guard.finish()  # the world is back as it was before any assertion below
        report.count(label, "error" if status >= 500 else f"{status}")
        if "sign_in_sessions" in changed:
            visitor.sign_in_again_if_signed_out()
            guard.before = None  # signing in again writes too
        assert problem is None and status < 500, f"POST {form.action} as {visitor.role}: {problem or status}"
        assert not (400 <= status < 500 and unexpected), (
            f"POST {form.action} as {visitor.role} was refused ({status}) yet changed {unexpected}")

    send()


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_form(endpoint, forms, visitors, guard, fuzz_report, known_values):
    if endpoint not in forms:
        pytest.skip("no page shows a form for it (test_every_post_route_has_a_form says so)")
    failures = []
    for role, page, form in forms[endpoint]:
        label = f"{endpoint} ({', '.join(sorted(form.fields)) or 'no fields'}) as {role}"
        try:
            fuzz(form, visitors[role], guard, fuzz_report, f"form {endpoint} as {role}", known_values)
        except Exception as exc:
            notes = "\n".join(getattr(exc, "__notes__", []))
            failures.append(f"{label}, found on {page}:\n{exc}\n{notes}")
    assert not failures, "\n\n".join(failures)
