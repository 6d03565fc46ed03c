"""Content and look-ups for the publishing tests."""

from datetime import timedelta

from django.utils import timezone

from govsite.columns.models import LIST_PAGE_SIZE, ArticlePage
from govsite.publishing import store

# One more than fits on a list page: the list has a page 2.
TWO_PAGES = LIST_PAGE_SIZE + 1


def fill(column, count=TWO_PAGES, prefix="往期动态"):
    """``count`` live articles under ``column``, published in the past (oldest first), so that
    anything published in a test is the newest."""
    start = timezone.now() - timedelta(days=60)
    return [
        column.add_child(
            instance=ArticlePage(
                title=f"{prefix}第{number}条",
                slug=f"{column.slug}-{number}",
                live=True,
                first_published_at=start + timedelta(hours=number),
            )
        )
        for number in range(1, count + 1)
    ]


def stored(url_path, page_number=None):
    """The stored file of ``url_path`` (``?page=N``), or None if there is none."""
    target = store.file_for(url_path, page_number)
    return target if target is not None and target.exists() else None


def text(url_path, page_number=None):
    target = stored(url_path, page_number)
    assert target is not None, f"{url_path} is not stored"
    return target.read_text()


def visit(client, *urls):
    """Request each URL (with its query) as an anonymous visitor; each must answer 200."""
    responses = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        responses.append(response)
    return responses
