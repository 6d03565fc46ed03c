"""Content for the freshness tests: items published at a chosen moment (the system sets
``first_published_at`` at publication and never moves it back, so the tests set it directly),
items without a publication time, and reviews."""

from datetime import datetime
from zoneinfo import ZoneInfo

from wagtail.models import Page

from govsite.assessment.models import ColumnReview
from govsite.columns.models import ArticlePage
from govsite.testing.helpers import add_article

OFFICE = ZoneInfo("Asia/Shanghai")


def moment(year, month, day, hour=10):
    """A moment of the office's day."""
    return datetime(year, month, day, hour, tzinfo=OFFICE)


def published(column, when, title="更新"):
    """A live item under ``column`` first published at ``when`` (the page as publication leaves
    it, without going through the editor: the freshness rule reads only the tree)."""
    return column.add_child(
        instance=ArticlePage(
            title=title, live=True, first_published_at=when, last_published_at=when
        )
    )


def published_through_editor(column, when, title="更新"):
    """An item published the way the system does, then dated ``when``."""
    article = add_article(column, title=title)
    Page.objects.filter(pk=article.pk).update(first_published_at=when, last_published_at=when)
    return article


def undated(column, title="无发布时间"):
    """A live item under ``column`` without a publication time (imported, say)."""
    article = column.add_child(instance=ArticlePage(title=title, live=True))
    Page.objects.filter(pk=article.pk).update(first_published_at=None, last_published_at=None)
    return article


def reviewed(column, when, user=None):
    return ColumnReview.objects.create(column=column, reviewed_by=user, reviewed_at=when)
