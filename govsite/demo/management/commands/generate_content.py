"""``manage.py generate_content --articles N``: realistic live articles for benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError

from govsite.demo.generator import generate_articles


class Command(BaseCommand):
    help = "生成指定数量的仿真文章（用于性能测试和压力测试），分布在各动态更新子栏目中。"

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="生成的文章数")
        parser.add_argument("--seed", type=int, default=0, help="随机种子，相同种子生成相同内容")
        parser.add_argument("--batch-size", type=int, default=1000, help="每个事务的文章数")
        parser.add_argument(
            "--no-index", action="store_true", help="不建立搜索索引（之后运行 update_index）"
        )

    def handle(self, *args, articles, seed, batch_size, no_index, **options):
        if articles < 1:
            raise CommandError("--articles 须为正整数。")
        started = time.perf_counter()

        def progress(done):
            elapsed = time.perf_counter() - started
            self.stdout.write(f"{done}/{articles} 篇，{done / elapsed:.0f} 篇/秒")

        try:
            created = generate_articles(
                articles, seed=seed, batch_size=batch_size, index=not no_index, progress=progress
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"已生成 {len(created)} 篇文章，用时 {elapsed:.1f} 秒。")
        )
