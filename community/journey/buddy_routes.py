"""Arrive with a buddy, on the activity's page: opt in, or change one's mind. One-button forms that
go back to the activity with a message, like the RSVP's "I can't make it"."""
from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from community.activities.routes import activity_or_404
from community.extensions import db, limiter
from community.groups.forms import ActionForm
from community.groups.view import me
from community.journey import bp, buddies

STALE_FORM = "This page had been open a while, so nothing was changed. Please press the button again."


@bp.app_template_global("buddy_state")
def buddy_state(activity):
    """What the activity page shows the signed-in member about walking in together (None: nothing)."""
    if not current_user.is_authenticated:
        return None
    return buddies.state_for(me(), activity)


@bp.app_template_global("buddy_form")
def buddy_form() -> ActionForm:
    return ActionForm(formdata=None)


def _back(activity_id: int):
    return redirect(url_for("activities.activity", activity_id=activity_id))


@bp.route("/activities/<int:activity_id>/buddy", methods=["POST"])
@login_required
@limiter.limit("30 per hour")
def buddy_opt_in(activity_id: int):
    found = activity_or_404(activity_id)
    if not ActionForm().validate_on_submit():
        flash(STALE_FORM, "info")
        return _back(found.id)
    try:
        buddy = buddies.opt_in(me(), found)
    except buddies.BuddyError as exc:
        db.session.rollback()
        flash(str(exc), "info")
        return _back(found.id)
    if buddy is None:
        flash("Thanks. We'll let you know if someone from your group would like to walk in together too.",
              "success")
    else:
        flash(f"You're meeting {buddies.first_name(buddy)} {buddies.meeting_point(found)}, to walk in together. "
              "We've told them too.", "success")
    return _back(found.id)


@bp.route("/activities/<int:activity_id>/buddy/withdraw", methods=["POST"])
@login_required
@limiter.limit("30 per hour")
def buddy_withdraw(activity_id: int):
    """No questions, no guilt; a buddy is told kindly and we look for someone else for them."""
    found = activity_or_404(activity_id)
    if not ActionForm().validate_on_submit():
        flash(STALE_FORM, "info")
        return _back(found.id)
    if buddies.withdraw(me(), found):
        flash("Done. You'll find your own way in; that's completely fine.", "success")
    else:
        flash("You hadn't asked to walk in with anyone, so there was nothing to change.", "info")
    return _back(found.id)
