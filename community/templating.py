"""What every template can use."""
from flask import Flask

from community.auth.forms import LogoutForm
from community.profiles.options import BARRIERS, COMFORT_STEPS, COMMUNICATION_PREFERENCES, FORMAT_CHOICES
from community.reference import DAYS, PARTS, neighbourhoods_by_area, taxonomy


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def common():
        return {"logout_form": LogoutForm()}

    app.jinja_env.globals.update(
        DAYS=DAYS,
        PARTS=PARTS,
        FORMAT_CHOICES=FORMAT_CHOICES,
        COMFORT_STEPS=COMFORT_STEPS,
        BARRIERS=BARRIERS,
        COMMUNICATION_PREFERENCES=COMMUNICATION_PREFERENCES,
        interest_categories=lambda: taxonomy().by_category(),
        neighbourhoods_by_area=neighbourhoods_by_area,
    )
