"""What a browser would post: the fields of a form in a rendered page (stdlib parser).

As a browser does (HTML value sanitization and form submission): a ``type="number"``
input whose value is not a valid floating-point number ("50,00") is posted empty, a
``type="date"`` one that is not ``yyyy-mm-dd`` likewise, a one-line input drops the
line breaks of its value, and a textarea's line breaks are posted as CRLF."""

import re
from html.parser import HTMLParser

NUMERO_HTML = re.compile(r"^-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?$")
DATA_HTML = re.compile(r"^\d{4,}-\d{2}-\d{2}$")


def _sanifica(kind: str, value: str) -> str:
    """The value the browser keeps for an input of that type (the HTML standard)."""
    if kind == "number" and not NUMERO_HTML.match(value):
        return ""
    if kind == "date" and not DATA_HTML.match(value):
        return ""
    if kind in ("text", "search", "email", "url", "tel", "password"):
        return value.replace("\r", "").replace("\n", "")
    return value


def _crlf(testo: str) -> str:
    return testo.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._textarea = None
        self._select = None
        self.textareas: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button"):
                return
            self.data.setdefault(a["name"], []).append(
                _sanifica(kind, a.get("value", "on" if kind == "checkbox" else ""))
            )
        elif tag == "textarea":
            self._textarea = a["name"]
            self.textareas.add(a["name"])
            self.data.setdefault(self._textarea, []).append("")
        elif tag == "select":
            self._select = a["name"]
            self._multiple = "multiple" in a
            self._first = None
            self.data.setdefault(self._select, [])
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = a.get("value", "")
            if "selected" in a:
                self.data[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            # A single select with nothing marked sends its first option.
            if not self._multiple and not self.data[self._select]:
                self.data[self._select].append(self._first or "")
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += (
                data.removeprefix("\n") if not self.data[self._textarea][-1] else data
            )


def campi(html: str, form_id: str) -> dict:
    """Field name → value (a list for multiple values), as the browser would send them."""
    parser = _FormParser(form_id)
    parser.feed(html)
    for nome in parser.textareas:
        parser.data[nome] = [_crlf(v) for v in parser.data[nome]]
    return {k: v if len(v) != 1 else v[0] for k, v in parser.data.items()}
