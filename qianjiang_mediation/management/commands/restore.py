"""Restore an archive made by ``backup`` into an empty database and empty storages."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from qianjiang_mediation.backup import VENDOR_NAMES, BackupError, check_archive, restore_archive


class Command(BaseCommand):
    help = (
        "从 backup 制作的备份文件恢复数据库和文件。只写入新建的空数据库（不要先运行 migrate）"
        "和空的文件目录；先核对整个备份文件，恢复后再核对每张表的行数和每个文件的校验值。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, metavar="备份文件")

    def handle(self, *args, archive: Path, **options) -> None:
        try:
            checked = check_archive(archive)
            manifest = checked.manifest
            self.stdout.write(
                f"备份文件完整：数据库部分和 {len(manifest['files'])} 个文件的校验值与清单一致。"
            )
            restored = restore_archive(checked)
        except BackupError as exc:
            raise CommandError(exc.message) from None
        created = parse_datetime(manifest["created_at"])
        made = f"{timezone.localtime(created):%Y-%m-%d %H:%M:%S}" if created else "未知时间"
        files = "，".join(f"存储“{alias}” {n} 个" for alias, n in restored.files.items())
        self.stdout.write(
            f"恢复完成：{made} 的备份。数据库（{VENDOR_NAMES[manifest['vendor']]}）"
            f"{restored.tables} 张表共 {restored.rows} 行，每张表的行数与备份清单一致；"
            f"文件 {sum(restored.files.values())} 个（{files}），校验值全部一致。"
        )
        self.stdout.write("如程序版本比备份新，请接着运行 manage.py migrate。")
