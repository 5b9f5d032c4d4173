"""Where uploaded and generated files live: the ``default`` and ``private`` storages.

``DJANGO_FILE_STORAGE=local`` (the default) keeps them on this server's disk
(``MEDIA_ROOT`` and ``PRIVATE_FILES_ROOT``); ``s3`` puts both in an
S3-compatible object store through django-storages (an optional dependency:
``uv sync --extra s3``), so several app servers share them. Every file is read
and written through the storage API only (``cases/files.py``), never by a local
path, so both work alike.

This module is imported by the settings: no Django models, no settings access.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import Storage

LOCAL = "local"
S3 = "s3"
CHOICES = (LOCAL, S3)
S3_BACKEND = "storages.backends.s3.S3Storage"
# Import name → the package to install.
S3_PACKAGES = {"storages": "django-storages", "boto3": "boto3"}
UNAVAILABLE_BACKEND = "qianjiang_mediation.file_storage.UnavailableStorage"
# Signed download addresses, if ever made, expire after this many seconds; the app itself
# streams every file through its own download views.
QUERYSTRING_EXPIRE = 300


@dataclass(frozen=True)
class S3Options:
    """The object store: one bucket with a prefix per storage, or a bucket each."""

    bucket: str = ""
    media_bucket: str = ""
    private_bucket: str = ""
    media_prefix: str = "media"
    private_prefix: str = "private"
    endpoint_url: str = ""
    region: str = ""
    access_key: str = ""
    secret_key: str = ""
    # "path" for stores that do not serve buckets as host names (many MinIO or Ceph setups).
    addressing_style: str = ""

    def storage(self, bucket: str, prefix: str) -> dict[str, Any]:
        options: dict[str, Any] = {
            "bucket_name": bucket or self.bucket,
            "location": prefix.strip("/"),
            # Nothing is public: no object gets a public ACL, every address is signed.
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": QUERYSTRING_EXPIRE,
            # A name already taken gets a new one, as on the local disk; a stored file is
            # never replaced.
            "file_overwrite": False,
        }
        optional = {
            "endpoint_url": self.endpoint_url,
            "region_name": self.region,
            # Without keys boto3 looks for its own credentials (environment, instance role).
            "access_key": self.access_key,
            "secret_key": self.secret_key,
            "addressing_style": self.addressing_style,
        }
        options.update({key: value for key, value in optional.items() if value})
        backend = S3_BACKEND if not missing_s3_packages() else UNAVAILABLE_BACKEND
        return {"BACKEND": backend, "OPTIONS": options}


def missing_s3_packages() -> list[str]:
    """The packages of ``uv sync --extra s3`` this environment lacks."""
    return [
        package
        for module, package in S3_PACKAGES.items()
        if importlib.util.find_spec(module) is None
    ]


class UnavailableStorage(Storage):
    """Stands in for the S3 backend when django-storages or boto3 is missing: the models
    load and the system check (qianjiang_mediation.E001) says what to install, and
    every use of a file fails loudly instead of falling back to the local disk."""

    def __init__(self, **options: Any) -> None:
        pass

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImproperlyConfigured(
            "DJANGO_FILE_STORAGE=s3 needs django-storages and boto3: uv sync --extra s3."
        )

    _open = _save = delete = exists = listdir = size = url = get_modified_time = _refuse


def file_storages(
    choice: str, *, private_root: Path, s3: S3Options | None = None
) -> dict[str, dict[str, Any]]:
    """The ``default`` and ``private`` entries of ``STORAGES`` for ``DJANGO_FILE_STORAGE``."""
    if choice == LOCAL:
        return {
            # Under MEDIA_ROOT.
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": private_root},
            },
        }
    if choice == S3:
        s3 = s3 or S3Options()
        return {
            "default": s3.storage(s3.media_bucket, s3.media_prefix),
            "private": s3.storage(s3.private_bucket, s3.private_prefix),
        }
    raise ImproperlyConfigured(
        f"DJANGO_FILE_STORAGE must be one of {', '.join(CHOICES)}, not {choice!r}."
    )
