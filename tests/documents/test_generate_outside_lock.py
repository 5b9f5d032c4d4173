"""Rendering happens before the case is locked; what is kept is what the case says under the lock.
Files of a document whose transaction rolls back are not left behind."""

from pathlib import Path

import pytest
from django.db import connection, transaction

from accounts.models import Office
from cases.models import Attachment, CaseEvent
from cases.services.common import ServiceError
from documents import services
from documents.models import Document
from tests.documents.helpers import output, stored_bytes
from tests.factories import accepted_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

real_render = services.render
real_lock_case = services.lock_case


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


def set_office_phone(office_pk: int, phone: str) -> None:
    Office.objects.filter(pk=office_pk).update(phone=phone)


def test_the_document_is_rendered_before_the_lock_and_outside_any_transaction(
    office, clerk, head, monkeypatch
):
    case = accepted_case(office, clerk, head)
    depth = len(connection.savepoint_ids)  # the test's own transaction
    calls = []

    def render(*args):
        calls.append(("render", len(connection.savepoint_ids)))
        return real_render(*args)

    def lock_case(case):
        calls.append(("lock", len(connection.savepoint_ids)))
        return real_lock_case(case)

    monkeypatch.setattr(services, "render", render)
    monkeypatch.setattr(services, "lock_case", lock_case)
    document, created = services.generate(case=case, actor=clerk, kind="acceptance_notice")
    assert created and document.version == 1
    assert calls == [("render", depth), ("lock", depth + 1)]


def test_data_changed_while_rendering_is_rendered_again_and_kept_as_it_is_now(
    office, clerk, head, monkeypatch
):
    case = accepted_case(office, clerk, head)
    renders = []

    def render(template_name, title, data):
        renders.append(data["office"]["phone"])
        if len(renders) == 1:
            set_office_phone(office.pk, "0728-6201111")  # another clerk, mid-render
        return real_render(template_name, title, data)

    monkeypatch.setattr(services, "render", render)
    document, created = services.generate(case=case, actor=clerk, kind="acceptance_notice")
    assert created and document.version == 1
    assert renders == [office.phone, "0728-6201111"]
    assert document.data["office"]["phone"] == "0728-6201111"
    assert "0728-6201111" in output(document).pdf_flat
    assert Document.objects.filter(case=case).count() == 1
    assert case.events.filter(kind=CaseEvent.Kind.DOCUMENT_GENERATED).count() == 1


def test_a_case_that_keeps_changing_while_rendering_is_refused(
    office, clerk, head, monkeypatch, private_dir
):
    case = accepted_case(office, clerk, head)
    phones = iter(f"0728-620{n:04d}" for n in range(10))

    def render(template_name, title, data):
        set_office_phone(office.pk, next(phones))
        return real_render(template_name, title, data)

    monkeypatch.setattr(services, "render", render)
    with pytest.raises(ServiceError) as exc:
        services.generate(case=case, actor=clerk, kind="acceptance_notice")
    assert exc.value.message == (
        "制作受理通知书期间，本案信息一再被修改，文书未能制作。请稍后重新制作。"
    )
    assert next(phones) == f"0728-620{services.RENDER_ATTEMPTS:04d}"
    assert not Document.objects.exists()
    assert stored(private_dir) == []


def test_a_version_another_user_made_meanwhile_is_returned_not_made_twice(
    office, clerk, head, monkeypatch
):
    case = accepted_case(office, clerk, head)
    made = []

    def render(template_name, title, data):
        rendered = real_render(template_name, title, data)
        if not made:
            made.append("head")  # the head presses the same button while we render
            made.append(services.generate(case=case, actor=head, kind="acceptance_notice"))
        return rendered

    monkeypatch.setattr(services, "render", render)
    document, created = services.generate(case=case, actor=clerk, kind="acceptance_notice")
    theirs, their_created = made[1]
    assert their_created and not created
    assert document.pk == theirs.pk and document.version == 1
    assert Document.objects.filter(case=case).count() == 1


def test_an_archived_check_under_the_lock_refuses_a_case_archived_while_rendering(
    office, clerk, head, monkeypatch, private_dir
):
    from cases.models import Case, Status

    case = accepted_case(office, clerk, head)

    def render(*args):
        Case.objects.filter(pk=case.pk).update(status=Status.ARCHIVED)
        return real_render(*args)

    monkeypatch.setattr(services, "render", render)
    with pytest.raises(ServiceError) as exc:
        services.generate(case=case, actor=clerk, kind="acceptance_notice")
    assert exc.value.message == "案件已归档，不能再制作文书。"
    assert not Document.objects.exists()
    assert stored(private_dir) == []


# --- Files of a rolled-back document ---------------------------------------------------------


def test_a_failure_after_the_files_were_stored_leaves_no_file(
    office, clerk, head, monkeypatch, private_dir
):
    case = accepted_case(office, clerk, head)

    def fails(**kwargs):
        assert len(stored(private_dir)) == 2  # both files were written
        raise RuntimeError("the timeline could not be written")

    monkeypatch.setattr(services, "record_event", fails)
    with pytest.raises(RuntimeError):
        services.generate(case=case, actor=clerk, kind="acceptance_notice")
    assert stored(private_dir) == []
    assert not Document.objects.exists()
    assert not Attachment.objects.filter(kind=Attachment.Kind.DOCUMENT).exists()


def test_a_document_whose_callers_transaction_rolls_back_leaves_no_file(
    office, clerk, head, private_dir
):
    case = accepted_case(office, clerk, head)
    with pytest.raises(RuntimeError), transaction.atomic():
        document, _ = services.generate(case=case, actor=clerk, kind="acceptance_notice")
        assert stored(private_dir) == sorted([document.pdf.file.name, document.docx.file.name])
        raise RuntimeError
    assert stored(private_dir) == []
    assert not Document.objects.exists()


def test_a_generated_document_keeps_its_files(
    office, clerk, head, private_dir, django_capture_on_commit_callbacks
):
    case = accepted_case(office, clerk, head)
    with django_capture_on_commit_callbacks(execute=True):
        document, created = services.generate(case=case, actor=clerk, kind="acceptance_notice")
    assert created
    assert stored(private_dir) == sorted([document.pdf.file.name, document.docx.file.name])
    assert stored_bytes(document.pdf).startswith(b"%PDF-")
    assert stored_bytes(document.docx).startswith(b"PK")
