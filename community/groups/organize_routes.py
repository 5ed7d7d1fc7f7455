"""The organizers' matching page: run a preview, look it over, apply it; see every past run.

Only names, shared focus, times, fit and the members' own waitlist reasons are shown here; nothing
a member told us privately.
"""
from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from community.auth.roles import role_required
from community.extensions import db
from community.groups import bp, services
from community.groups.forms import ActionForm
from community.groups.view import me, proposal_view
from community.models.group import MatchRun

RUNS_SHOWN = 30


def _past_runs() -> list[MatchRun]:
    return list(db.session.scalars(select(MatchRun).order_by(MatchRun.id.desc()).limit(RUNS_SHOWN)))


def _matching_page(status: int = 200):
    return render_template("groups/matching.html", runs=_past_runs(), form=ActionForm()), status


def _run_page(run: MatchRun, status: int = 200):
    return render_template(
        "groups/run.html",
        run=run,
        proposal=proposal_view(run),
        form=ActionForm(),
    ), status


@bp.route("/organize/matching")
@role_required("organizer")
def matching():
    return _matching_page()


@bp.route("/organize/matching/preview", methods=["POST"])
@role_required("organizer")
def preview():
    form = ActionForm()
    if not form.validate_on_submit():
        flash("This page had been open a while, so nothing ran yet. Please press the button again.", "info")
        return _matching_page(400)
    try:
        run = services.preview_match(me())
    except (services.GroupError, ValueError) as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _matching_page(409)
    return redirect(url_for("groups.run", run_id=run.id))


@bp.route("/organize/matching/runs/<int:run_id>")
@role_required("organizer")
def run(run_id: int):
    run = db.session.get(MatchRun, run_id)
    if run is None:
        abort(404)
    return _run_page(run)


@bp.route("/organize/matching/runs/<int:run_id>/apply", methods=["POST"])
@role_required("organizer")
def apply(run_id: int):
    run = db.session.get(MatchRun, run_id)
    if run is None:
        abort(404)
    form = ActionForm()
    if not form.validate_on_submit():
        flash("This page had been open a while, so nothing was applied yet. Please press Apply again.", "info")
        return _run_page(run, 400)
    try:
        services.apply_match(run, me())
    except services.GroupError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _run_page(db.session.get(MatchRun, run_id), 409)
    flash(f"Applied. {run.placed_count} members placed: {run.new_group_count} new groups, "
          f"{run.filled_group_count} running groups given newcomers.", "success")
    return redirect(url_for("groups.matching"))
