"""The member's notifications page; visiting it marks them read."""
from flask import render_template
from flask_login import current_user, login_required

from community.notifications import bp, services


@bp.app_context_processor
def notifications_context():
    count = services.unread_count(current_user) if current_user.is_authenticated else 0
    return {"notifications_unread": count}


@bp.route("/notifications")
@login_required
def inbox():
    notes = services.latest(current_user)
    unread = {n.id for n in notes if n.read_at is None}
    services.mark_read(current_user)
    return render_template("notifications/inbox.html", notes=notes, unread=unread)
