"""Stored-XSS payloads and the check that a page would not run them (R-SEC-5).

Every payload calls ``alert(MARK)``. A page is safe when a browser parsing it finds the mark in
no place where it runs: no event-handler attribute (``onerror``, ``onload``, ...), no URL
attribute with the ``javascript:`` scheme, no script element of its own. The mark may be
anywhere else — shown as text, kept in a form field, inside a JSON data block.
"""

from html import escape
from html.parser import HTMLParser

MARK = "20260601"
PAYLOADS = {
    "script": f"<script>alert({MARK})</script>",
    "attribute": f'"><img src=x onerror=alert({MARK})>',
    "javascript-url": f"javascript:alert({MARK})",
    "svg": f"<svg onload=alert({MARK})>",
    "quote": f"'><svg/onload=alert({MARK})>",
}
# At most 30 characters: fits every field, a section's name (来源) included.
SHORT = f'"><svg onload=alert({MARK})>'
assert len(SHORT) <= 30

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


class _Runnable(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if MARK not in value:
                continue
            handler = name.startswith("on")
            script_url = name in URL_ATTRIBUTES and value.strip().lower().startswith("javascript:")
            if handler or script_url:
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            kind = (dict(attrs).get("type") or "").strip().lower()
            self._script = [] if kind in SCRIPT_TYPES else None

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            text = "".join(self._script).strip()
            # A script element made by a payload holds nothing but the payload's call; the
            # page's own scripts may carry the mark inside a quoted, escaped string.
            if text.startswith(f"alert({MARK})"):
                self.found.append(f"<script>{text}</script>")
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)


def runnable(html):
    """Where ``html`` would run a payload: a list of the offending tags (empty: safe)."""
    parser = _Runnable()
    parser.feed(html)
    parser.close()
    return parser.found


def shown_as_text(html, payload):
    """``payload`` is in ``html`` escaped, i.e. as text a reader sees."""
    return escape(payload) in html


def assert_safe(response_or_html, where=""):
    html = getattr(response_or_html, "content", response_or_html)
    if isinstance(html, bytes):
        html = html.decode()
    found = runnable(html)
    assert not found, f"payload would run {where}: {found}"
    return html
