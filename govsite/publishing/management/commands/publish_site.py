"""静态发布 for a deploy: empty the published tree and render every published page into it —
each page of every column list, the site map and sitemap.xml — as an anonymous visitor would
(``render.render``; what is stored is decided by ``rules.stored_file``). ``--purge`` only
empties the tree. Safe while the site is serving: a missing file sends nginx to the
application, which renders and stores it again.
"""

from django.core.management.base import BaseCommand
from wagtail.models import Page

from govsite.publishing import rules, store
from govsite.publishing.render import render

SITE_WIDE_URLS = ["/sitemap/", "/sitemap.xml"]


class Command(BaseCommand):
    help = "静态发布：重新生成全部已发布的公开页面文件；--purge 只清空。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--purge", action="store_true", help="只清空已发布的页面文件，不重新生成。"
        )

    def handle(self, *args, purge, **options):
        store.purge(everything=True)
        if purge:
            self.stdout.write(f"已清空 {store.root()}。")
            return
        written = failed = 0
        for path in [*self.page_paths(), *SITE_WIDE_URLS]:
            response = render(path, replace=True)
            if response.published_file is None:
                failed += 1
                self.stderr.write(f"未生成：{path}（HTTP {response.status_code}）")
                continue
            written += 1
            shown = rules.list_page(response)
            for number in range(2, shown.paginator.num_pages + 1 if shown else 2):
                if render(path, f"page={number}", replace=True).published_file is None:
                    failed += 1
                    self.stderr.write(f"未生成：{path}?page={number}")
                else:
                    written += 1
        self.stdout.write(f"已生成 {written} 个文件，位于 {store.root()}。")
        if failed:
            self.stdout.write(f"{failed} 个页面未能生成，见上。")

    def page_paths(self):
        """The URL of every live, public page of a published type, in tree order."""
        pages = Page.objects.live().public().order_by("path").specific(defer=True)
        for page in pages.iterator():
            if rules.is_published_type(page):
                path = rules.public_path(page.url_path)
                if path is not None:
                    yield path
