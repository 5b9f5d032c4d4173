"""manage.py find_orphan_files: stored files without a row, rows without a file; --delete."""

import os
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from cases.models import Attachment
from cases.models.attachment import private_files
from cases.services import records
from tests.factories import register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def private_dir(tmp_path, settings) -> Path:
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    return location


def stored(location: Path) -> list[str]:
    return sorted(p.relative_to(location).as_posix() for p in location.rglob("*") if p.is_file())


def written(name: str, *, minutes_ago: int) -> None:
    """Date a stored file back (the clock is frozen; the file system's is not)."""
    moment = (timezone.now() - timedelta(minutes=minutes_ago)).timestamp()
    os.utime(private_files.path(name), (moment, moment))


def run(*args) -> str:
    out = StringIO()
    call_command("find_orphan_files", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def files(private_dir, office, clerk):
    """One attachment in order, one whose file is gone, one old stray file, one fresh one."""
    case = register(office, clerk)

    def upload(title):
        attachment = records.attachment_add(
            case=case,
            actor=clerk,
            kind="evidence",
            title=title,
            upload=SimpleUploadedFile("a.pdf", PDF),
        )
        written(attachment.file.name, minutes_ago=600)
        return attachment

    kept, lost = upload("完好"), upload("丢失")
    private_files.delete(lost.file.name)
    stray = private_files.save(f"cases/{case.pk}/stray", ContentFile(b"left behind"))
    written(stray, minutes_ago=120)
    fresh = private_files.save(f"cases/{case.pk}/fresh", ContentFile(b"being uploaded"))
    written(fresh, minutes_ago=5)
    return {"kept": kept, "lost": lost, "stray": stray, "fresh": fresh}


def test_a_clean_storage_reports_nothing_to_do(private_dir, office, clerk):
    case = register(office, clerk)
    records.attachment_add(
        case=case, actor=clerk, kind="evidence", title="x", upload=SimpleUploadedFile("a.pdf", PDF)
    )
    report = run()
    assert f"存储“private”（{private_dir}）：共有文件 1 个，记录指向的文件 1 个。" in report
    assert "没有记录指向的文件（孤立文件）：0 个" in report
    assert "文件已丢失的记录：0 条" in report
    assert "合计：孤立文件 0 个，文件已丢失的记录 0 条。" in report
    assert "存储“default”" in report and "没有任何记录使用，不检查。" in report


def test_the_report_lists_orphans_and_rows_without_files_and_removes_nothing(private_dir, files):
    before = stored(private_dir)
    report = run()
    assert "共有文件 3 个，记录指向的文件 2 个。" in report
    assert "没有记录指向的文件（孤立文件）：1 个" in report
    assert f"  {files['stray']}（11 字节，写入于 " in report
    assert files["fresh"] not in report
    assert "另有 1 个没有记录指向的文件写入不足 60 分钟，可能属于尚未完成的上传，未列入。" in report
    assert "文件已丢失的记录：1 条" in report
    assert f"  案件材料 #{files['lost'].pk}：{files['lost'].file.name}" in report
    assert "合计：孤立文件 1 个，文件已丢失的记录 1 条。" in report
    assert "如需删除以上孤立文件，请加 --delete 重新运行（不会删除任何记录）。" in report
    assert "文件已丢失的记录需人工处理" in report
    assert stored(private_dir) == before


def test_delete_removes_the_orphans_only_never_a_row(private_dir, files):
    report = run("--delete")
    assert f"  已删除 {files['stray']}" in report
    assert "已删除孤立文件 1 个；数据库记录未作任何改动。" in report
    assert stored(private_dir) == sorted([files["kept"].file.name, files["fresh"]])
    assert Attachment.objects.count() == 2
    # Run again: nothing left to remove, the lost file still reported.
    again = run("--delete")
    assert "没有记录指向的文件（孤立文件）：0 个" in again
    assert "已删除孤立文件 0 个" in again
    assert "文件已丢失的记录：1 条" in again


def test_min_age_zero_counts_fresh_files_too(private_dir, files):
    report = run("--min-age", "0", "--delete")
    assert "没有记录指向的文件（孤立文件）：2 个" in report
    assert "写入不足" not in report
    assert stored(private_dir) == [files["kept"].file.name]


def test_a_file_a_row_points_to_by_the_time_of_deleting_is_kept(private_dir, files, monkeypatch):
    from cases.management.commands import find_orphan_files

    real_scan = find_orphan_files.Command._scan

    def scan_then_save_a_row(self, checked):
        real_scan(self, checked)
        # A row saved after the scan, pointing at the stray file.
        Attachment.objects.filter(pk=files["lost"].pk).update(file=files["stray"])

    monkeypatch.setattr(find_orphan_files.Command, "_scan", scan_then_save_a_row)
    report = run("--delete")
    assert f"  未删除 {files['stray']}：检查期间已有记录指向它。" in report
    assert "已删除孤立文件 0 个" in report
    assert files["stray"] in stored(private_dir)
