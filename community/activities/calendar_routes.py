"""Calendar downloads and the member's private feed. The feed address works without logging in
(calendar apps can't log in), so it is a long random token the member can replace or turn off."""
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from community.activities import bp, rsvp
from community.activities import calendar as ics
from community.activities.access import invited
from community.activities.forms import ActionForm
from community.extensions import db, limiter
from community.groups.view import me
from community.models.activity import Activity


def _ics(body: bytes, filename: str, disposition: str = "attachment") -> Response:
    response = Response(body, mimetype="text/calendar")  # Flask adds "; charset=utf-8"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # Addresses and join links are in here: keep them out of shared caches and search engines.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/activities/<int:activity_id>/calendar.ics")
@login_required
def activity_ics(activity_id: int):
    activity = db.session.get(Activity, activity_id)
    if activity is None or not invited(me(), activity):
        abort(404)
    mine = rsvp.answer_of(me(), activity)
    going = {activity.id} if mine is not None and mine.status == "going" else set()
    body = ics.calendar_for([activity], show_address_for=going, name=activity.title)
    return _ics(body, ics.filename_for(activity))


def _feed_url(token: str) -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + url_for("activities.feed", token=token)


def _page(form: ActionForm | None = None, status: int = 200):
    feed = ics.feed_of(me())
    url = _feed_url(feed.token) if feed else None
    webcal = "webcal://" + url.split("://", 1)[1] if url else None
    return render_template("activities/calendar.html", feed=feed, url=url, webcal=webcal,
                           form=form or ActionForm(formdata=None)), status


@bp.route("/calendar")
@login_required
def calendar():
    return _page()


@bp.route("/calendar/feed", methods=["POST"])
@login_required
@limiter.limit("20 per hour")
def make_feed():
    form = ActionForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    had_one = ics.feed_of(me()) is not None
    ics.new_feed(me())
    if had_one:
        flash("Done. Here's your new calendar address; the old one has stopped working. "
              "If a calendar app used the old one, add the new one there.", "success")
    else:
        flash("Your calendar address is ready. Add it to your calendar app whenever you like.", "success")
    return redirect(url_for("activities.calendar"))


@bp.route("/calendar/feed/revoke", methods=["POST"])
@login_required
def revoke_feed():
    form = ActionForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    if ics.revoke_feed(me()):
        flash("Your calendar address is turned off. Calendar apps will stop getting updates from it.", "success")
    return redirect(url_for("activities.calendar"))


@bp.route("/calendar/<token>.ics")
@limiter.limit("60 per hour", key_func=lambda: f"calendar-feed:{request.view_args.get('token', '')}")
def feed(token: str):
    """No login: the token is the key. Limited per feed, not per address, because one calendar
    service fetches many members' feeds from the same few addresses."""
    owner = ics.feed_owner(token)
    if owner is None:
        abort(404)
    return _ics(ics.feed_calendar(owner), "common-ground.ics", disposition="inline")
