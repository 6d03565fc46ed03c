"""复查: screen every published article and profile with the current lexicon (R-SCREEN-1)."""

from django.core.management.base import BaseCommand

from govsite.screening.rescreen import rescreen_published


class Command(BaseCommand):
    help = "用当前的审查词库复查所有已发布的信息，并通知负责科室和综合科。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-notify", action="store_true", help="只记录和输出结果，不发送通知。"
        )

    def handle(self, *args, no_notify, **options):
        run = rescreen_published(notify=not no_notify)
        for item in run.flagged:
            self.stdout.write(
                f"《{item['title']}》（{item['section'] or '无来源'}，ID {item['page']}）"
            )
            for line in item["findings"]:
                self.stdout.write(f"  {line}")
        self.stdout.write(
            f"复查完成：检查 {run.pages_checked} 条已发布信息，{len(run.flagged)} 条未通过。"
        )
