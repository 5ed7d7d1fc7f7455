"""Read the POST forms on a page the way a browser would submit them: where each one goes (its
action, or a button's formaction) and what it sends (inputs, selects, textareas, named buttons).
Python's html.parser only; no new dependency."""
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

# Inputs that send nothing a person types or picks.
NOT_SENT = {"button", "image", "reset", "file"}


@dataclass
class Field:
    name: str
    kind: str  # an input's type, or "select", "textarea", "button"
    options: list[str] = field(default_factory=list)  # what a select, radio, checkbox or button may send
    default: str = ""  # the value the page filled in
    multiple: bool = False  # a multi-select, or several checkboxes of one name


@dataclass
class Form:
    action: str  # absolute path (and query) the form posts to
    fields: dict[str, Field] = field(default_factory=dict)

    def signature(self) -> tuple:
        """What makes two forms the same form to fuzz: where they post (the rule, filled in
        elsewhere) and the names they send."""
        return tuple(sorted(self.fields))


class _FormReader(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[tuple[Form, list[str]]] = []  # each POST form and its buttons' formactions
        self._form: Form | None = None
        self._targets: list[str] = []
        self._select: Field | None = None
        self._option: dict | None = None
        self._textarea: Field | None = None

    # --- helpers ---
    def _add(self, name: str, kind: str, value: str = "", option: str | None = None, checked: bool = False):
        existing = self._form.fields.get(name)
        if existing is None:
            existing = self._form.fields[name] = Field(name, kind)
        elif kind in {"checkbox", "button"} and existing.kind == kind:
            existing.multiple = existing.multiple or kind == "checkbox"
        if option is not None and option not in existing.options:
            existing.options.append(option)
        if value and (checked or kind not in {"checkbox", "radio", "button"}):
            existing.default = existing.default or value

    # --- the parser's callbacks ---
    def handle_starttag(self, tag, attrs):
        a = {name: (value if value is not None else "") for name, value in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(urljoin(self.page_url, a.get("action") or self.page_url))
                self._targets = []
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "submit":
                kind = "button"
            if kind in {"button"} and a.get("formaction"):
                self._targets.append(urljoin(self.page_url, a["formaction"]))
            if not name or kind in NOT_SENT:
                return
            value = a.get("value", "on" if kind in {"checkbox", "radio"} else "")
            option = value if kind in {"checkbox", "radio", "button"} else None
            self._add(name, kind, value, option, checked="checked" in a)
        elif tag == "button":
            if a.get("formaction"):
                self._targets.append(urljoin(self.page_url, a["formaction"]))
            if name and a.get("type", "submit").lower() == "submit":
                self._add(name, "button", option=a.get("value", ""))
        elif tag == "select" and name:
            self._select = Field(name, "select", multiple="multiple" in a)
            self._form.fields.setdefault(name, self._select)
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
        elif tag == "textarea" and name:
            self._textarea = self._form.fields.setdefault(name, Field(name, "textarea"))

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea.default += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select":
            if self._option is not None:
                self._close_option()
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the newline that starts a textarea's text; so do we.
            text = self._textarea.default
            self._textarea.default = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append((self._form, self._targets))
            self._form = None

    def _close_option(self):
        option, self._option = self._option, None
        value = option["value"] if option["value"] is not None else option["text"].strip()
        self._select.options.append(value)
        if option["selected"] and not self._select.default:
            self._select.default = value


def post_forms(html: str, page_url: str) -> list[Form]:
    """Every POST form on the page, one per place it can be sent (a button's formaction makes
    another), with the page's own URL resolved as a browser does. `page_url` is a path."""
    reader = _FormReader(page_url)
    reader.feed(html)
    reader.close()
    found = []
    for form, targets in reader.forms:
        found.append(form)
        for target in targets:
            if target != form.action:
                found.append(Form(target, dict(form.fields)))
    return found
