"""The journey page: the ladder with the member's own step, what they've done, one suggested next
step, moving their step either way, reciprocity tips on or off, and widening the circle. Plain
forms; everything works without JavaScript. Views only translate: the work is in progress.py,
suggestions.py, steps.py, tips.py and widening.py."""
from functools import wraps

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from community.activities import times
from community.extensions import db
from community.groups.view import me
from community.journey import bp, checkins
from community.journey.checkin_routes import trend_view
from community.journey.forms import StepForm, TipsForm
from community.journey.progress import day_label, progress_of, suggestion_input
from community.journey.steps import StepError, move_step, neighbour_step
from community.journey.suggestions import suggest
from community.journey.tips import tip_for_week, wants_tips
from community.journey.widening import widening_for
from community.models.base import utcnow

SAVED = "Saved. You can change this whenever you like."


def onboarded_required(view):
    """The journey is about the member's own profile and groups, so it needs a finished profile."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_onboarded:
            flash("Once your profile is set up, your journey page will be here for you.", "info")
            return redirect(url_for("profiles.onboarding"))
        return view(*args, **kwargs)

    return wrapped


def this_weeks_tip() -> str:
    return tip_for_week(times.local(utcnow()).date())


@bp.app_template_global("reciprocity_tip")
def reciprocity_tip() -> str | None:
    """This week's tip for the signed-in member if they asked for practice; else None."""
    if not current_user.is_authenticated or current_user.profile is None:
        return None
    profile = current_user.profile
    return this_weeks_tip() if wants_tips(profile.practice_tips, profile.barriers) else None


def _page(step_form: StepForm | None = None, tips_form: TipsForm | None = None, status: int = 200):
    user = me()
    progress = progress_of(user)
    profile = user.profile
    tips_on = wants_tips(profile.practice_tips, profile.barriers)
    return render_template(
        "journey/journey.html",
        progress=progress,
        first_message_day=day_label(progress.first_message_at) if progress.first_message_at else None,
        joined_days={m.id: day_label(m.joined_at) for m in progress.memberships},
        suggestion=suggest(suggestion_input(user, progress)),
        widening=widening_for(user),
        tips_on=tips_on,
        tip=this_weeks_tip() if tips_on else None,
        step_form=step_form or StepForm(formdata=None, step=str(progress.step)),
        tips_form=tips_form or TipsForm(formdata=None),
        check_in_due=checkins.due(user),
        trend=trend_view(checkins.history(user.id)),
    ), status


@bp.route("/journey")
@onboarded_required
def journey():
    return _page()


@bp.route("/journey/step", methods=["POST"])
@onboarded_required
def move():
    form = StepForm()
    if not form.validate_on_submit():
        return _page(step_form=form, status=400)
    current = current_user.profile.comfort_step or 1
    try:
        target = neighbour_step(current, form.move.data) if form.move.data else int(form.step.data)
        move_step(me(), target)
    except StepError as exc:
        db.session.rollback()
        form.move.errors = [str(exc)]
        return _page(step_form=form, status=400)
    flash(SAVED, "success")
    return redirect(url_for("journey.journey", _anchor="ladder"))


@bp.route("/journey/tips", methods=["POST"])
@onboarded_required
def tips():
    form = TipsForm()
    if not form.validate_on_submit():
        return _page(tips_form=form, status=400)
    current_user.profile.practice_tips = form.tips.data == "on"
    db.session.commit()
    flash("Tips are on. You'll see one short tip a week on your group page." if form.tips.data == "on"
          else "Tips are off. You can turn them back on here any time.", "success")
    return redirect(url_for("journey.journey", _anchor="tips"))
