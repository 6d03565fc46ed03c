"""``manage.py backup [--output PATH]``: one archive of the database and every stored file, with
a manifest and checksums (govsite.backup.operations.make_backup; docs/backup.md). Safe while
the site runs. Exits with a message and a non-zero code on failure, leaving no archive behind.
"""

from django.core.management.base import BaseCommand, CommandError

from govsite.backup.archive import BackupError
from govsite.backup.operations import human_size, make_backup
from govsite.backup.rules import described_counts


class Command(BaseCommand):
    # No system checks: a backup must run whatever a check says of the configuration, and on
    # SQLite Django's feature probe would open a write transaction (BEGIN IMMEDIATE) and wait
    # behind the site's writers, where the backup itself only ever reads.
    requires_system_checks = []
    help = "备份：把数据库和全部上传文件（含来信附件）写入一个带清单和校验值的归档文件。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="PATH",
            help="备份文件（以 .tar.gz、.tgz 或 .tar 结尾），或存放备份的目录（没有则新建）；"
            "默认放在 GOVSITE_BACKUP_ROOT（var/backups/）。",
        )

    def handle(self, *args, output=None, **options):
        try:
            report = make_backup(output, progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(f"备份失败：{error}") from error
        manifest = report.manifest
        self.stdout.write(f"记录数：{described_counts(manifest['counts'])}")
        for path in report.skipped:
            self.stdout.write(f"备份过程中已被删除，未收入：{path}")
        self.stdout.write(
            self.style.SUCCESS(
                f"已写入备份：{report.path}（{human_size(report.size)}，"
                f"{len(manifest['members'])} 个条目，仅所有者可读写）"
            )
        )
