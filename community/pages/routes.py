"""Landing, home, crisis resources and what Common Ground is (and isn't)."""
from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from community.groups import services as group_services
from community.groups.view import home_cards
from community.journey import checkins
from community.pages import bp
from community.profiles.services import STEPS, next_step
from community.support.resources import CRISIS_RESOURCES


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    return render_template("pages/index.html")


@bp.route("/home")
@login_required
def home():
    profile = current_user.profile
    upcoming = next_step(profile)
    steps_done = len(profile.steps_done) if profile else 0
    user = current_user._get_current_object()
    groups = home_cards(user, group_services.groups_of(user))
    waitlist = None if groups or upcoming else group_services.waitlist_reason(user)
    return render_template(
        "pages/home.html", next_step=upcoming, steps_done=steps_done, step_count=len(STEPS),
        groups=groups, waitlist_reason=waitlist, check_in_due=upcoming is None and checkins.due(user),
    )


@bp.route("/resources")
def resources():
    return render_template("pages/resources.html", resources=CRISIS_RESOURCES)


@bp.route("/about")
def about():
    return render_template("pages/about.html")


@bp.route("/guidelines")
def guidelines():
    """How we keep groups kind, and the written ladder moderators follow, so everyone is treated alike."""
    from community.moderation.sanctions import LADDER, LADDER_DAYS

    return render_template("pages/guidelines.html", ladder=LADDER, ladder_days=LADDER_DAYS)
