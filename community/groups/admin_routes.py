"""Admins' group pages: every group at a glance, forming one by hand, adding and removing members.

For circles that start outside matching. Unknown emails are named back to the admin and nothing is
saved until every one of them is found.
"""
from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from community.auth.roles import role_required
from community.auth.services import find_user
from community.extensions import db
from community.groups import bp, services
from community.groups.forms import (
    ActionForm,
    AddMemberForm,
    AssignModeratorForm,
    CreateGroupForm,
    split_emails,
)
from community.groups.view import ORIGIN_LABELS, area_label, me, mode_label, slot_labels
from community.models import User
from community.models.group import Group
from community.moderation import assignments
from community.moderation.review import ReviewError


def _groups_page(form: CreateGroupForm, status: int = 200):
    groups = list(db.session.scalars(select(Group).order_by(Group.created_at.desc(), Group.id.desc())))
    return render_template(
        "groups/admin_groups.html",
        groups=groups,
        form=form,
        mode_label=mode_label,
        origin_labels=ORIGIN_LABELS,
    ), status


def _detail_page(group: Group, form: AddMemberForm | None = None, status: int = 200,
                 moderator_form: AssignModeratorForm | None = None):
    return render_template(
        "groups/admin_group.html",
        group=group,
        form=form or AddMemberForm(),
        remove_form=ActionForm(),
        moderator_form=moderator_form or AssignModeratorForm(formdata=None),
        moderators=assignments.moderators_of(group),
        mode=mode_label(group.mode),
        area=area_label(group.neighbourhood),
        times=slot_labels(group.common_slots),
        origin_labels=ORIGIN_LABELS,
    ), status


def _find_all(emails: list[str]) -> tuple[list[User], list[str]]:
    """The accounts for these emails (each once), and the emails no account has."""
    users, unknown, seen = [], [], set()
    for email in emails:
        user = find_user(email)
        if user is None:
            unknown.append(email)
        elif user.id not in seen:
            seen.add(user.id)
            users.append(user)
    return users, unknown


@bp.route("/admin/groups", methods=["GET", "POST"])
@role_required("admin")
def admin_groups():
    form = CreateGroupForm()
    if form.validate_on_submit():
        users, unknown = _find_all(split_emails(form.members.data))
        if unknown:
            form.members.errors.append(
                "We couldn't find an account for: " + ", ".join(unknown) + ". Nothing was saved."
            )
            return _groups_page(form, 400)
        try:
            group = services.create_group(
                form.name.data.strip(), form.mode.data, users, me(), neighbourhood=form.neighbourhood.data or None
            )
        except services.GroupError as exc:
            db.session.rollback()
            form.members.errors.append(str(exc))
            return _groups_page(form, 409)
        flash(f"Created {group.name} with {group.size} members.", "success")
        return redirect(url_for("groups.admin_group", group_id=group.id))
    return _groups_page(form, 400 if form.errors else 200)


def _group_or_404(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None:
        abort(404)
    return group


@bp.route("/admin/groups/<int:group_id>")
@role_required("admin")
def admin_group(group_id: int):
    return _detail_page(_group_or_404(group_id))


@bp.route("/admin/groups/<int:group_id>/members", methods=["POST"])
@role_required("admin")
def admin_add_member(group_id: int):
    group = _group_or_404(group_id)
    form = AddMemberForm()
    if not form.validate_on_submit():
        return _detail_page(group, form, 400)
    user = find_user(form.email.data)
    if user is None:
        form.email.errors.append(f"We couldn't find an account for {form.email.data}. Nothing was changed.")
        return _detail_page(group, form, 400)
    try:
        services.add_member(group, user, by=me())
    except services.GroupError as exc:
        db.session.rollback()
        form.email.errors.append(str(exc))
        return _detail_page(_group_or_404(group_id), form, 409)
    flash(f"Added {user.display_name} to {group.name}.", "success")
    return redirect(url_for("groups.admin_group", group_id=group.id))


@bp.route("/admin/groups/<int:group_id>/members/<int:user_id>/remove", methods=["POST"])
@role_required("admin")
def admin_remove_member(group_id: int, user_id: int):
    group = _group_or_404(group_id)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    form = ActionForm()
    if not form.validate_on_submit():
        flash("This page had been open a while, so nothing was changed. Please press Remove again.", "info")
        return _detail_page(group, status=400)
    try:
        services.remove_member(group, user, by=me())
    except services.GroupError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _detail_page(_group_or_404(group_id), status=409)
    flash(f"Removed {user.display_name} from {group.name}.", "success")
    return redirect(url_for("groups.admin_group", group_id=group.id))


@bp.route("/admin/groups/<int:group_id>/moderators", methods=["POST"])
@role_required("admin")
def admin_assign_moderator(group_id: int):
    group = _group_or_404(group_id)
    form = AssignModeratorForm()
    if not form.validate_on_submit():
        return _detail_page(group, status=400, moderator_form=form)
    user = find_user(form.moderator_email.data)
    try:
        assignments.assign(group, user, me())
    except ReviewError as exc:
        db.session.rollback()
        form.moderator_email.errors.append(str(exc))
        return _detail_page(_group_or_404(group_id), status=409, moderator_form=form)
    flash(f"{user.display_name} now looks after {group.name}.", "success")
    return redirect(url_for("groups.admin_group", group_id=group.id))


@bp.route("/admin/groups/<int:group_id>/moderators/<int:user_id>/remove", methods=["POST"])
@role_required("admin")
def admin_unassign_moderator(group_id: int, user_id: int):
    group = _group_or_404(group_id)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        flash("This page had been open a while, so nothing was changed. Please press the button again.", "info")
        return _detail_page(group, status=400)
    if assignments.unassign(group, user, me()):
        flash(f"{user.display_name} no longer looks after {group.name}.", "success")
    return redirect(url_for("groups.admin_group", group_id=group.id))
