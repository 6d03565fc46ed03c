"""静态发布 for a deploy: empty the published tree and render every published page into it
(``govsite.publishing.whole_site``, the same run as 综合科's 重新生成全部页面 in the admin, here in
the foreground). ``--purge`` only empties the tree. Safe while the site is serving: a missing
file sends nginx to the application, which renders and stores it again.
"""

from django.core.management.base import BaseCommand

from govsite.publishing import store
from govsite.publishing.whole_site import publish_site


class Command(BaseCommand):
    help = "静态发布：重新生成全部已发布的公开页面文件；--purge 只清空。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--purge", action="store_true", help="只清空已发布的页面文件，不重新生成。"
        )

    def handle(self, *args, purge, **options):
        if purge:
            store.purge(everything=True)
            self.stdout.write(f"已清空 {store.root()}。")
            return
        outcome = publish_site(report=lambda line: self.stderr.write(f"未生成：{line}"))
        self.stdout.write(f"已生成 {outcome.written} 个文件，位于 {store.root()}。")
        if outcome.failures:
            self.stdout.write(f"{outcome.failures} 个页面未能生成，见上。")
