"""Content pages as the demo puts them on the site: bodies from plain text, pages written and
published back-dated, and the sub-columns they go in (the loader's content, the adopted copies
of 信息报送)."""

import html

from wagtail.models import Page, Revision

from govsite.columns.bootstrap import load_tree_spec
from govsite.columns.models import ColumnPage, SubColumnPage


def body_blocks(text, table=None):
    """StreamField data from plain text: each non-blank line is a paragraph, a line starting
    with ``## `` a heading (R-FMT-1: what a plain notice needs); an optional table last."""
    blocks = []
    for line in text.strip().splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("## "):
            blocks.append(("paragraph", f"<h2>{html.escape(line[3:].strip())}</h2>"))
        else:
            blocks.append(("paragraph", f"<p>{html.escape(line)}</p>"))
    if table:
        blocks.append(
            (
                "table",
                {
                    "data": [list(row) for row in table["rows"]],
                    "first_row_is_table_header": table.get("header", True),
                    "first_col_is_header": False,
                    "table_caption": table.get("caption", ""),
                },
            )
        )
    return blocks


def sub_columns(home):
    """The sub-columns of the tree by slug, found under their column as site_tree.toml says."""
    found = {}
    for column_spec in load_tree_spec()["columns"]:
        column = ColumnPage.objects.child_of(home).filter(slug=column_spec["slug"]).first()
        if column is None:
            continue
        for sub in SubColumnPage.objects.child_of(column):
            found[sub.slug] = sub
    return found


def director_of(section):
    return section.directors.filter(is_active=True).order_by("username").first()


def publish_back_dated(sub_column, page, officer, publisher, published_at):
    """Add ``page`` (unsaved, not live, its ``first_published_at`` preset) under ``sub_column``
    as written by ``officer`` and published by ``publisher`` on ``published_at``."""
    # Creating the page logs "wagtail.create" by its owner, the author.
    page = sub_column.add_child(instance=page)
    revision = page.save_revision(user=officer)
    # The last approver publishes (第十四条); the review chain itself is not replayed here.
    revision.publish(user=publisher, skip_permission_checks=True)
    # The item's versions read as written and published on its date; the audit log keeps the
    # real time of the load.
    Revision.objects.filter(pk=revision.pk).update(created_at=published_at)
    Page.objects.filter(pk=page.pk).update(
        last_published_at=published_at, latest_revision_created_at=published_at
    )
    return page
