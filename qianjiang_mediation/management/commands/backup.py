"""Back up the database and every stored file into one archive (for the nightly timer)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat

from qianjiang_mediation.backup import VENDOR_NAMES, BackupError, create_backup, rotate
from qianjiang_mediation.locks import busy_message, one_host_at_a_time


class Command(BaseCommand):
    help = (
        "把数据库和全部上传、生成的文件备份为一个归档文件（含校验清单）。"
        "加 --keep N 只保留最新的 N 份备份。用 restore 恢复。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            metavar="目录",
            help="备份写入的目录，默认为设置 DJANGO_BACKUP_DIR。",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            metavar="N",
            help="备份完成后只保留目录中最新的 N 份备份，删除更早的；0 表示全部保留。"
            "默认为设置 DJANGO_BACKUP_KEEP。",
        )

    def handle(self, *args, dir: Path | None = None, keep: int | None = None, **options) -> None:
        directory = Path(dir or settings.BACKUP_DIR)
        keep = settings.BACKUP_KEEP if keep is None else keep
        if keep < 0:
            raise CommandError("--keep 不能是负数。")
        # Started by the timer of every app host: one host backs up, the others skip.
        with one_host_at_a_time("backup") as acquired:
            if not acquired:
                self.stdout.write(busy_message("backup"))
                return
            try:
                written = create_backup(directory)
            except BackupError as exc:
                raise CommandError(f"备份失败：{exc.message}") from None
            manifest = written.manifest
            size = filesizeformat(written.path.stat().st_size).replace("\xa0", " ")
            self.stdout.write(
                f"备份完成：{written.path}（{size}）。数据库（{VENDOR_NAMES[manifest['vendor']]}）"
                f"{len(manifest['tables'])} 张表共 {sum(manifest['tables'].values())} 行，"
                f"文件 {len(manifest['files'])} 个。"
            )
            deleted = rotate(directory, keep)
            if deleted:
                self.stdout.write(
                    f"只保留最新的 {keep} 份备份，已删除较早的 {len(deleted)} 份："
                    + "、".join(path.name for path in deleted)
                )
