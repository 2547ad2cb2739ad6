"""manage.py backup [DIRECTORY]: database snapshot, uploaded files and a manifest with checksums."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库与上传的文件（含 manifest.json 校验和），可用 restore 还原。"

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            help="备份目录（须不存在或为空）；默认 var/backups/<时间>",
        )

    def handle(self, *args, directory=None, **options):
        if not directory:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            directory = Path(settings.BASE_DIR) / "var" / "backups" / stamp
        try:
            manifest = create_backup(Path(directory))
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        summary = "，".join(f"{name} {count}" for name, count in manifest["counts"].items())
        self.stdout.write(f"备份完成：{directory}（{len(manifest['files'])} 个文件；{summary}）")
