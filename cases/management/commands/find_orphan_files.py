"""Compare stored files with the rows that point to them: files without a row, rows without a file.

Every configured storage that some model's ``FileField`` uses is checked (today:
the private storage of case attachments, which also holds the generated
documents; ``MEDIA_ROOT`` only if a field ever uses the default storage).
``--delete`` removes files without a row, never a row. A file written in the
last ``--min-age`` minutes is left alone: it may belong to an upload whose
transaction has not committed yet.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.management.base import BaseCommand, CommandParser
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone


@dataclass
class _Checked:
    alias: str
    storage: Storage
    fields: list[models.FileField]
    files: set[str] = field(default_factory=set)
    # Stored name → the rows pointing to it, as "案件材料 #12".
    rows: dict[str, list[str]] = field(default_factory=dict)


def _file_fields() -> list[models.FileField]:
    return [
        f
        for model in apps.get_models()
        for f in model._meta.get_fields()
        if isinstance(f, models.FileField) and f.concrete
    ]


def _walk(storage: Storage, path: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in files:
        yield posixpath.join(path, name)
    for directory in directories:
        yield from _walk(storage, posixpath.join(path, directory))


def _referenced(name: str, fields: list[models.FileField]) -> bool:
    return any(f.model._base_manager.filter(**{f.name: name}).exists() for f in fields)


class Command(BaseCommand):
    help = (
        "检查案件材料和文书的存储：列出没有任何记录指向的文件（孤立文件），以及文件已丢失的记录。"
        "加 --delete 删除孤立文件；任何记录都不会被删除。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--delete", action="store_true", help="删除列出的孤立文件（不删除任何记录）。"
        )
        parser.add_argument(
            "--min-age",
            type=int,
            default=60,
            metavar="分钟",
            help="写入不足这么多分钟的文件不算孤立文件（默认 60），以免误删正在上传、尚未保存完的文件。",
        )

    def handle(self, *args, delete: bool = False, min_age: int = 60, **options) -> None:
        cutoff = timezone.now() - timedelta(minutes=min_age)
        fields = _file_fields()
        orphan_total = missing_total = deleted_total = 0
        for alias in settings.STORAGES:
            if alias == "staticfiles":
                continue
            storage = storages[alias]
            checked = _Checked(alias, storage, [f for f in fields if f.storage == storage])
            where = getattr(storage, "location", "")
            heading = f"存储“{alias}”" + (f"（{where}）" if where else "")
            if not checked.fields:
                self.stdout.write(f"{heading}：没有任何记录使用，不检查。")
                continue
            self._scan(checked)
            orphans, recent = self._orphans(checked, cutoff)
            missing = sorted(set(checked.rows) - checked.files)
            self.stdout.write(
                f"{heading}：共有文件 {len(checked.files)} 个，记录指向的文件 {len(checked.rows)} 个。"
            )
            self.stdout.write(f"没有记录指向的文件（孤立文件）：{len(orphans)} 个")
            for name in orphans:
                size = filesizeformat(storage.size(name)).replace("\xa0", " ")
                written = timezone.localtime(storage.get_modified_time(name))
                self.stdout.write(f"  {name}（{size}，写入于 {written:%Y-%m-%d %H:%M}）")
            if recent:
                self.stdout.write(
                    f"另有 {recent} 个没有记录指向的文件写入不足 {min_age} 分钟，"
                    "可能属于尚未完成的上传，未列入。"
                )
            self.stdout.write(f"文件已丢失的记录：{len(missing)} 条")
            for name in missing:
                self.stdout.write(f"  {'、'.join(checked.rows[name])}：{name}")
            orphan_total += len(orphans)
            missing_total += len(missing)
            if delete:
                deleted_total += self._delete(checked, orphans)
        self.stdout.write(
            f"合计：孤立文件 {orphan_total} 个，文件已丢失的记录 {missing_total} 条。"
        )
        if delete:
            self.stdout.write(f"已删除孤立文件 {deleted_total} 个；数据库记录未作任何改动。")
        elif orphan_total:
            self.stdout.write("如需删除以上孤立文件，请加 --delete 重新运行（不会删除任何记录）。")
        if missing_total:
            self.stdout.write(
                "文件已丢失的记录需人工处理：请从备份中找回文件，放回上面列出的位置。"
            )

    def _scan(self, checked: _Checked) -> None:
        checked.files = set(_walk(checked.storage))
        for f in checked.fields:
            label = str(f.model._meta.verbose_name)
            rows = f.model._base_manager.exclude(**{f.name: ""}).values_list("pk", f.name)
            for pk, name in rows.iterator():
                checked.rows.setdefault(name, []).append(f"{label} #{pk}")

    def _orphans(self, checked: _Checked, cutoff) -> tuple[list[str], int]:
        unreferenced = sorted(checked.files - set(checked.rows))
        old = [n for n in unreferenced if checked.storage.get_modified_time(n) < cutoff]
        return old, len(unreferenced) - len(old)

    def _delete(self, checked: _Checked, orphans: list[str]) -> int:
        deleted = 0
        for name in orphans:
            # A row may have been saved since the scan: look once more just before deleting.
            if _referenced(name, checked.fields):
                self.stdout.write(f"  未删除 {name}：检查期间已有记录指向它。")
                continue
            checked.storage.delete(name)
            deleted += 1
            self.stdout.write(f"  已删除 {name}")
        return deleted
