"""DJANGO_FILE_STORAGE chooses the local disk or an S3-compatible store for both file
storages; every file is used through the storage API only, never by a local path."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from cases.models import Attachment
from qianjiang_mediation import checks, file_storage
from qianjiang_mediation.file_storage import S3Options, file_storages
from tests.documents.helpers import download_url, make, signed_referral, stored_bytes

PRIVATE = Path("/srv/qianjiang/private")


@pytest.fixture
def s3_installed(monkeypatch):
    monkeypatch.setattr(file_storage, "missing_s3_packages", lambda: [])


def test_local_is_the_disk():
    chosen = file_storages("local", private_root=PRIVATE)
    assert chosen == {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": PRIVATE},
        },
    }


def test_s3_with_one_bucket_keeps_the_storages_apart_by_prefix(s3_installed):
    chosen = file_storages(
        "s3",
        private_root=PRIVATE,
        s3=S3Options(
            bucket="qianjiang",
            endpoint_url="https://oss.example.cn",
            region="cn-central-1",
            access_key="AK",
            secret_key="SK",
            addressing_style="path",
        ),
    )
    common = {
        "bucket_name": "qianjiang",
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
        "endpoint_url": "https://oss.example.cn",
        "region_name": "cn-central-1",
        "access_key": "AK",
        "secret_key": "SK",
        "addressing_style": "path",
    }
    assert chosen == {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "location": "media"},
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "location": "private"},
        },
    }


def test_s3_with_a_bucket_each_and_the_stores_own_credentials(s3_installed):
    chosen = file_storages(
        "s3",
        private_root=PRIVATE,
        s3=S3Options(media_bucket="qj-media", private_bucket="qj-private", private_prefix="/"),
    )
    assert chosen["default"]["OPTIONS"]["bucket_name"] == "qj-media"
    assert chosen["private"]["OPTIONS"]["bucket_name"] == "qj-private"
    assert chosen["private"]["OPTIONS"]["location"] == ""
    # No keys, no endpoint: boto3 finds its own (environment, instance role), AWS itself.
    for key in ("access_key", "secret_key", "endpoint_url", "region_name"):
        assert key not in chosen["private"]["OPTIONS"]


def test_another_choice_is_refused():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_FILE_STORAGE"):
        file_storages("nfs", private_root=PRIVATE)


def test_without_django_storages_every_file_use_fails_loudly(monkeypatch):
    monkeypatch.setattr(file_storage, "missing_s3_packages", lambda: ["django-storages"])
    chosen = file_storages("s3", private_root=PRIVATE, s3=S3Options(bucket="b"))
    assert chosen["private"]["BACKEND"] == "qianjiang_mediation.file_storage.UnavailableStorage"
    storage = file_storage.UnavailableStorage(**chosen["private"]["OPTIONS"])
    with pytest.raises(ImproperlyConfigured, match="uv sync --extra s3"):
        storage.save("x", SimpleUploadedFile("x", b"x"))
    with pytest.raises(ImproperlyConfigured):
        storage.open("x")


def _s3_settings(settings, **options):
    settings.FILE_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        **file_storages("s3", private_root=PRIVATE, s3=S3Options(**options)),
    }


def test_the_check_names_the_missing_packages(settings, monkeypatch):
    monkeypatch.setattr(file_storage, "missing_s3_packages", lambda: ["django-storages", "boto3"])
    _s3_settings(settings, bucket="qianjiang")
    [error] = checks.s3_file_storage(None)
    assert error.id == "qianjiang_mediation.E001"
    assert "django-storages、boto3" in error.msg
    assert "--extra s3" in error.hint


def test_the_check_wants_a_bucket_and_separate_places(settings, s3_installed):
    _s3_settings(settings, bucket="qianjiang")
    assert checks.s3_file_storage(None) == []
    _s3_settings(settings, media_bucket="qj-media")
    assert [e.id for e in checks.s3_file_storage(None)] == ["qianjiang_mediation.E002"]
    _s3_settings(settings, bucket="qianjiang", media_prefix="files", private_prefix="files/")
    assert [e.id for e in checks.s3_file_storage(None)] == ["qianjiang_mediation.E003"]


def test_the_check_is_quiet_on_local_disk(settings):
    settings.FILE_STORAGE = "local"
    assert checks.s3_file_storage(None) == []


# --- No local paths ---------------------------------------------------------------------


@pytest.fixture
def pathless(settings, tmp_path):
    """Both storages without ``path()``, as on S3."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.ops.storages.NoPathStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
        "private": {
            "BACKEND": "tests.ops.storages.NoPathStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    with pytest.raises(NotImplementedError):
        storages["private"].path("x")


PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_today", "pathless")
def test_uploads_downloads_documents_and_the_orphan_check_use_no_path(
    client_as, office, clerk, head, court_liaison, mediator
):
    case = signed_referral(office, clerk, head, court_liaison, mediator)
    client = client_as(clerk)
    response = client.post(
        reverse("cases:attachment_upload", args=[case.pk]),
        {"kind": "evidence", "title": "罚款收据", "file": SimpleUploadedFile("收据.pdf", PDF)},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(title="罚款收据")
    download = client.get(reverse("cases:attachment_download", args=[case.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == PDF

    document = make(case, clerk, "acceptance_notice")
    for fmt, stored in (("pdf", document.pdf), ("docx", document.docx)):
        response = client.get(download_url(document, fmt))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == stored_bytes(stored)

    out = StringIO()
    call_command("find_orphan_files", stdout=out)
    assert "合计：孤立文件 0 个，文件已丢失的记录 0 条。" in out.getvalue()

    assert client.get("/healthz").json()["status"] == "ok"
