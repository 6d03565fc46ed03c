"""What the public is sent carries no template indentation (issue 17 item 6: the homepage's
HTML, CSS and scripts together ≤ 60 KB before images; docs/publishing.md).

The templates are indented for their readers (djhtml), and a quarter of a page's bytes were
those spaces. A line's leading spaces and tabs are dropped where the next character is a tag's
``<`` or the line's end: between tags a browser collapses any run of white space into one, so
the page looks the same. Text a visitor or an editor typed never starts a line with ``<``
(Django escapes it), so text kept as typed (``white-space: pre-wrap``, 来信内容) keeps its
spaces; ``<pre>`` and ``<textarea>`` are left as they are whatever they hold.
"""

import re

_UNTOUCHED_OR_INDENT = re.compile(
    rb"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)|\n[ \t]+(?=[<\n])",
    re.DOTALL | re.IGNORECASE,
)


def _keep_or_drop(match):
    return match.group(1) or b"\n"


def compact_html(content):
    """``content`` (bytes of an HTML page) without the indentation of its lines."""
    return _UNTOUCHED_OR_INDENT.sub(_keep_or_drop, content)
