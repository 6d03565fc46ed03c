"""Public HTML is sent without its template indentation (issue 17 item 6): the page looks the
same, text kept as typed keeps its spaces (a letter: mailbox/tests/test_public.py), the stored
file is the compacted one, and the admin is sent as Wagtail renders it."""

import re

import pytest

from govsite.publishing.compaction import compact_html

from .factories import stored, visit


def test_indentation_before_a_tag_and_on_empty_lines_is_dropped():
    page = "<ul>\n    <li>\n        <a href='/'>首页</a>\n    </li>\n    \n</ul>\n".encode()
    assert compact_html(page) == "<ul>\n<li>\n<a href='/'>首页</a>\n</li>\n\n</ul>\n".encode()


def test_text_lines_pre_and_textarea_keep_their_spaces():
    page = (
        b"<td class='letter-text'>line one\n    indented by the writer\n\t&lt;tag typed&gt;</td>\n"
        b"  <pre>\n    <code>x</code>\n</pre>\n  <textarea>\n    kept\n    </textarea>\n"
    )
    assert compact_html(page) == (
        b"<td class='letter-text'>line one\n    indented by the writer\n\t&lt;tag typed&gt;</td>\n"
        b"<pre>\n    <code>x</code>\n</pre>\n<textarea>\n    kept\n    </textarea>\n"
    )


@pytest.mark.django_db
def test_the_homepage_is_sent_and_stored_without_indentation(client, site_tree):
    (response,) = visit(client, "/")
    html = response.content
    assert not re.search(rb"\n[ \t]+<", html)
    assert b'<a class="skip-link" href="#main">' in html
    assert int(response["Content-Length"]) == len(html)
    assert stored("/").read_bytes() == html


@pytest.mark.django_db
def test_the_admin_is_sent_as_rendered(admin_client):
    html = admin_client.get("/admin/").content
    assert re.search(rb"\n[ \t]+<", html)
