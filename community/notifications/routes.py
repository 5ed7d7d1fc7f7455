"""The member's notifications page; visiting it marks them read."""
from flask import render_template
from flask_login import current_user, login_required

from community.navigation import badges
from community.notifications import bp, services


@bp.app_context_processor
def notifications_context():
    return {"notifications_unread": badges().notifications_unread}  # one query with the other badges


@bp.route("/notifications")
@login_required
def inbox():
    notes = services.latest(current_user)
    unread = {n.id for n in notes if n.read_at is None}
    services.mark_read(current_user)
    return render_template("notifications/inbox.html", notes=notes, unread=unread)
