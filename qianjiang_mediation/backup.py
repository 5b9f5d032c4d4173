"""Backups: one tar archive with the database, every stored file and a signed manifest.

An archive (``qianjiang-backup-20261206-013000Z.tar``, the UTC time it was made) holds:

- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3``
  (SQLite, a copy made with SQLite's online backup API);
- ``files/<storage>/<name>``: every file of the ``default`` and ``private`` storages,
  read through Django's storage API (so an S3-compatible store is backed up the same way);
- ``manifest.json``: the SHA-256 and size of the database part and of each file, the
  rows of every table of the project's models, the database vendor, the migrations
  applied per app and the time it was made;
- ``manifest.hmac``: the manifest's HMAC-SHA256 keyed by ``SECRET_KEY``, so an edited
  manifest is refused (a restore runs with the key the backup was made with).

The row counts are taken in the same snapshot as the dump (PostgreSQL: an exported
snapshot handed to pg_dump; SQLite: read from the copy), so they match it exactly.

A restore writes only into an empty database (no tables at all: create it, do not
migrate it) and empty storages, after checking the whole archive; then it counts the
rows and hashes the files again.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import posixpath
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.crypto import salted_hmac

FORMAT = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.hmac"
DATABASE_MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
ARCHIVE_PREFIX = "qianjiang-backup-"
ARCHIVE_SUFFIX = ".tar"
_HMAC_SALT = "qianjiang_mediation.backup.manifest"
_CHUNK = 1024 * 1024
NOTHING_RESTORED = "未恢复任何数据。"


class BackupError(Exception):
    """A backup or restore refused or failed; ``message`` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- What is backed up ----------------------------------------------------------------


def file_storages() -> list[str]:
    """The storages holding uploaded and generated files (not the static files)."""
    return [alias for alias in settings.STORAGES if alias != "staticfiles"]


def walk(storage: Storage, path: str = "") -> Iterator[str]:
    """Every file name in the storage, through its API (local disk or an object store)."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in files:
        yield posixpath.join(path, name)
    for directory in directories:
        yield from walk(storage, posixpath.join(path, directory))


def project_tables() -> list[str]:
    """The table of every model installed (many-to-many tables included)."""
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def _count_rows(cursor: Any, quote: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations(cursor: Any) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def sha256_of(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def sign(manifest: bytes) -> str:
    return salted_hmac(_HMAC_SALT, manifest, algorithm="sha256").hexdigest()


def _signature_valid(manifest: bytes, signature: str) -> bool:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(
        hmac.compare_digest(
            salted_hmac(_HMAC_SALT, manifest, secret=key, algorithm="sha256").hexdigest(),
            signature.strip(),
        )
        for key in keys
    )


# --- Writing an archive -----------------------------------------------------------------


@dataclass
class Snapshot:
    """The database part written to a temporary file, with what it holds."""

    path: Path
    tables: dict[str, int]
    migrations: dict[str, list[str]]


def _dump_postgresql(connection: BaseDatabaseWrapper, path: Path, tables: list[str]) -> Snapshot:
    import psycopg

    # A session of its own, so the counts and pg_dump read one exported snapshot,
    # whatever the command's own connection is doing.
    session = connection.get_new_connection(connection.get_connection_params())
    try:
        session.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        session.read_only = True
        with session.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            counts = _count_rows(cursor, connection.ops.quote_name, tables)
            migrations = _applied_migrations(cursor)
        args, env = _client_args(connection)
        _run(
            [
                "pg_dump",
                *args,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={path}",
                *_dbname(connection),
            ],
            env,
            "数据库导出（pg_dump）失败",
        )
        session.rollback()
    finally:
        session.close()
    return Snapshot(path, counts, migrations)


def _dump_sqlite(connection: BaseDatabaseWrapper, path: Path, tables: list[str]) -> Snapshot:
    # The online backup API copies a consistent state (it starts again when another
    # connection writes meanwhile); the counts are then read from that copy itself.
    if connection.in_atomic_block:
        # Inside a transaction (which takes the write lock here) the copy would wait forever.
        raise BackupError("SQLite 数据库不能在事务中备份，请在事务之外运行 backup。")
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        cursor = target.cursor()
        counts = _count_rows(cursor, connection.ops.quote_name, tables)
        migrations = _applied_migrations(cursor)
    finally:
        target.close()
    return Snapshot(path, counts, migrations)


def _client_args(connection: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    """pg_dump's and pg_restore's connection options (user, host, port) and environment."""
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, [])
    # Django's psql arguments end with the database name when there is one (_dbname).
    options = list(args[1 : len(args) - len(_dbname(connection))])
    return options, {**os.environ, **(env or {})}


def _dbname(connection: BaseDatabaseWrapper) -> list[str]:
    """The database name, or none when a connection service file names it (PGSERVICE)."""
    name = connection.settings_dict.get("NAME")
    if name:
        return [str(name)]
    return [] if connection.settings_dict["OPTIONS"].get("service") else ["postgres"]


def _run(command: list[str], env: dict[str, str], failure: str) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"{failure}：找不到程序 {command[0]}，请安装 PostgreSQL 客户端。"
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{failure}：{result.stderr.strip()}")


class _HashingReader:
    """Reads a stream into the archive while hashing what passes."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add(tar: tarfile.TarFile, name: str, stream: IO[bytes], size: int, mtime: float) -> dict:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = 0o600
    reader = _HashingReader(stream)
    tar.addfile(info, reader)
    if reader.size != size:
        raise BackupError(f"读取 {name} 时大小发生变化（{size} 字节变为 {reader.size} 字节）。")
    return {"member": name, "sha256": reader.digest.hexdigest(), "size": size}


