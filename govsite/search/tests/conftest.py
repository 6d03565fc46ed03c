import pytest
from wagtail.models import Page

from govsite.columns.models import ProfilePage
from govsite.testing.helpers import add_article, sub_column

from .corpus import ARTICLES, PROFILES


def paragraph(text):
    return [("paragraph", f"<p>{text}</p>")]


def add_profile(column, title, text, publish=True):
    profile = column.add_child(instance=ProfilePage(title=title, live=False, body=paragraph(text)))
    revision = profile.save_revision()
    if publish:
        revision.publish()
        profile.refresh_from_db()
    return profile


def set_published(page, when):
    """Move 发布时间 (the model refuses to move it backwards; tests set up history)."""
    Page.objects.filter(pk=page.pk).update(first_published_at=when)
    page.refresh_from_db()


@pytest.fixture
def corpus(site_tree):
    """The relevance corpus, published; {title: page}."""
    pages = {}
    for column, title, text in ARTICLES:
        pages[title] = add_article(sub_column(column), title=title, body=paragraph(text))
    for column, title, text in PROFILES:
        pages[title] = add_profile(sub_column(column), title, text)
    return pages
