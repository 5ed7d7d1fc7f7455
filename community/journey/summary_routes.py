"""The printable summary for a therapist: choose what to include, then a page to print or save as
a PDF from the browser. Made fresh for each request, never stored, and sent with
Cache-Control: no-store so the browser doesn't keep a copy either. Only the member's own."""
from flask import make_response, render_template
from flask_login import login_required

from community.extensions import limiter
from community.groups.view import me
from community.journey import bp, summary
from community.journey.checkin_forms import SummaryForm
from community.journey.checkin_routes import MOOD_WORDS, trend_view


def _private(body: str, status: int = 200):
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/journey/summary", methods=["GET", "POST"])
@login_required
@limiter.limit("60 per hour", methods=["POST"])
def summary_page():
    form = SummaryForm()
    if form.validate_on_submit():
        chosen = {name for name in summary.PARTS if form[name].data}
        made = summary.build(me(), chosen, form.own_words.data or "")
        return _private(render_template("journey/summary.html", form=form, summary=made,
                                        trend=trend_view(made.check_ins, "summary-trend"), mood_words=MOOD_WORDS))
    return _private(render_template("journey/summary.html", form=form, summary=None),
                    400 if form.errors else 200)
