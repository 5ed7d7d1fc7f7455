"""NUL characters never reach the app's code from a request.

No person types one, yet a crafted request can carry one anywhere: PostgreSQL can neither store nor
compare text that holds one (psycopg raises DataError, a 500, even for a lookup), and the app
already drops other control characters where it keeps text. So form fields and query strings
arrive without them, and a URL segment holding one matches no page (404)."""
from flask import Request
from werkzeug.routing import UnicodeConverter
from werkzeug.utils import cached_property

NUL = "\x00"


def _without_nul(data):
    pairs = list(data.items(multi=True))
    if not any(NUL in key or NUL in value for key, value in pairs):
        return data
    return type(data)((key.replace(NUL, ""), value.replace(NUL, "")) for key, value in pairs)


class CleanRequest(Request):
    @cached_property
    def args(self):
        return _without_nul(super().args)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self.__dict__["form"])


class TextConverter(UnicodeConverter):
    """The default `<name>` URL segment, refusing NUL."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]", 1)
