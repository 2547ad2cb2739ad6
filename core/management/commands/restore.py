"""manage.py restore DIRECTORY: check every checksum, rebuild the database, copy the files back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore_backup, verify_backup


class Command(BaseCommand):
    help = "从 backup 生成的目录还原数据库与上传的文件（先核对全部校验和）。"

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--check-only", action="store_true", help="只核对校验和，不还原")

    def handle(self, *args, directory, check_only=False, **options):
        try:
            if check_only:
                manifest = verify_backup(Path(directory))
                self.stdout.write(f"备份完好：{len(manifest['files'])} 个文件校验通过。")
                return
            manifest = restore_backup(Path(directory))
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"还原完成：{manifest['created']} 的备份，{manifest['counts']}")
