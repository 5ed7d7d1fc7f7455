"""Members' activity pages: what's coming up for me, my answers, and each activity's page with
"what to expect" and the RSVP. Plain forms; everything works without JavaScript."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import login_required
from sqlalchemy import select

from community.activities import bp, rsvp, services, times
from community.activities.access import may_organize
from community.activities.forms import ActionForm, RsvpForm
from community.extensions import db, limiter
from community.groups.view import me
from community.models import User
from community.models.activity import Activity, Rsvp

ANSWER_WORDS = {"going": "going", "maybe": "maybe", "not_going": "can't go", "waitlist": "on the waitlist"}


@bp.app_context_processor
def activity_words():
    return {"answer_words": ANSWER_WORDS}


@bp.app_template_filter("local_span")
def local_span(activity: Activity) -> str:
    return times.span(activity.starts_at, activity.ends_at)


@bp.app_template_filter("local_when")
def local_when(moment) -> str:
    return times.when(moment)


def activity_or_404(activity_id: int) -> Activity:
    try:
        return services.viewable(me(), db.session.get(Activity, activity_id))
    except services.ActivityError:
        abort(404)


@bp.route("/activities")
@login_required
def upcoming():
    mine = services.my_answers(me())
    return render_template("activities/upcoming.html", activities=services.upcoming_for(me()), mine=mine,
                           answers={a.activity_id: a.status for a in mine})


def _first_names(activity: Activity) -> list[str]:
    # Only the names, in one query: this is on every activity page.
    going = db.session.scalars(select(User.display_name).join(Rsvp, Rsvp.user_id == User.id)
                               .where(Rsvp.activity_id == activity.id, Rsvp.status == "going")
                               .order_by(Rsvp.updated_at, Rsvp.id))
    return [name.split()[0] for name in going]


def _page(activity: Activity, form: RsvpForm | None = None, status: int = 200):
    mine = rsvp.answer_of(me(), activity)
    going = mine is not None and mine.status == "going"
    place = None
    if mine is not None and mine.status == "waitlist":
        place = [r.id for r in rsvp.waitlist(activity.id)].index(mine.id) + 1
    coming = _first_names(activity)  # everyone going, so also the count of seats taken
    return render_template(
        "activities/activity.html", activity=activity, mine=mine, going=going, place=place,
        coming=coming, seats_left=max(activity.capacity - len(coming), 0),
        form=form or RsvpForm(formdata=None, answer=mine.status if mine and mine.status != "waitlist" else None),
        drop_form=ActionForm(formdata=None), organizer=may_organize(me()), now=services.utcnow(),
        next_note=rsvp.next_date_note(activity),
    ), status


@bp.route("/activities/<int:activity_id>")
@login_required
def activity(activity_id: int):
    return _page(activity_or_404(activity_id))


@bp.route("/activities/<int:activity_id>/rsvp", methods=["POST"])
@login_required
@limiter.limit("60 per hour")
def answer(activity_id: int):
    found = activity_or_404(activity_id)
    form = RsvpForm()
    if not form.validate_on_submit():
        return _page(found, form, 400)
    try:
        result = rsvp.respond(me(), found, form.answer.data)
    except rsvp.RsvpError as exc:
        db.session.rollback()
        form.answer.errors.append(str(exc))
        return _page(found, form, 409)
    flash(result.message, "success")
    return redirect(url_for("activities.activity", activity_id=found.id))


@bp.route("/activities/<int:activity_id>/drop-out", methods=["POST"])
@login_required
def drop_out(activity_id: int):
    """One click, no questions, no guilt."""
    found = activity_or_404(activity_id)
    if not ActionForm().validate_on_submit():
        flash("This page had been open a while, so nothing was changed. Please press the button again.", "info")
        return redirect(url_for("activities.activity", activity_id=found.id))
    try:
        result = rsvp.respond(me(), found, "not_going")
    except rsvp.RsvpError as exc:
        db.session.rollback()
        flash(str(exc), "info")
        return redirect(url_for("activities.activity", activity_id=found.id))
    flash(result.message, "success")
    return redirect(url_for("activities.activity", activity_id=found.id))

