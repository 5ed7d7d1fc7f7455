"""Members' side of moderation: report a message, block someone, see the actions taken on your
own account, and appeal one. Plain forms that work without JavaScript."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from community.extensions import db, limiter
from community.models import Message, ModerationAction, User
from community.moderation import appeals, blocks, bp, review, wording
from community.moderation.forms import ActionForm, AppealForm, ReportForm
from community.moderation.review import ReviewError
from community.support import services as support


@bp.app_context_processor
def moderation_context():
    """The review queue's waiting count in a moderator's navigation (kept live by notices.js)."""
    # Whom the member blocked is passed only by the pages that show it (the group and its transcript),
    # so it is not a query on every page.
    words = {"kind_words": wording.MODERATION_WORDS, "appeal_words": wording.APPEAL_WORDS}
    if current_user.is_authenticated and current_user.has_role("moderator"):
        return {"review_waiting": review.waiting_count(current_user), **words}
    return {"review_waiting": 0, **words}


def _message_or_404(message_id: int) -> Message:
    try:
        return review.reportable(current_user, db.session.get(Message, message_id))
    except ReviewError:
        abort(404)  # not a message you can see: don't confirm it exists


@bp.route("/report/<int:message_id>", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", methods=["POST"])
def report(message_id: int):
    message = _message_or_404(message_id)
    form = ReportForm()
    back = url_for("groups.group", group_id=message.group_id)
    if form.validate_on_submit():
        try:
            if form.reason.data == "worried":
                author = message.author
                if author is None:
                    raise ReviewError("That message isn't from a member.")
                support.worry(current_user, author, message, form.note.data or "")
                flash("Thank you for looking out for them. We'll check in with them privately, "
                      "and we won't say who asked.", "success")
            else:
                review.report(current_user, message, form.reason.data, form.note.data or "")
                flash("Thank you. Your report reached the moderators, and we'll let you know once "
                      "they've reviewed it. The writer isn't told who reported.", "success")
        except (ReviewError, support.WorryError) as exc:
            db.session.rollback()
            flash(str(exc), "info")
        return redirect(back)
    status = 400 if form.errors else 200
    return render_template("moderation/report.html", form=form, message=message, back=back,
                           already=review.already_reported(current_user, message),
                           blocked=blocks.is_blocked(current_user, message.author_id or 0)), status


def _person_or_404(user_id: int) -> User:
    try:
        return blocks.blockable(current_user, db.session.get(User, user_id))
    except ReviewError:
        abort(404)


@bp.route("/block/<int:user_id>", methods=["GET", "POST"])
@login_required
def block(user_id: int):
    person = _person_or_404(user_id)
    form = ActionForm()
    blocked = blocks.is_blocked(current_user, person.id)
    if form.validate_on_submit():
        if blocked:
            blocks.unblock(current_user, person)
            flash(f"You've unblocked {person.display_name}. Their messages show as usual again.", "success")
        else:
            blocks.block(current_user, person)
            flash(f"You've blocked {person.display_name}. Their messages are folded away for you; "
                  "they aren't told.", "success")
        return redirect(url_for("pages.home"))
    return render_template("moderation/block.html", form=form, person=person, blocked=blocked), \
        400 if form.errors else 200


@bp.route("/record")
@login_required
def my_record():
    actions = appeals.record_of(current_user)
    return render_template("moderation/record.html", actions=actions,
                           can_appeal={a.id for a in actions if appeals.appealable(current_user, a)})


@bp.route("/record/<int:action_id>/appeal", methods=["GET", "POST"])
@login_required
@limiter.limit("20 per hour", methods=["POST"])
def appeal(action_id: int):
    action = db.session.get(ModerationAction, action_id)
    if action is None or action.subject_id != current_user.id:
        abort(404)
    form = AppealForm()
    if form.validate_on_submit():
        try:
            appeals.appeal(current_user, action, form.note.data)
        except ReviewError as exc:
            flash(str(exc), "info")
            return redirect(url_for("moderation.my_record"))
        flash("Your appeal is in. A different moderator will look again and let you know.", "success")
        return redirect(url_for("moderation.my_record"))
    if not appeals.appealable(current_user, action):
        flash("This one can't be appealed (again). Your record shows where it stands.", "info")
        return redirect(url_for("moderation.my_record"))
    return render_template("moderation/appeal.html", form=form, action=action), 400 if form.errors else 200
