"""The admins' access log: every read of someone's private data by staff, newest first, narrowed
to one staff member and/or one member whose data was read. Admins only; everyone else gets 403."""
from flask import render_template, request

from community.auth.roles import role_required
from community.auth.services import find_user
from community.extensions import db
from community.groups.view import me
from community.models import User
from community.moderation.escalations import audit
from community.privacy import access, bp


def _whole_number(name: str) -> int | None:
    raw = request.args.get(name, "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@bp.route("/admin/access-log")
@role_required("admin")
def access_log():
    staff_id = _whole_number("staff")
    email = request.args.get("email", "").strip()[:254]
    subject, problem = None, None
    if email:
        subject = find_user(email)
        if subject is None:
            problem = "We couldn't find an account with that email. It may have been deleted, or there may be a typo."
    elif (subject_id := _whole_number("subject")) is not None:
        subject = db.session.get(User, subject_id)
        if subject is None:
            problem = "That account no longer exists."
    if problem:
        reads = access.Page([], 0, 1)
    else:
        reads = access.reads(staff_id, subject.id if subject else None, _whole_number("page") or 1)
    audit("access_log_viewed", actor_id=me().id, subject_id=subject.id if subject else None,
          staff_id=staff_id, page=reads.number)
    db.session.commit()
    return render_template("privacy/access_log.html", page=reads, staff=access.staff_choices(),
                           staff_id=staff_id, subject=subject, email=email, problem=problem,
                           page_size=access.PAGE_SIZE), 400 if problem else 200