def archive_name(moment: Any) -> str:
    return f"{ARCHIVE_PREFIX}{moment:%Y%m%d-%H%M%S}Z{ARCHIVE_SUFFIX}"


def archives_in(directory: Path) -> list[Path]:
    """The backups in the directory, oldest first (their names sort by time)."""
    if not directory.is_dir():
        return []
    return sorted(
        path
        for path in directory.iterdir()
        if path.is_file()
        and path.name.startswith(ARCHIVE_PREFIX)
        and path.name.endswith(ARCHIVE_SUFFIX)
    )


@dataclass
class Written:
    path: Path
    manifest: dict[str, Any]


def _write_members(
    tar: tarfile.TarFile, snapshot: Snapshot, *, vendor: str, mtime: float, created: str
) -> dict[str, Any]:
    """The database part, every stored file, then the manifest and its signature."""
    with open(snapshot.path, "rb") as stream:
        database = _add(tar, DATABASE_MEMBERS[vendor], stream, snapshot.path.stat().st_size, mtime)
    files = []
    for alias in file_storages():
        storage = storages[alias]
        for name in sorted(walk(storage)):
            with storage.open(name, "rb") as stream:
                entry = _add(tar, f"files/{alias}/{name}", stream, storage.size(name), mtime)
            files.append({"storage": alias, "name": name, **entry})
    manifest = {
        "format": FORMAT,
        "created_at": created,
        "vendor": vendor,
        "database": database,
        "tables": snapshot.tables,
        "migrations": snapshot.migrations,
        "storages": file_storages(),
        "files": files,
    }
    body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
    _add(tar, MANIFEST, io.BytesIO(body), len(body), mtime)
    signature = sign(body).encode()
    _add(tar, SIGNATURE, io.BytesIO(signature), len(signature), mtime)
    return manifest


def create_backup(directory: Path, *, using: str = DEFAULT_DB_ALIAS) -> Written:
    """Write one archive into ``directory``; it appears only once complete."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"不支持备份 {vendor} 数据库，只支持 PostgreSQL 和 SQLite。")
    created = timezone.now()
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / archive_name(created.astimezone(UTC))
    if final.exists():
        raise BackupError(f"{final} 已存在：同一秒内不能制作两份备份，请稍后再试。")
    partial = directory / f".{final.name}.partial"
    mtime = created.timestamp()
    try:
        with tempfile.TemporaryDirectory(prefix=".backup-", dir=directory) as work:
            dump = _dump_postgresql if vendor == "postgresql" else _dump_sqlite
            connection.ensure_connection()
            snapshot = dump(connection, Path(work) / DATABASE_MEMBERS[vendor], project_tables())
            handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(handle, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                    manifest = _write_members(
                        tar, snapshot, vendor=vendor, mtime=mtime, created=created.isoformat()
                    )
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    return Written(final, manifest)


def rotate(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` archives; return those deleted."""
    if keep <= 0:
        return []
    old = archives_in(directory)[:-keep]
    for path in old:
        path.unlink()
    return old


# --- Checking an archive ----------------------------------------------------------------


