"""Onboarding (a few short steps, resumable) and the profile page."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from community.profiles import bp
from community.profiles.forms import (
    ONLINE_ONLY,
    ConsentForm,
    InterestsForm,
    PaceForm,
    PrivateForm,
    SharingForm,
    WhenForm,
    WhereForm,
)
from community.profiles.services import STEPS, next_step, save_step
from community.profiles.view import profile_summary

STEP_TITLES = {
    "interests": "What would you enjoy doing with others?",
    "where": "Where are you?",
    "when": "When are you usually free?",
    "pace": "How would you like to start?",
    "private": "What makes connecting hard? (optional, private)",
    "sharing": "How do you like to communicate? (optional)",
    "consent": "One last thing",
}


def _form_for(step: str, profile):
    """The step's form, filled from what the member saved before (on GET) or what they sent."""
    saved = {}
    if profile is not None and request.method == "GET":
        saved = {
            "interests": {"interests": profile.interests, "own_interests": ", ".join(profile.custom_interests)},
            "where": {"neighbourhood": ONLINE_ONLY if profile.online_only else profile.neighbourhood},
            "when": {"slots": profile.availability},
            "pace": {"format_preference": profile.format_preference, "comfort_step": profile.comfort_step},
            "private": {"barriers": profile.barriers},
            "sharing": {"communication_prefs": profile.communication_prefs,
                        "communication_note": profile.communication_note},
            "consent": {"understood": profile.consented_at is not None},
        }[step]
    if step == "pace":
        return PaceForm(data=saved or None, online_only=bool(profile and profile.online_only))
    form_class = {
        "interests": InterestsForm, "where": WhereForm, "when": WhenForm, "private": PrivateForm,
        "sharing": SharingForm, "consent": ConsentForm,
    }[step]
    return form_class(data=saved or None)


def _values(step: str, form) -> dict:
    if step == "interests":
        return {"interests": form.interests.data or [], "own_interests": form.own_interest_list()}
    return {name: field.data for name, field in form._fields.items() if name != "csrf_token"}


@bp.route("/welcome")
@login_required
def onboarding():
    step = next_step(current_user.profile)
    if step is None:
        return redirect(url_for("pages.home"))
    return redirect(url_for("profiles.step", step=step))


@bp.route("/welcome/<step>", methods=["GET", "POST"])
@login_required
def step(step: str):
    if step not in STEPS:
        abort(404)
    editing = request.args.get("from") == "profile"
    form = _form_for(step, current_user.profile)
    if form.validate_on_submit():
        profile = save_step(current_user, step, _values(step, form))
        if editing:
            flash("Saved.", "success")
            return redirect(url_for("profiles.profile") + f"#{step}")
        if request.form.get("action") == "later":
            flash("Saved. You can pick up where you left off any time.", "success")
            return redirect(url_for("pages.home"))
        upcoming = next_step(profile)
        if upcoming is None:
            flash("You're all set. Thank you for telling us about yourself.", "success")
            return redirect(url_for("pages.home"))
        return redirect(url_for("profiles.step", step=upcoming))
    return render_template(
        "profiles/step.html",
        form=form,
        step=step,
        steps=STEPS,
        step_titles=STEP_TITLES,
        editing=editing,
        position=STEPS.index(step) + 1,
    ), 400 if form.errors else 200


@bp.route("/profile")
@login_required
def profile():
    if current_user.profile is None:
        return redirect(url_for("profiles.onboarding"))
    return render_template(
        "profiles/profile.html",
        summary=profile_summary(current_user.profile),
        step_titles=STEP_TITLES,
        next_step=next_step(current_user.profile),
    )
