"""Private, in-app notifications for one member (a warning, a hidden message, a report that was
reviewed): a page at /notifications, an unread count in the navigation, and a `notification`
event pushed to the member's open pages once the transaction that wrote it has committed."""
from flask import Blueprint

bp = Blueprint("notifications", __name__)

from community.notifications import push, routes  # noqa: E402,F401
