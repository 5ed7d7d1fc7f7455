"""Question rounds over HTTP: the round page (start one, end one), the no-JavaScript Pass button,
and agreeing on the weekly time. Views only translate: rounds.py and round_schedule.py do the work
and raise RoundError, which becomes a kind message and a 409.

Who sees what: the group's members, organizers and admins (as on the group page), and moderators
assigned to the group; anyone else gets a 404. Starting and ending: organizers, admins and the
group's moderators. Passing: the member whose turn it is. Proposing and agreeing: members.
"""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from community.extensions import db
from community.groups.view import can_see
from community.journey import bp, round_schedule, rounds
from community.journey.round_forms import ActionForm, ScheduleForm, StartRoundForm
from community.models import Group


def _group(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None or not (can_see(current_user, group) or rounds.may_lead(current_user, group.id)):
        abort(404)
    return group


def _is_member(group: Group) -> bool:
    return current_user.id in rounds.active_member_ids(group.id)


@bp.app_template_global()
def round_panel(group: Group) -> dict:
    """What the group page's question-round card shows this viewer (templates/journey/_round.html)."""
    member = _is_member(group)
    return {
        "group": group,
        "state": rounds.state(group.id),
        "is_member": member,
        "may_lead": rounds.may_lead(current_user, group.id),
        "agreement": round_schedule.agreement(group.id, current_user.id),
        "action_form": ActionForm(),
        "schedule_form": ScheduleForm(prefix="schedule") if member else None,
    }


def _page(group: Group, status: int = 200, form: StartRoundForm | None = None, schedule_form=None):
    suggestions = round_schedule.suggestions(group)
    if form is None:
        form = StartRoundForm(data={"question": suggestions[0]})
    panel = round_panel(group)
    if schedule_form is not None:
        panel["schedule_form"] = schedule_form
    return render_template("journey/rounds.html", group=group, panel=panel, form=form,
                           suggestions=suggestions, on_round_page=True), status


@bp.route("/groups/<int:group_id>/rounds")
@login_required
def group_rounds(group_id: int):
    return _page(_group(group_id))


@bp.route("/groups/<int:group_id>/rounds", methods=["POST"])
@login_required
def start_round(group_id: int):
    group = _group(group_id)
    if not rounds.may_lead(current_user, group.id):
        abort(403)
    form = StartRoundForm()
    if not form.validate_on_submit():
        return _page(group, 400, form)
    try:
        rounds.start(group, form.question.data, current_user._get_current_object())
    except rounds.RoundError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _page(group, 409, form)
    db.session.commit()
    flash("The round has started. The first person has been invited in the chat.", "success")
    return redirect(url_for("journey.group_rounds", group_id=group.id))


@bp.route("/groups/<int:group_id>/rounds/pass", methods=["POST"])
@login_required
def pass_round_turn(group_id: int):
    group = _group(group_id)
    if not _is_member(group):
        abort(404)  # only a member can have a turn
    if not ActionForm().validate_on_submit():
        return _page(group, 400)
    try:
        rounds.pass_turn(group.id, current_user.id)
    except rounds.RoundError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _page(group, 409)
    db.session.commit()
    flash("That's fine. The next person has been invited.", "success")
    return redirect(url_for("groups.group", group_id=group.id, _anchor="group-round"))


@bp.route("/groups/<int:group_id>/rounds/end", methods=["POST"])
@login_required
def end_round(group_id: int):
    group = _group(group_id)
    if not rounds.may_lead(current_user, group.id):
        abort(403)
    if not ActionForm().validate_on_submit():
        return _page(group, 400)
    try:
        rounds.end(group.id, current_user._get_current_object())
    except rounds.RoundError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _page(group, 409)
    db.session.commit()
    flash("The round has ended, with a thank-you to everyone in the chat.", "success")
    return redirect(url_for("journey.group_rounds", group_id=group.id))


def _member_group(group_id: int) -> Group:
    group = _group(group_id)
    if not _is_member(group):
        abort(403)  # they can see the group, but the weekly time is for its members to agree
    return group


def _back_to_group(group: Group, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("groups.group", group_id=group.id, _anchor="round-schedule"))


@bp.route("/groups/<int:group_id>/rounds/schedule", methods=["POST"])
@login_required
def propose_round_schedule(group_id: int):
    group = _member_group(group_id)
    form = ScheduleForm(prefix="schedule")
    if not form.validate_on_submit():
        return _page(group, 400, schedule_form=form)
    try:
        round_schedule.propose(group.id, current_user._get_current_object(), int(form.weekday.data),
                               int(form.hour.data))
    except rounds.RoundError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _page(group, 409, schedule_form=form)
    return _back_to_group(group, "Thanks. Your group can now see the time you proposed and agree to it.")


@bp.route("/groups/<int:group_id>/rounds/schedule/agree", methods=["POST"])
@login_required
def agree_round_schedule(group_id: int):
    group = _member_group(group_id)
    if not ActionForm().validate_on_submit():
        return _page(group, 400)
    try:
        round_schedule.agree(group.id, current_user._get_current_object())
    except rounds.RoundError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _page(group, 409)
    return _back_to_group(group, "Thanks, you've agreed to the weekly time.")


@bp.route("/groups/<int:group_id>/rounds/schedule/withdraw", methods=["POST"])
@login_required
def withdraw_round_schedule(group_id: int):
    group = _member_group(group_id)
    if not ActionForm().validate_on_submit():
        return _page(group, 400)
    taken_back = round_schedule.withdraw(group.id, current_user._get_current_object())
    return _back_to_group(group, "Done: you no longer agree to the weekly time." if taken_back
                          else "You hadn't agreed to the weekly time, so nothing changed.")
