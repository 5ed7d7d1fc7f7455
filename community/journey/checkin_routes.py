"""The monthly check-in pages: the check-in itself, the thank-you page with the member's trend,
their history (where they can take one back), and "I'd like to talk to someone". Only ever the
signed-in member's own check-ins: no route shows anyone else's, whatever their role."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import login_required

from community.extensions import limiter
from community.groups.view import me
from community.journey import bp, chart, checkins, scoring
from community.journey.checkin_forms import ActionForm, CheckInForm
from community.support.resources import CRISIS_RESOURCES

MOOD_WORDS = dict(scoring.MOOD_CHOICES)


@bp.app_template_filter("checkin_month")
def checkin_month(month: str) -> str:
    """"2026-11" as "November 2026"."""
    return chart.month_name(month)


def trend_view(rows, chart_id: str = "loneliness-trend") -> dict:
    """What templates/journey/_trend.html needs: the chart, its sentence and the table's rows."""
    points = checkins.points(rows)
    return {
        "points": points,
        "svg": chart.render(points, chart_id),
        "sentence": chart.describe(points),
        "rows": [{"month": p.month, "label": chart.month_name(p.month), "loneliness": p.loneliness,
                  "group_connection": p.group_connection} for p in points],
        "chart_id": chart_id,
    }


def _form_page(form: CheckInForm, status: int = 200):
    earlier = checkins.this_month(me().id)
    return render_template("journey/checkin.html", form=form, earlier=earlier,
                           in_group=checkins.current_group_id(me().id) is not None,
                           items=scoring.LONELINESS_ITEMS), status


@bp.route("/journey/check-in", methods=["GET", "POST"])
@login_required
@limiter.limit("60 per hour", methods=["POST"])
def check_in():
    form = CheckInForm()
    if form.validate_on_submit():
        saved = checkins.save(me(), form.answers(), form.note.data or "")
        flash("Updated this month's check-in with your new answers." if saved.replaced
              else "Your check-in is saved. Thank you for taking the time.", "success")
        return redirect(url_for("journey.check_in_saved"))
    if not form.is_submitted():
        earlier = checkins.this_month(me().id)
        answers = checkins.answers_of(earlier) if earlier is not None else None
        if answers is not None:  # checking in again this month: start from the answers given
            form = CheckInForm(formdata=None, note=earlier.note, **answers.as_dict())
    return _form_page(form, 400 if form.errors else 200)


@bp.route("/journey/check-in/thanks")
@login_required
def check_in_saved():
    row = checkins.this_month(me().id)
    if row is None:
        return redirect(url_for("journey.check_in"))
    answers = checkins.answers_of(row)
    gentle = answers is not None and scoring.suggests_resources(answers)
    return render_template("journey/checkin_saved.html", trend=trend_view(checkins.history(me().id)),
                           gentle=gentle, resources=CRISIS_RESOURCES, talk_form=ActionForm(formdata=None),
                           asked=checkins.open_talk_request(me().id) is not None)


@bp.route("/journey/check-ins")
@login_required
def check_ins():
    rows = checkins.history(me().id)
    return render_template("journey/checkins.html", trend=trend_view(rows), rows=list(reversed(rows)),
                           answers={row.id: checkins.answers_of(row) for row in rows},
                           due=checkins.due(me()), delete_form=ActionForm(formdata=None), mood_words=MOOD_WORDS)


@bp.route("/journey/check-ins/<int:checkin_id>/delete", methods=["POST"])
@login_required
@limiter.limit("60 per hour")
def delete_check_in(checkin_id: int):
    form = ActionForm()
    if not form.validate_on_submit():
        flash("This page was open for a while, so nothing was deleted. Please press the button again.", "info")
        return redirect(url_for("journey.check_ins")), 303
    if not checkins.delete(me(), checkin_id):
        abort(404)
    flash("That check-in is deleted.", "success")
    return redirect(url_for("journey.check_ins"))


@bp.route("/journey/talk", methods=["POST"])
@login_required
@limiter.limit("10 per hour")
def talk():
    if not ActionForm().validate_on_submit():
        flash("This page was open for a while, so nothing was sent. Please press the button again.", "info")
        return redirect(url_for("journey.check_in_saved"))
    _, new = checkins.ask_to_talk(me())
    if new:
        flash("Thank you for asking. We've let our moderators know you'd like to talk. One of them will "
              "write to you privately here, on your Support page, usually within a day. We told them only "
              "that you asked: none of your answers or notes.", "success")
    else:
        flash("You've already asked, and a moderator will write to you here soon. Thank you for your patience.",
              "info")
    return redirect(url_for("support.inbox"))
