"""``manage.py restore ARCHIVE [--force]``: rebuild this instance from a backup archive
(govsite.backup.operations.restore_backup; docs/backup.md).

Nothing changes until the whole archive has been verified against its manifest; an archive from
another database vendor or a newer GovSite is refused; a database that already holds content
(or storages that hold the same file names) is replaced only with ``--force``. Stop the
application servers and the scheduler first.
"""

from django.core.management.base import BaseCommand, CommandError

from govsite.backup.archive import BackupError
from govsite.backup.operations import restore_backup
from govsite.backup.rules import described_counts


class Command(BaseCommand):
    help = "恢复：用备份文件重建本实例（先校验全部内容；已有内容的数据库须加 --force）。"

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="ARCHIVE", help="manage.py backup 写出的备份文件")
        parser.add_argument(
            "--force",
            action="store_true",
            help="目标数据库已有内容或存储中已有同名文件时仍然恢复（替换全部数据）。",
        )

    def handle(self, *args, archive, force, **options):
        try:
            report = restore_backup(archive, force=force, progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(f"恢复失败：{error}") from error
        manifest = report.manifest
        version = manifest.get("govsite", {})
        self.stdout.write(
            f"备份来源：{manifest.get('site')}，{manifest.get('created_at')}，"
            f"GovSite {version.get('version') or '?'}"
            + (f"（{version['commit'][:12]}）" if version.get("commit") else "")
        )
        self.stdout.write(f"记录数（与清单一致）：{described_counts(report.counts)}")
        if report.behind:
            shown = "、".join(f"{app}.{name}" for app, name in report.behind[:5])
            self.stdout.write(
                self.style.WARNING(
                    f"备份早于当前程序：还有 {len(report.behind)} 个迁移未应用（{shown}"
                    f"{'等' if len(report.behind) > 5 else ''}）。"
                    "请运行 manage.py migrate。"
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                "恢复完成。请重新生成静态发布页面（manage.py publish_site）后再启动网站服务。"
            )
        )
