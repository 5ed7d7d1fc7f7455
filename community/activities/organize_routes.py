"""Organizers' activity pages: schedule (once or as a series, or from a suggestion), edit or
cancel one date, see who's going and the waitlist, and mark attendance afterwards."""
from datetime import time, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from community.activities import bp, rsvp, services, suggestions, times
from community.activities.forms import ActivityForm, AttendanceForm, CancelForm, EditActivityForm
from community.activities.services import ActivityError, Plan
from community.auth.roles import role_required
from community.extensions import db
from community.groups.view import me
from community.ids import parse_id
from community.models import Group
from community.models.activity import Activity, Rsvp

PLAN_FIELDS = ("title", "focus", "description", "format", "join_url", "venue", "neighbourhood", "address",
               "agenda", "noise", "seating", "getting_there", "arrival")


def _group_choices(form: ActivityForm) -> None:
    form.groups.choices = [(g.id, g.name) for g in db.session.scalars(select(Group).order_by(Group.name))]


def _step_free(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def plan_from_form(form: ActivityForm) -> Plan:
    values = {name: form[name].data or ("" if name in ("description", "agenda") else None) for name in PLAN_FIELDS}
    for name in ("noise", "seating", "getting_there", "arrival"):
        values[name] = values[name] or ""
    return Plan(**values, day=form.day.data, start=form.start.data, end=form.end.data, capacity=form.capacity.data,
                comfort_step=int(form.comfort_step.data), group_ids=list(form.groups.data or []),
                open_to_all=bool(form.open_to_all.data), step_free=_step_free(form.step_free.data),
                repeat=form.repeat.data or None, until=form.until.data, occurrences=form.occurrences.data)


def _prefill(form: ActivityForm) -> None:
    """From a suggestion: /organize/activities/new?group=ID&idea=N."""
    group = db.session.get(Group, parse_id(request.args.get("group", "")) or 0)
    if group is None:
        return
    form.groups.data = [group.id]
    ideas = suggestions.ideas_for(group, _steps(group))
    index = request.args.get("idea", type=int)
    if index is None or not 0 <= index < len(ideas):
        return
    # A week from today at 7 pm, as a starting point the organizer changes to suit the group.
    plan = suggestions.plan_from(ideas[index], group, times.local(services.utcnow()).date() + timedelta(days=7),
                                 time(19, 0))
    for name in PLAN_FIELDS:
        if getattr(plan, name, None):
            form[name].data = getattr(plan, name)
    form.capacity.data, form.comfort_step.data = plan.capacity, str(plan.comfort_step)
    form.day.data, form.start.data, form.end.data = plan.day, plan.start, plan.end


def _steps(group: Group) -> list[int]:
    return [m.user.profile.comfort_step for m in group.active_memberships
            if m.user.profile is not None and m.user.profile.comfort_step]


@bp.route("/organize/activities")
@role_required("organizer")
def organize():
    now = services.utcnow()
    ahead = list(db.session.scalars(select(Activity).where(Activity.ends_at > now).order_by(Activity.starts_at)))
    past = list(db.session.scalars(select(Activity).where(Activity.ends_at <= now)
                                   .order_by(Activity.starts_at.desc()).limit(20)))
    groups = list(db.session.scalars(select(Group).order_by(Group.name)))
    counted = db.session.execute(select(Rsvp.activity_id, func.count(Rsvp.id)).where(
        Rsvp.status == "going", Rsvp.activity_id.in_([a.id for a in ahead + past])).group_by(Rsvp.activity_id))
    going = dict(counted.all())
    return render_template("activities/organize.html", ahead=ahead, past=past, groups=groups,
                           going={a.id: going.get(a.id, 0) for a in ahead + past})


@bp.route("/organize/groups/<int:group_id>/suggestions")
@role_required("organizer")
def group_suggestions(group_id: int):
    group = db.session.get(Group, group_id)
    if group is None:
        abort(404)
    return render_template("activities/suggestions.html", group=group, ideas=suggestions.ideas_for(group, _steps(group)))


@bp.route("/organize/activities/new", methods=["GET", "POST"])
@role_required("organizer")
def new_activity():
    form = ActivityForm()
    _group_choices(form)
    if request.method == "GET":
        _prefill(form)
    elif form.validate_on_submit():
        try:
            made = services.schedule(plan_from_form(form), me())
        except ActivityError as exc:
            db.session.rollback()
            form.title.errors.append(str(exc))
        else:
            flash(f"Scheduled {len(made)} date{'s' if len(made) != 1 else ''}. The invited members have a note.",
                  "success")
            return redirect(url_for("activities.organize_activity", activity_id=made[0].id))
    return render_template("activities/edit.html", form=form, activity=None), 400 if form.errors else 200


def _activity_or_404(activity_id: int) -> Activity:
    found = db.session.get(Activity, activity_id)
    if found is None:
        abort(404)
    return found


@bp.route("/organize/activities/<int:activity_id>")
@role_required("organizer")
def organize_activity(activity_id: int):
    found = _activity_or_404(activity_id)
    answers = list(db.session.scalars(select(Rsvp).where(Rsvp.activity_id == found.id)
                                      .options(selectinload(Rsvp.user)).order_by(Rsvp.updated_at)))
    attendance = AttendanceForm(formdata=None)
    attendance.came.choices = [(r.user_id, r.user.display_name) for r in answers if r.status == "going"]
    attendance.came.data = [r.user_id for r in answers if r.attended]
    return render_template("activities/organize_activity.html", activity=found, answers=answers,
                           waitlist=rsvp.waitlist(found.id), cancel_form=CancelForm(formdata=None),
                           attendance_form=attendance, now=services.utcnow())


@bp.route("/organize/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@role_required("organizer")
def edit_activity(activity_id: int):
    found = _activity_or_404(activity_id)
    form = EditActivityForm(obj=None if request.method == "POST" else found)
    if request.method == "GET":
        start, end = times.local(found.starts_at), times.local(found.ends_at)
        form.day.data, form.start.data, form.end.data = start.date(), start.time(), end.time()
        form.comfort_step.data = str(found.comfort_step)
        form.step_free.data = {True: "yes", False: "no"}.get(found.step_free, "")
    elif form.validate_on_submit():
        changes = {name: form[name].data or ("" if name in ("description", "agenda", "noise", "seating",
                                                              "getting_there", "arrival") else None)
                   for name in PLAN_FIELDS}
        changes.update(capacity=form.capacity.data, comfort_step=int(form.comfort_step.data),
                       step_free=_step_free(form.step_free.data))
        try:
            changed = services.update(found, changes, me(), day=form.day.data, start=form.start.data,
                                      end=form.end.data)
        except ActivityError as exc:
            db.session.rollback()
            form.title.errors.append(str(exc))
        else:
            flash("Saved. Everyone who answered has been told what changed." if changed else "Nothing had changed.",
                  "success")
            return redirect(url_for("activities.organize_activity", activity_id=found.id))
    return render_template("activities/edit.html", form=form, activity=found), 400 if form.errors else 200


@bp.route("/organize/activities/<int:activity_id>/cancel", methods=["POST"])
@role_required("organizer")
def cancel_activity(activity_id: int):
    found = _activity_or_404(activity_id)
    form = CancelForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.cancel(found, me(), form.reason.data or "")
    except ActivityError as exc:
        db.session.rollback()
        flash(str(exc), "info")
    else:
        flash("Cancelled. Everyone who answered has been told.", "success")
    return redirect(url_for("activities.organize_activity", activity_id=found.id))


@bp.route("/organize/activities/<int:activity_id>/attendance", methods=["POST"])
@role_required("organizer")
def attendance(activity_id: int):
    found = _activity_or_404(activity_id)
    form = AttendanceForm()
    form.came.choices = [(r.user_id, r.user.display_name) for r in found.rsvps if r.status == "going" or r.attended]
    if not form.validate_on_submit():
        flash("Please tick who came from the list.", "info")
        return redirect(url_for("activities.organize_activity", activity_id=found.id))
    try:
        rsvp.mark_attendance(found, set(form.came.data or []), me())
    except rsvp.RsvpError as exc:
        db.session.rollback()
        flash(str(exc), "info")
    else:
        flash("Attendance saved. Thank you.", "success")
    return redirect(url_for("activities.organize_activity", activity_id=found.id))

