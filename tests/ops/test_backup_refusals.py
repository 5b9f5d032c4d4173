"""A damaged, incomplete or edited archive, and a target that is not empty, are refused
before anything is written; rotation keeps the newest archives; one host backs up."""

from __future__ import annotations

import json
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from qianjiang_mediation.backup import BackupError, sign, verify_restored
from tests.ops.helpers import OtherHost, flip_a_byte, fresh_target, manifest_of, members, rewrite

pytestmark = pytest.mark.django_db

FILE_NAME = "cases/7/0f3a9c"
NOTHING = "未恢复任何数据。"


@pytest.fixture(scope="module")
def archive(tmp_path_factory, django_db_setup, django_db_blocker) -> Path:
    """A backup of the seeded database and one stored file (made outside any test transaction)."""
    folder = tmp_path_factory.mktemp("archive")
    storages_setting = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder / "media"},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder / "private"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with django_db_blocker.unblock(), override_settings(STORAGES=storages_setting):
        storages["private"].save(FILE_NAME, ContentFile(b"%PDF-1.4\n%%EOF\n"))
        call_command("backup", "--dir", str(folder / "backups"), stdout=StringIO())
    [path] = (folder / "backups").glob("qianjiang-backup-*.tar")
    return path


def database_member(archive: Path) -> str:
    return manifest_of(archive)["database"]["member"]


def refusal(archive: Path) -> str:
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(archive), stdout=StringIO())
    return str(exc.value)


def test_the_archive_holds_the_database_the_files_and_the_signed_manifest(archive):
    assert sorted(members(archive)) == sorted(
        [database_member(archive), f"files/private/{FILE_NAME}", "manifest.json", "manifest.hmac"]
    )
    assert archive.stat().st_mode & 0o777 == 0o600


def test_a_byte_flipped_in_the_database_part_is_refused(archive, tmp_path):
    damaged = rewrite(
        archive, tmp_path / "damaged.tar", change={database_member(archive): flip_a_byte}
    )
    assert refusal(damaged) == "备份文件已损坏：数据库部分的校验值不符，未恢复任何数据。"


def test_a_file_of_another_size_is_refused(archive, tmp_path):
    damaged = rewrite(
        archive, tmp_path / "damaged.tar", change={f"files/private/{FILE_NAME}": lambda d: d[:-1]}
    )
    assert refusal(damaged) == (
        f"备份文件已损坏：文件 {FILE_NAME}（存储“private”）的大小不符，未恢复任何数据。"
    )


def test_a_missing_file_is_refused(archive, tmp_path):
    incomplete = rewrite(
        archive, tmp_path / "incomplete.tar", change={f"files/private/{FILE_NAME}": lambda d: None}
    )
    assert refusal(incomplete) == (
        f"备份文件不完整：缺少 1 个部分（文件 {FILE_NAME}（存储“private”）），未恢复任何数据。"
    )


def test_a_missing_manifest_is_refused(archive, tmp_path):
    incomplete = rewrite(archive, tmp_path / "x.tar", change={"manifest.json": lambda d: None})
    assert refusal(incomplete) == (
        "备份文件不完整：缺少备份清单（manifest.json），未恢复任何数据。"
    )


