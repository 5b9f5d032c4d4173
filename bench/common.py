"""What every benchmark needs: a throw-away database with the reference data and demo
users, on SQLite by default or on a PostgreSQL database that is dropped and created."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(
    workdir: Path, database_url: str | None = None, *, seed_args: tuple = (), fresh: bool = True
) -> None:
    """Point Django at a fresh database under ``workdir`` (or ``database_url``), migrate
    it and load the demo data with ``seed_args``. ``fresh=False`` keeps the database as
    it is (the demo data is loaded only once)."""
    sys.path.insert(0, str(ROOT))
    if database_url and fresh:
        recreate(database_url)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_PRIVATE_FILES_ROOT"] = str(workdir / "private")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    # seed_demo lives in the demo app, which production-like settings leave out.
    os.environ["DJANGO_DEMO"] = "true"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianjiang_mediation.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", *seed_args, force=True, verbosity=0)


def recreate(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
