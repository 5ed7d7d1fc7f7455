"""Simulated members for `bench.load`: each logs in once through the real form, then browses as a
person would, with 1–3 s of think time between pages: home, their group, an activity they are
invited to, their profile, then answers that activity (POST with the page's CSRF token) and sees
the page the answer leads back to.

Run by `python -m bench.load`, which seeds the members and sets LOAD_MEMBERS to a JSON file:
{"password": ..., "members": [{"email", "name", "group_id", "group_name", "activity_ids", "address"}]}.
Each simulated member is a different real member (in order), so 200 users are 200 people, each
with the session, CSRF token and address of their own browser.

Every response is checked for what that person should see (their name, their group, the activity's
form), and redirects are not followed silently: a page that bounced to the login form, a 4xx or a
5xx all count as errors.
"""
from __future__ import annotations

import itertools
import json
import os
import random
import re

import gevent
from locust import FastHttpUser, between, task

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
ANSWERS = ("going", "going", "maybe", "not_going")  # "going" twice: seats fill and the waitlist moves

with open(os.environ["LOAD_MEMBERS"]) as fh:
    _SEED = json.load(fh)
PASSWORD = _SEED["password"]
_next_member = itertools.count()


class Member(FastHttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.me = _SEED["members"][next(_next_member) % len(_SEED["members"])]
        # As nginx (README's configuration) talks to the app: the member's own address passed on
        # (TRUSTED_PROXIES=1), so per-address limits count per person, and a new connection for each
        # request (nginx speaks HTTP/1.0 to its upstream unless told otherwise). Reusing connections
        # instead would race gunicorn closing them after its 2 s keep-alive, mid think time.
        self.headers = {"X-Forwarded-For": self.me["address"], "Connection": "close"}
        self.rng = random.Random(self.me["email"])
        # locust starts each second's new users at the same instant (-r 20: twenty at once); people
        # arrive spread over that second.
        gevent.sleep(self.rng.random())
        self.login()

    def login(self):
        with self.client.get("/login", name="login form", headers=self.headers, catch_response=True,
                             allow_redirects=False) as resp:
            token = _token(resp)
        form = {"csrf_token": token, "email": self.me["email"], "password": PASSWORD}
        with self.client.post("/login", name="log in (POST)", data=form, headers=self.headers, catch_response=True,
                              allow_redirects=False) as resp:
            _expect_redirect(resp, "/home")

    def page(self, path: str, name: str, must_contain: str):
        with self.client.get(path, name=name, headers=self.headers, catch_response=True,
                             allow_redirects=False) as resp:
            if resp.status_code != 200:
                resp.failure(f"{resp.status_code} {resp.headers.get('Location', '') if resp.headers else ''}")
            elif must_contain not in (resp.text or ""):
                resp.failure(f"page without {must_contain!r}")
            return resp.text or ""

    @task
    def visit(self):
        me = self.me
        self.page("/home", "home", f"Hi, {_html(me['name'])}")
        self.wait()
        self.page(f"/groups/{me['group_id']}", "group page", f"<h1>{_html(me['group_name'])}</h1>")
        self.wait()
        activity_id = self.rng.choice(me["activity_ids"])
        rsvp_path = f"/activities/{activity_id}/rsvp"
        html = self.page(f"/activities/{activity_id}", "activity page", f'action="{rsvp_path}"')
        self.wait()
        self.page("/profile", "profile", "<h1>Your profile</h1>")
        self.wait()
        match = CSRF_RE.search(html)
        if match is None:
            return  # the activity page already counted as an error
        form = {"csrf_token": match.group(1), "answer": self.rng.choice(ANSWERS)}
        with self.client.post(rsvp_path, name="RSVP (POST)", data=form, headers=self.headers, catch_response=True,
                              allow_redirects=False) as resp:
            _expect_redirect(resp, f"/activities/{activity_id}")
        # The browser follows the redirect: the activity page with what happened, in words.
        self.page(f"/activities/{activity_id}", "activity page after RSVP", 'class="flash flash-success"')


def _token(resp) -> str:
    match = CSRF_RE.search(resp.text or "") if resp.status_code == 200 else None
    if match is None:
        resp.failure(f"no CSRF token (status {resp.status_code})")
        return ""
    return match.group(1)


def _expect_redirect(resp, target: str) -> None:
    location = (resp.headers.get("Location") or "") if resp.headers else ""
    if resp.status_code != 302 or not location.endswith(target):
        resp.failure(f"expected a redirect to {target}, got {resp.status_code} {location}".strip())


def _html(text: str) -> str:
    """As Jinja escapes it in the page."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))
