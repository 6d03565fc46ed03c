"""Import a 主题分类 tree file (R-OPEN-1): refused whole on a loop, a third level, an unknown
parent or a duplicate, with nothing changed."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from govsite.disclosure.topics import import_topics


class Command(BaseCommand):
    help = "导入主题分类文件（TOML，格式同 govsite/disclosure/data/topics.toml）。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="主题分类文件")

    def handle(self, path, **options):
        try:
            created = import_topics(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"无法读取文件 {path}：{error}") from error
        except ValidationError as error:
            raise CommandError(
                "导入被拒绝，主题分类未做任何修改：" + "；".join(error.messages)
            ) from error
        for line in created:
            self.stdout.write(f"新增：{line}")
        self.stdout.write(f"导入完成，新增 {len(created)} 个分类。")
