"""A file written in a transaction that rolls back leaves nothing on disk; a committed one stays."""

import gc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from cases.models import Attachment
from cases.models.attachment import private_files
from cases.services import records
from cases.services.common import ServiceError
from cases.services.referral import referral_create
from tests.factories import case_data, person, referral_data, register

pytestmark = pytest.mark.usefixtures("frozen_today")

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def private_dir(tmp_path, settings) -> Path:
    """An empty private storage of this test's own, so listing it shows this test's files."""
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


def upload(case, clerk, name="收据.pdf", content=PDF) -> Attachment:
    return records.attachment_add(
        case=case,
        actor=clerk,
        kind="evidence",
        title="罚款收据",
        upload=SimpleUploadedFile(name, content),
    )


@pytest.mark.django_db
def test_the_attachment_storage_follows_the_setting(private_dir):
    assert Path(private_files.location) == private_dir
    assert Attachment._meta.get_field("file").storage.location == private_files.location


@pytest.mark.django_db
def test_an_upload_whose_transaction_rolls_back_leaves_no_file(private_dir, office, clerk):
    case = register(office, clerk)
    with pytest.raises(RuntimeError), transaction.atomic():
        attachment = upload(case, clerk)
        assert stored(private_dir) == [attachment.file.name]
        raise RuntimeError("something failed after the upload was stored")
    assert stored(private_dir) == []
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_referral_whose_second_material_is_refused_leaves_no_file_of_the_first(
    private_dir, office, court_liaison
):
    data = case_data(source="court_referral")
    with pytest.raises(ServiceError) as exc:
        referral_create(
            actor=court_liaison,
            office=office,
            case_data=data,
            referral_data=referral_data(),
            applicants=[person()],
            respondents=[data["agency"]],
            claims=[{"text": "撤销行政处罚决定", "amount": None}],
            materials=[
                ("referral_letter", SimpleUploadedFile("委派函.pdf", PDF)),
                ("complaint", SimpleUploadedFile("起诉状.pdf", b"<html></html>")),
            ],
        )
    assert "文件内容与扩展名不符" in exc.value.message
    assert stored(private_dir) == []
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_rolled_back_savepoint_takes_only_its_own_file(private_dir, office, clerk):
    case = register(office, clerk)
    with transaction.atomic():
        kept = upload(case, clerk, "保留.pdf")
        try:
            with transaction.atomic():
                upload(case, clerk, "撤销.pdf")
                raise RuntimeError
        except RuntimeError:
            pass
        assert stored(private_dir) == [kept.file.name]
    assert stored(private_dir) == [kept.file.name]
    assert [a.original_name for a in Attachment.objects.all()] == ["保留.pdf"]


@pytest.mark.django_db
def test_a_committed_upload_keeps_its_file(
    private_dir, office, clerk, django_capture_on_commit_callbacks
):
    case = register(office, clerk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        attachment = upload(case, clerk)
    assert callbacks
    del callbacks
    gc.collect()
    assert stored(private_dir) == [attachment.file.name]
    with attachment.file.open("rb") as f:
        assert f.read() == PDF


# Real transactions, not the savepoints of a test wrapped in one.


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_commit_keeps_the_file_and_a_real_rollback_removes_it(private_dir, office, clerk):
    case = register(office, clerk)
    committed = upload(case, clerk)  # its own transaction, committed on return
    assert stored(private_dir) == [committed.file.name]
    with pytest.raises(RuntimeError), transaction.atomic():
        upload(case, clerk, "后来的.pdf")
        raise RuntimeError
    assert stored(private_dir) == [committed.file.name]
    assert list(Attachment.objects.values_list("pk", flat=True)) == [committed.pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_commit_callback_does_not_take_a_committed_file(private_dir, office, clerk):
    """Django drops the callbacks after one that raises; the transaction is committed."""
    case = register(office, clerk)

    def fails() -> None:
        raise RuntimeError("a notification could not be sent")

    with pytest.raises(RuntimeError), transaction.atomic():
        transaction.on_commit(fails)
        attachment = upload(case, clerk)
    gc.collect()
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert stored(private_dir) == [attachment.file.name]
