from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """订阅与搜索引擎 (issue 17 item 4, SPEC §11 R-SITE-1): RSS feeds of the dynamic columns,
    robots.txt, the favicon, and the public site's real address in what crawlers read."""

    name = "govsite.feeds"
    label = "feeds"
    verbose_name = "订阅与搜索引擎"