@dataclass
class Checked:
    """An archive whose every member matched its manifest."""

    path: Path
    manifest: dict[str, Any]
    members: dict[str, tarfile.TarInfo] = field(default_factory=dict)


def _damaged(what: str) -> BackupError:
    return BackupError(f"备份文件已损坏：{what}，{NOTHING_RESTORED}")


def _safe(name: str) -> bool:
    return (
        bool(name)
        and not name.startswith("/")
        and "\\" not in name
        and posixpath.normpath(name) == name
        and ".." not in name.split("/")
    )


def _describe(entry: dict[str, Any], database_member: str) -> str:
    if entry["member"] == database_member:
        return "数据库部分"
    return f"文件 {entry['name']}（存储“{entry['storage']}”）"


def check_archive(path: Path) -> Checked:
    """Check the whole archive against its manifest before anything is written."""
    if not path.is_file():
        raise BackupError(f"找不到备份文件 {path}，{NOTHING_RESTORED}")
    try:
        with tarfile.open(path, mode="r:") as tar:
            return _check_members(path, tar)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise _damaged(f"{path.name} 不是可以完整读取的备份归档（{exc}）") from None


def _check_members(path: Path, tar: tarfile.TarFile) -> Checked:
    infos = tar.getmembers()
    members: dict[str, tarfile.TarInfo] = {}
    for info in infos:
        if not _safe(info.name) or not info.isreg():
            raise _damaged(
                f"含有不安全的条目“{info.name}”（备份中只应有普通文件，不能有链接、目录、绝对路径或上级目录）"
            )
        if info.name in members:
            raise _damaged(f"条目“{info.name}”出现了两次")
        members[info.name] = info
    for required, label in ((MANIFEST, "备份清单"), (SIGNATURE, "备份清单的签名")):
        if required not in members:
            raise BackupError(f"备份文件不完整：缺少{label}（{required}），{NOTHING_RESTORED}")
    body = _read(tar, members[MANIFEST])
    signature = _read(tar, members[SIGNATURE]).decode(errors="replace")
    if not _signature_valid(body, signature):
        raise BackupError(
            f"备份文件已被改动：备份清单（{MANIFEST}）与其签名不符，{NOTHING_RESTORED}"
            "如果备份是在另一个 DJANGO_SECRET_KEY 下制作的，请使用制作时的密钥恢复。"
        )
    try:
        manifest = json.loads(body)
    except ValueError:
        raise _damaged(f"备份清单（{MANIFEST}）不是有效的 JSON") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"备份格式 {manifest.get('format')} 不是本程序能读取的格式 {FORMAT}，{NOTHING_RESTORED}"
        )
    entries = [manifest["database"], *manifest["files"]]
    database_member = manifest["database"]["member"]
    for entry in manifest["files"]:
        if entry["member"] != f"files/{entry['storage']}/{entry['name']}" or not _safe(
            entry["name"]
        ):
            raise _damaged(f"备份清单中的文件名“{entry['name']}”不安全")
    listed = {entry["member"] for entry in entries}
    present = set(members) - {MANIFEST, SIGNATURE}
    if missing := sorted(listed - present):
        described = "、".join(
            _describe(e, database_member) for e in entries if e["member"] in missing[:3]
        )
        raise BackupError(
            f"备份文件不完整：缺少 {len(missing)} 个部分（{described}），{NOTHING_RESTORED}"
        )
    if extra := sorted(present - listed):
        raise _damaged(f"含有备份清单未列出的 {len(extra)} 个条目（如“{extra[0]}”）")
    for entry in entries:
        info = members[entry["member"]]
        stream = tar.extractfile(info)
        assert stream is not None  # a regular file, checked above
        digest, size = sha256_of(stream)
        if size != entry["size"]:
            raise _damaged(f"{_describe(entry, database_member)}的大小不符")
        if digest != entry["sha256"]:
            raise _damaged(f"{_describe(entry, database_member)}的校验值不符")
    return Checked(path, manifest, members)


