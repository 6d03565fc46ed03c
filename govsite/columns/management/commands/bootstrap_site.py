from django.core.management.base import BaseCommand

from govsite.columns.bootstrap import bootstrap_site


class Command(BaseCommand):
    help = "建立科室、角色和网站栏目结构（可重复运行，已有内容不变）。R-TREE-1"

    def handle(self, *args, **options):
        report = bootstrap_site()
        if report.created:
            for item in report.created:
                self.stdout.write(f"已建立 {item}")
        else:
            self.stdout.write("栏目结构已完整，无需改动。")