def test_an_edited_manifest_is_refused(archive, tmp_path):
    def fewer_cases(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["tables"]["cases_case"] += 1
        return json.dumps(manifest).encode()

    edited = rewrite(archive, tmp_path / "edited.tar", change={"manifest.json": fewer_cases})
    message = refusal(edited)
    assert message.startswith(
        "备份文件已被改动：备份清单（manifest.json）与其签名不符，未恢复任何数据。"
    )


def resigned(archive: Path, target: Path, edit) -> Path:
    """The archive with its manifest edited and signed again with the right key."""
    manifest = manifest_of(archive)
    edit(manifest)
    body = json.dumps(manifest).encode()
    return rewrite(
        archive,
        target,
        change={"manifest.json": lambda d: body, "manifest.hmac": lambda d: sign(body).encode()},
    )


def test_a_file_whose_hash_the_manifest_misstates_is_refused(archive, tmp_path):
    def misstate(manifest):
        manifest["files"][0]["sha256"] = "0" * 64

    edited = resigned(archive, tmp_path / "edited.tar", misstate)
    assert refusal(edited) == (
        f"备份文件已损坏：文件 {FILE_NAME}（存储“private”）的校验值不符，未恢复任何数据。"
    )


def test_a_backup_of_the_other_database_engine_is_refused(archive, tmp_path):
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"

    def other_engine(manifest):
        manifest["vendor"] = other

    edited = resigned(archive, tmp_path / "other.tar", other_engine)
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    assert refusal(edited) == (
        f"备份来自 {names[other]} 数据库，当前配置的是 {names[connection.vendor]} 数据库，"
        "未恢复任何数据。"
    )


def test_a_backup_of_a_newer_release_is_refused(archive, tmp_path):
    def newer(manifest):
        manifest["migrations"]["cases"].append("9999_from_the_future")

    edited = resigned(archive, tmp_path / "newer.tar", newer)
    assert refusal(edited) == (
        "备份来自比本程序更新的版本：本程序没有数据库迁移 cases.9999_from_the_future。"
        "请先把程序升级到制作备份时的版本，未恢复任何数据。"
    )


def test_a_member_the_manifest_does_not_list_is_refused(archive, tmp_path):
    extra = rewrite(archive, tmp_path / "extra.tar", add={"files/private/cases/7/extra": b"x"})
    assert refusal(extra) == (
        "备份文件已损坏：含有备份清单未列出的 1 个条目（如“files/private/cases/7/extra”），"
        "未恢复任何数据。"
    )


@pytest.mark.parametrize("name", ["../../etc/cron.d/x", "/etc/passwd", "files/private/../../x"])
def test_a_member_escaping_the_folders_is_refused(archive, tmp_path, name):
    escaping = rewrite(archive, tmp_path / "escaping.tar", add={name: b"x"})
    assert refusal(escaping).startswith("备份文件已损坏：含有不安全的条目")


def test_a_truncated_archive_is_refused(archive, tmp_path):
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    message = refusal(truncated)
    assert message.startswith("备份文件已损坏：")
    assert message.endswith(NOTHING)


def test_a_missing_archive_is_refused(tmp_path):
    assert refusal(tmp_path / "none.tar") == f"找不到备份文件 {tmp_path / 'none.tar'}，{NOTHING}"


def test_a_database_with_tables_is_refused(archive, office, clerk):
    message = refusal(archive)
    assert message.startswith("目标数据库不是空的：已有 ")
    assert "建库后不要运行 migrate" in message
    assert message.endswith(NOTHING)


def test_a_folder_with_files_is_refused_before_the_database_is_touched(archive, tmp_path):
    with fresh_target(tmp_path) as target:
        (target.private / "cases").mkdir(parents=True)
        (target.private / "cases" / "left-over").write_bytes(b"old")
        result = target.manage("restore", str(archive))
        assert result.returncode == 1
        assert (
            "存储“private”中已有文件（如 cases/left-over）。恢复只写入空的文件目录或存储，"
            "以免覆盖现有文件。未恢复任何数据。"
        ) in result.stderr
        assert target.tables() == []


# The SQLite copy is made outside any transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_keep_deletes_all_but_the_newest_archives(archive, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    old = [f"qianjiang-backup-2026120{day}-013000Z.tar" for day in (1, 2, 3)]
    for name in old:
        (folder / name).write_bytes(archive.read_bytes())
    (folder / "notes.txt").write_text("not a backup")

    out = StringIO()
    call_command("backup", "--dir", str(folder), "--keep", "2", stdout=out)

    remaining = sorted(p.name for p in folder.iterdir())
    [new] = [name for name in remaining if name not in old and name != "notes.txt"]
    assert remaining == sorted([old[2], new, "notes.txt"])
    assert out.getvalue().splitlines()[-1] == (
        f"只保留最新的 2 份备份，已删除较早的 2 份：{old[0]}、{old[1]}"
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="advisory locks are PostgreSQL's; SQLite is the single-host installation",
)
def test_a_backup_started_while_another_host_backs_up_writes_nothing(tmp_path):
    other_host = OtherHost()
    try:
        other_host.hold("backup")
        out = StringIO()
        call_command("backup", "--dir", str(tmp_path), stdout=out)
        assert out.getvalue().strip() == "另一台主机正在运行 backup，本次不执行。"
        assert list(tmp_path.iterdir()) == []

        other_host.release("backup")
        call_command("backup", "--dir", str(tmp_path), stdout=StringIO())
        assert len(list(tmp_path.glob("qianjiang-backup-*.tar"))) == 1
    finally:
        other_host.close()


def test_a_restore_that_does_not_match_its_manifest_is_reported(archive):
    manifest = manifest_of(archive)
    manifest["tables"]["cases_case"] = 99
    with pytest.raises(BackupError) as exc:
        verify_restored(manifest)
    assert exc.value.message == "恢复后核对不符：表 cases_case 备份时有 99 行，恢复后有 0 行。"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_files_are_read_through_the_storage_api(settings, tmp_path):
    """No file system path is used: a store without one (like S3) is backed up the same way."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    storages["private"].save("cases/1/a", ContentFile(b"first"))
    storages["private"].save("cases/2/b", ContentFile(b"second"))
    storages["default"].save("c", ContentFile(b"third"))

    call_command("backup", "--dir", str(tmp_path), stdout=StringIO())

    [archive] = tmp_path.glob("qianjiang-backup-*.tar")
    files = {(f["storage"], f["name"]): f["size"] for f in manifest_of(archive)["files"]}
    assert files == {("private", "cases/1/a"): 5, ("private", "cases/2/b"): 6, ("default", "c"): 5}
    assert {"files/private/cases/1/a", "files/private/cases/2/b", "files/default/c"} < set(
        members(archive)
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump backs up PostgreSQL only")
def test_a_missing_pg_dump_is_named_and_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(CommandError) as exc:
        call_command("backup", "--dir", str(tmp_path / "backups"), stdout=StringIO())
    assert str(exc.value) == (
        "备份失败：数据库导出（pg_dump）失败：找不到程序 pg_dump，请安装 PostgreSQL 客户端。"
    )
    assert list((tmp_path / "backups").iterdir()) == []


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.DIRTYPE])
def test_links_and_folders_in_the_archive_are_refused(archive, tmp_path, kind):
    linked = tmp_path / "linked.tar"
    with tarfile.open(archive) as source, tarfile.open(linked, "w") as out:
        for info in source.getmembers():
            out.addfile(info, source.extractfile(info))
        link = tarfile.TarInfo("files/private/cases/7/link")
        link.type = kind
        link.linkname = "/etc/passwd"
        out.addfile(link)
    assert refusal(linked) == (
        "备份文件已损坏：含有不安全的条目“files/private/cases/7/link”（备份中只应有普通文件，不能有链接、目录、绝对路径或上级目录），"
        "未恢复任何数据。"
    )
