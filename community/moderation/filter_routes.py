"""Admins edit each group's automatic filters as plain lines of text, and see what the filters
did lately. The rules themselves are data (community.filters); nothing here is a rule."""
from flask import abort, flash, redirect, render_template, request, url_for

from community.auth.roles import role_required
from community.extensions import db
from community.filters import FilterRuleError, RuleSet
from community.groups.view import me
from community.models import Group
from community.moderation import bp, filtering
from community.moderation.forms import ActionForm, FilterRulesForm

SECTIONS = (("mask_words", "mask"), ("hold_words", "hold"), ("block_words", "block"))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def form_to_dict(form: FilterRulesForm) -> dict:
    words = []
    for field, action in SECTIONS:
        for line in _lines(form[field].data):
            pattern, _, reason = line.partition("|")
            words.append({"pattern": pattern.strip(), "action": action, "reason": reason.strip()})
    return {"words": words, "allow": _lines(form.allow.data), "new_member_days": form.new_member_days.data,
            "link_action": form.link_action.data, "flood_count": form.flood_count.data,
            "flood_seconds": form.flood_seconds.data, "duplicate_window": form.duplicate_window.data}


def fill_form(form: FilterRulesForm, rules: RuleSet) -> None:
    for field, action in SECTIONS:
        form[field].data = "\n".join(f"{w.pattern} | {w.reason}" if w.reason else w.pattern
                                     for w in rules.words if w.action == action)
    form.allow.data = "\n".join(rules.allow)
    for name in ("new_member_days", "link_action", "flood_count", "flood_seconds", "duplicate_window"):
        form[name].data = getattr(rules, name)


def _group_or_404(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None:
        abort(404)
    return group


@bp.route("/groups/<int:group_id>/filters", methods=["GET", "POST"])
@role_required("admin")
def filters(group_id: int):
    group = _group_or_404(group_id)
    form = FilterRulesForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                group.slow_mode_seconds = form.slow_mode_seconds.data  # committed with the rules
                rules = filtering.save(group.id, me(), form_to_dict(form))
            except FilterRuleError as exc:
                db.session.rollback()
                form.mask_words.errors.append(f"These rules can't be used yet: {exc}")
                status = 400
            else:
                flash(f"Saved: {len(rules.words)} rules and {len(rules.allow)} allowed words. "
                      f"Every server uses them within {filtering.RULES_TTL_SECONDS} seconds.", "success")
                return redirect(url_for("moderation.filters", group_id=group.id))
        else:
            status = 400
    else:
        fill_form(form, filtering.rules_for(group.id))
        form.slow_mode_seconds.data = group.slow_mode_seconds
    return render_template("moderation/filters.html", group=group, form=form, reset_form=ActionForm(formdata=None),
                           custom=filtering.is_custom(group.id), events=filtering.recent_events(group.id)), status


@bp.route("/groups/<int:group_id>/filters/reset", methods=["POST"])
@role_required("admin")
def reset_filters(group_id: int):
    group = _group_or_404(group_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    filtering.reset(group.id, me())
    flash("This group uses the standard rules again.", "success")
    return redirect(url_for("moderation.filters", group_id=group.id))
