"""Form fields the app's forms share."""
from wtforms import IntegerField

# No number any of our forms asks for comes near this many digits.
MAX_DIGITS = 12


class WholeNumberField(IntegerField):
    """IntegerField that turns back a number with absurdly many digits as not a number. WTForms'
    NumberRange calls math.isnan() on the value, which raises OverflowError (a 500) for an
    integer beyond a float's range, such as 309 nines typed or sent into the field."""

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str) and len(valuelist[0].strip().lstrip("+-")) > MAX_DIGITS:
            self.data = None
            raise ValueError(self.gettext("Please enter a smaller whole number."))
        super().process_formdata(valuelist)
