"""Rebuild the listing index of the 政务公开目录 and the policy library (issue 16 item 6) from
the documents' rows: after a bulk import or a restore that bypassed the page signals."""

from django.core.management.base import BaseCommand

from govsite.disclosure import listing_index


class Command(BaseCommand):
    help = "按文件页面重建政务公开目录和政策文件库的目录索引。"

    def handle(self, **options):
        count = listing_index.rebuild()
        self.stdout.write(f"目录索引已重建，共 {count} 篇文件。")