def _read(tar: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    stream = tar.extractfile(info)
    assert stream is not None
    return stream.read()


# --- Restoring --------------------------------------------------------------------------


@dataclass
class Restored:
    rows: int
    tables: int
    files: dict[str, int]


def _refuse_non_empty_target(connection: BaseDatabaseWrapper, manifest: dict[str, Any]) -> None:
    vendor = manifest["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"备份来自 {VENDOR_NAMES.get(vendor, vendor)} 数据库，当前配置的是 "
            f"{VENDOR_NAMES.get(connection.vendor, connection.vendor)} 数据库，{NOTHING_RESTORED}"
        )
    _refuse_newer_schema(manifest)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if tables:
        raise BackupError(
            f"目标数据库不是空的：已有 {len(tables)} 张表（如 {', '.join(sorted(tables)[:3])}）。"
            "恢复只写入新建的空数据库（建库后不要运行 migrate），以免覆盖现有数据。"
            f"{NOTHING_RESTORED}"
        )
    for alias in manifest["storages"]:
        if alias not in settings.STORAGES:
            raise BackupError(f"备份中的存储“{alias}”在当前配置中不存在，{NOTHING_RESTORED}")
        names = []
        for name in walk(storages[alias]):
            names.append(name)
            break
        if names:
            raise BackupError(
                f"存储“{alias}”中已有文件（如 {names[0]}）。恢复只写入空的文件目录或存储，"
                f"以免覆盖现有文件。{NOTHING_RESTORED}"
            )


def _refuse_newer_schema(manifest: dict[str, Any]) -> None:
    """A backup made by a newer release has tables and columns this program does not know."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    unknown = [
        f"{app}.{name}"
        for app, names in sorted(manifest["migrations"].items())
        if app in loader.migrated_apps
        for name in names
        if (app, name) not in loader.disk_migrations
    ]
    if unknown:
        raise BackupError(
            f"备份来自比本程序更新的版本：本程序没有数据库迁移 {'、'.join(unknown[:3])}"
            f"{'等' if len(unknown) > 3 else ''}。请先把程序升级到制作备份时的版本，"
            f"{NOTHING_RESTORED}"
        )


def restore_archive(checked: Checked, *, using: str = DEFAULT_DB_ALIAS) -> Restored:
    """Write a checked archive into the empty database and storages, then verify them."""
    connection = connections[using]
    manifest = checked.manifest
    _refuse_non_empty_target(connection, manifest)
    with tarfile.open(checked.path, mode="r:") as tar, tempfile.TemporaryDirectory() as work:
        database = manifest["database"]
        dump = Path(work) / database["member"]
        with open(dump, "wb") as out:
            stream = tar.extractfile(checked.members[database["member"]])
            assert stream is not None
            while chunk := stream.read(_CHUNK):
                out.write(chunk)
        if connection.vendor == "postgresql":
            args, env = _client_args(connection)
            _run(
                [
                    "pg_restore",
                    *args,
                    "--exit-on-error",
                    "--single-transaction",
                    "--no-owner",
                    "--no-privileges",
                    *(f"--dbname={name}" for name in _dbname(connection)),
                    str(dump),
                ],
                env,
                "数据库恢复（pg_restore）失败，数据库未作改动",
            )
        else:
            connection.ensure_connection()
            source = sqlite3.connect(dump)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        connection.close()
        for entry in manifest["files"]:
            stream = tar.extractfile(checked.members[entry["member"]])
            saved = storages[entry["storage"]].save(entry["name"], File(stream, name=entry["name"]))
            if saved != entry["name"]:
                raise BackupError(
                    f"文件 {entry['name']} 被存储“{entry['storage']}”保存为 {saved}，恢复结果不完整。"
                )
    return verify_restored(manifest, using=using)


def verify_restored(manifest: dict[str, Any], *, using: str = DEFAULT_DB_ALIAS) -> Restored:
    """Count every table and hash every file again; raise on the first difference."""
    connection = connections[using]
    expected: dict[str, int] = manifest["tables"]
    with connection.cursor() as cursor:
        counts = _count_rows(cursor, connection.ops.quote_name, sorted(expected))
    for table, rows in expected.items():
        if counts[table] != rows:
            raise BackupError(
                f"恢复后核对不符：表 {table} 备份时有 {rows} 行，恢复后有 {counts[table]} 行。"
            )
    files: dict[str, int] = dict.fromkeys(manifest["storages"], 0)
    for entry in manifest["files"]:
        with storages[entry["storage"]].open(entry["name"], "rb") as stream:
            digest, size = sha256_of(stream)
        if (digest, size) != (entry["sha256"], entry["size"]):
            raise BackupError(
                f"恢复后核对不符：文件 {entry['name']}（存储“{entry['storage']}”）与备份不一致。"
            )
        files[entry["storage"]] += 1
    return Restored(rows=sum(counts.values()), tables=len(counts), files=files)
