"""Running manage.py against a second, fresh database and file folders, as a new host would."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from qianjiang_mediation.locks import lock_key

MANAGE = str(settings.BASE_DIR / "manage.py")


@dataclass
class Target:
    """An empty database and empty file folders, reached by manage.py in a subprocess."""

    database_url: str
    media: Path
    private: Path
    sqlite_file: Path | None = None

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DJANGO_MEDIA_ROOT": str(self.media),
            "DJANGO_PRIVATE_FILES_ROOT": str(self.private),
            "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        }

    def manage(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, MANAGE, *args],
            env=self.env(),
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def tables(self) -> list[str]:
        code = (
            "from django.db import connection; import json; "
            "print(json.dumps(sorted(connection.introspection.table_names())))"
        )
        result = self.manage("shell", "-c", code)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])


def postgres_url(name: str) -> str:
    """The URL of database ``name`` on the server the tests use."""
    params = connection.settings_dict
    auth = quote(params["USER"]) + (
        f":{quote(params['PASSWORD'])}" if params.get("PASSWORD") else ""
    )
    host = params.get("HOST") or "localhost"
    port = params.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{name}"


def _maintenance_session():
    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    session = connection.get_new_connection(params)
    session.autocommit = True
    return session


@contextmanager
def fresh_target(tmp_path: Path) -> Iterator[Target]:
    """A new empty database (PostgreSQL: created here and dropped after) and file folders."""
    media, private = tmp_path / "restored-media", tmp_path / "restored-private"
    if connection.vendor == "sqlite":
        database = tmp_path / "restored.sqlite3"
        yield Target(f"sqlite:///{database}", media, private, sqlite_file=database)
        return
    # The test database is test_<configured name>; the new one sits beside it.
    base = str(connection.settings_dict["NAME"]).removeprefix("test_")
    name = f"{base}_restore_{uuid.uuid4().hex[:8]}"
    session = _maintenance_session()
    try:
        session.execute(f'CREATE DATABASE "{name}"')
        yield Target(postgres_url(name), media, private)
    finally:
        session.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        session.close()


def rewrite(
    archive: Path,
    target: Path,
    *,
    change: dict[str, Callable[[bytes], bytes | None]] | None = None,
    add: dict[str, bytes] | None = None,
) -> Path:
    """Copy the archive member by member; ``change`` edits a member's bytes (None drops it)."""
    change = change or {}
    with (
        tarfile.open(archive) as source,
        tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as out,
    ):
        for info in source.getmembers():
            handle = source.extractfile(info)
            assert handle is not None
            data: bytes | None = handle.read()
            if info.name in change:
                data = change[info.name](data or b"")
            if data is None:
                continue
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
        for name, data in (add or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return target


def members(archive: Path) -> list[str]:
    with tarfile.open(archive) as tar:
        return tar.getnames()


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        handle = tar.extractfile("manifest.json")
        assert handle is not None
        return json.loads(handle.read())


def flip_a_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


class OtherHost:
    """A second database session, standing for the same command started on another host."""

    def __init__(self) -> None:
        params = connection.get_connection_params()
        self.session = connection.get_new_connection(params)
        self.session.autocommit = True

    def hold(self, name: str) -> None:
        self.session.execute("SELECT pg_advisory_lock(%s)", [lock_key(name)])

    def release(self, name: str) -> None:
        self.session.execute("SELECT pg_advisory_unlock(%s)", [lock_key(name)])

    def try_take(self, name: str) -> bool:
        row = self.session.execute("SELECT pg_try_advisory_lock(%s)", [lock_key(name)]).fetchone()
        return bool(row and row[0])

    def close(self) -> None:
        self.session.close()
