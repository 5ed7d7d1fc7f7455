"""Organizers' and admins' view of how the community is doing (aggregates only, never below five
people: journey/outcomes.py) and the one-click conversation starter for a quiet group."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from community.auth.roles import role_required
from community.extensions import db
from community.journey import bp, outcomes, starters
from community.journey.kanon import HIDDEN_NOTE, MIN_CONTRIBUTORS
from community.models import Group
from community.models.base import utcnow


class NudgeForm(FlaskForm):
    """Nothing to fill in: the button and its CSRF token."""


def _page():
    return render_template("journey/outcomes.html", outcomes=outcomes.everything(utcnow()),
                           nudge_form=NudgeForm(formdata=None), hidden_note=HIDDEN_NOTE, minimum=MIN_CONTRIBUTORS,
                           quiet_days=outcomes.QUIET_DAYS,
                           reply_hours=int(outcomes.REPLY_WINDOW.total_seconds() // 3600),
                           step_days=outcomes.STEP_WINDOW_DAYS, repeat_visits=outcomes.REPEAT_VISITS,
                           reciprocity_days=outcomes.RECIPROCITY_DAYS)


@bp.route("/organize/outcomes")
@role_required("organizer")
def outcomes_page():
    return _page()


@bp.route("/organize/groups/<int:group_id>/nudge", methods=["POST"])
@role_required("organizer")
def nudge(group_id: int):
    group = db.session.get(Group, group_id)
    if group is None:
        abort(404)
    if not NudgeForm().validate_on_submit():  # the token expired: the page again, nothing sent
        flash("This page was open for a while, so for safety nothing was sent. Please press the button again.",
              "info")
        return _page(), 400
    name = group.name
    try:
        starters.nudge(group, current_user.id, utcnow())
    except starters.NudgeDeclined as exc:
        flash(str(exc), "info")
    else:
        flash(f"A conversation starter is on its way to {name}'s chat.", "success")
    return redirect(url_for("journey.outcomes_page") + "#quiet-title")
