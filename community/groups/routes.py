"""A member's side of groups: the group page, browsing and joining, leaving, and 'not for me'.

Views only translate: they call groups.services and turn a GroupError into a kind message with a
4xx status. A group page is 404 for anyone who isn't in the group (or an organizer), so its
existence isn't revealed.
"""
from functools import wraps

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from community.activities.services import next_for_group
from community.extensions import db
from community.groups import bp, services
from community.groups.forms import ActionForm, NotForMeForm
from community.groups.options import NOT_FOR_ME
from community.groups.view import (
    active_membership,
    area_label,
    can_see,
    me,
    member_cards,
    mode_label,
    slot_labels,
)
from community.models.group import Group, Membership
from community.moderation.blocks import blocked_ids


def onboarded_required(view):
    """Browsing and joining use the member's profile, so send them to finish it first."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_onboarded:
            flash("Once your profile is set up, we can show you groups that fit you.", "info")
            return redirect(url_for("profiles.onboarding"))
        return view(*args, **kwargs)

    return wrapped


def _visible_group(group_id: int) -> tuple[Group, Membership | None]:
    """The group and the viewer's membership of it (None for organizers and admins looking in)."""
    group = db.session.get(Group, group_id)
    membership = active_membership(current_user, group) if group is not None else None
    if group is None or (membership is None and not can_see(current_user, group)):
        abort(404)
    return group, membership


def _my_group(group_id: int) -> Group:
    """Leaving and 'not for me' are for the group's own members only."""
    group = db.session.get(Group, group_id)
    if group is None or active_membership(current_user, group) is None:
        abort(404)
    return group


@bp.route("/groups/<int:group_id>")
@login_required
def group(group_id: int):
    group, membership = _visible_group(group_id)
    if membership is not None and membership.seen_at is None:
        services.mark_seen(me(), group)
    return render_template(
        "groups/group.html",
        group=group,
        is_member=membership is not None,
        members=member_cards(group),
        times=slot_labels(group.common_slots),
        mode=mode_label(group.mode),
        area=area_label(group.neighbourhood),
        next_activity=next_for_group(group),
        blocked_ids=blocked_ids(current_user),
    )


@bp.route("/groups/<int:group_id>/leave", methods=["GET", "POST"])
@login_required
def leave(group_id: int):
    group = _my_group(group_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            services.leave_group(me(), group)
        except services.GroupError as exc:
            flash(str(exc), "error")
            return render_template("groups/leave.html", group=group, form=form), 409
        flash(f"You've left {group.name}. That's completely okay. You can browse for another group, "
              "or we'll match you again on the next run.", "success")
        return redirect(url_for("pages.home"))
    return render_template("groups/leave.html", group=group, form=form), 400 if form.errors else 200


@bp.route("/groups/<int:group_id>/not-for-me", methods=["GET", "POST"])
@login_required
def not_for_me(group_id: int):
    group = _my_group(group_id)
    form = NotForMeForm()
    if form.validate_on_submit():
        try:
            services.decline_group(me(), group, form.reasons.data or [], (form.note.data or "").strip())
        except services.GroupError as exc:
            flash(str(exc), "error")
            return render_template("groups/not_for_me.html", group=group, form=form, options=NOT_FOR_ME), 409
        return redirect(url_for("groups.not_for_me_done"))
    return render_template(
        "groups/not_for_me.html", group=group, form=form, options=NOT_FOR_ME
    ), 400 if form.errors else 200


@bp.route("/groups/not-for-me/thanks")
@login_required
def not_for_me_done():
    return render_template("groups/not_for_me_done.html")


def _suggestion_rows(suggestions) -> list[dict]:
    """What a browsing member may see of a group: its focus, never who is in it."""
    rows = []
    for suggestion in suggestions:
        group = suggestion.group
        rows.append({
            "group": group,
            "shared_interests": list(suggestion.shared_interests or group.shared_interests or []),
            "times": slot_labels(suggestion.common_slots or group.common_slots),
            "mode": mode_label(group.mode),
            "area": suggestion.area_name if group.mode == "in_person" else None,
            "seats_left": max(group.capacity - group.size, 0),
            "next_activity": suggestion.next_activity,  # None until activities exist
        })
    return rows


def _browse_page(status: int = 200):
    rows = _suggestion_rows(services.open_groups_for(me()))
    return render_template("groups/browse.html", rows=rows, form=ActionForm()), status


@bp.route("/groups/browse")
@onboarded_required
def browse():
    return _browse_page()


@bp.route("/groups/<int:group_id>/join", methods=["POST"])
@onboarded_required
def join(group_id: int):
    group = db.session.get(Group, group_id)
    if group is None:
        abort(404)
    form = ActionForm()
    if not form.validate_on_submit():
        flash("This page had been open a while, so for your safety nothing happened yet. "
              "Please press Join again.", "info")
        return _browse_page(400)
    try:
        services.join_group(me(), group)
    except services.GroupError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _browse_page(409)
    flash(f"Welcome to {group.name}! We've let the group know you're coming.", "success")
    return redirect(url_for("groups.group", group_id=group.id))
