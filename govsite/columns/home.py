"""首页 (issue 17, SPEC §11 R-SITE-1): what the citizens' homepage shows, each block one small
function, all in a fixed number of queries whatever the size of the site.

The blocks of other apps (通知公告 of 政务公开, 办事指南 of 业务指南, the 在线交流 entries of the
mailbox and the surveys) are added by those apps through the Wagtail hook ``HOME_CONTEXT_HOOK``:
each registers a function ``(request, home) -> dict`` in its ``wagtail_hooks.py``, so the site
tree never imports the apps built on it.

The homepage is published as a file (govsite/publishing): every publication of a page purges
it (``rules.EVERY_CHANGE``), a change of the site settings or of an image purges everything, and
the mailbox refreshes its 来信统计 figures by a periodic task.
"""

from django.db.models import Prefetch, prefetch_related_objects
from wagtail import hooks

from govsite.images.models import GovRendition

from .models import (
    HOME_ITEMS_PER_COLUMN,
    ArticlePage,
    latest_items,
    live_structure,
    navigation_columns,
)

HOME_CONTEXT_HOOK = "govsite_homepage_context"
PICTURE_NEWS_COUNT = 4
# The one size the homepage shows a 题图 in (4:3, as the image rule makes every image).
TITLE_IMAGE_SPEC = "fill-480x360"


def headline():
    """头条: the newest live article flagged as the headline, or None."""
    return ArticlePage.objects.headlines().select_related("title_image").first()


def picture_news(exclude=None, count=PICTURE_NEWS_COUNT):
    """图片新闻: the newest live articles with a 题图, the headline left out."""
    articles = ArticlePage.objects.with_title_image()
    if exclude is not None:
        articles = articles.exclude(pk=exclude.pk)
    return list(articles[:count])


def with_renditions(articles):
    """Read the homepage's size of every 题图 shown in one query (Wagtail's
    ``prefetched_renditions``), rather than one for each picture."""
    images = [article.title_image for article in articles if article and article.title_image]
    if images:
        renditions = GovRendition.objects.filter(filter_spec=TITLE_IMAGE_SPEC)
        prefetch = Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions")
        prefetch_related_objects(images, prefetch)


def structure_page(model, home):
    """The first live column or sub-column of type ``model`` under ``home`` (its own type,
    fields deferred), from the live structure in the render cache: no query of its own."""
    for page in live_structure():
        if page.path.startswith(home.path) and issubclass(page.specific_class, model):
            return page.specific_deferred
    return None


def homepage_context(request, home):
    """Everything the homepage template shows."""
    columns = [column for column in navigation_columns() if column.is_child_of(home)]
    top = headline()
    pictures = picture_news(exclude=top)
    with_renditions([top, *pictures])
    context = {
        "column_blocks": latest_items(columns, HOME_ITEMS_PER_COLUMN),
        "headline": top,
        "picture_news": pictures,
        # 热点专题 and its open 专栏 (banners): filled in by govsite/topics through the hook.
        "open_topics": [],
        "topics_column": None,
    }
    for contribute in hooks.get_hooks(HOME_CONTEXT_HOOK):
        context.update(contribute(request, home) or {})
    return context
