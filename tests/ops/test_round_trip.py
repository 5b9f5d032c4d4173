"""A backup restored on a fresh database and fresh folders gives back every record and file.

Runs on the database the suite runs on (SQLite, and PostgreSQL with DATABASE_URL):
the backup is made in this process, the restore by ``manage.py restore`` in a
subprocess pointed at a new database and new folders, as on a replacement host.
"""

from __future__ import annotations

import hashlib
import json
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from cases.models import Attachment, Case, CaseEvent, Status
from cases.services import records
from documents.models import Document
from qianjiang_mediation.backup import file_storages, walk
from tests.documents.helpers import distinct_person, make
from tests.factories import (
    accepted_case,
    assigned_case,
    effective_agreement,
    mediating_case,
    refer,
    register,
)
from tests.helpers import pdf
from tests.ops.helpers import fresh_target, manifest_of

# Committed data (pg_dump reads it from another session); the flush after the test
# puts back what the migrations seeded.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPRODUCE = """
import hashlib, json
from documents.models import Document
from documents.services import reproduce

def sha(data):
    return hashlib.sha256(data).hexdigest()

found = []
for document in Document.objects.select_related("pdf", "docx").order_by("pk"):
    again = reproduce(document)
    stored = {}
    for fmt in ("pdf", "docx"):
        attachment = getattr(document, fmt)
        with attachment.file.open("rb") as handle:
            stored[fmt] = sha(handle.read())
    found.append({
        "pk": document.pk,
        "recorded": [document.pdf.sha256, document.docx.sha256],
        "stored": [stored["pdf"], stored["docx"]],
        "reproduced": [sha(again.pdf), sha(again.docx)],
    })
print(json.dumps(found))
"""


@pytest.fixture
def fresh_storages(settings, tmp_path):
    """Source folders of this test only, so the backup holds exactly its files."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "source-media"},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "source-private"},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "source-media"


def build_cases(office, clerk, head, mediator, court_liaison) -> None:
    """Cases in every state, with uploads and documents of several kinds."""
    with time_machine.travel("2026-11-27 10:00+08:00", tick=False):
        accepted = accepted_case(office, clerk, head, applicants=[distinct_person()])
        records.attachment_add(
            case=accepted, actor=clerk, kind="evidence", title="处罚决定书", upload=pdf()
        )
        make(accepted, clerk, "acceptance_notice")
        assigned = assigned_case(office, clerk, head, mediator, applicants=[distinct_person()])
        make(assigned, clerk, "rights_notice")
        mediating_case(office, clerk, head, mediator, applicants=[distinct_person()])
        agreement = effective_agreement(
            office, clerk, head, mediator, applicants=[distinct_person()]
        )
        make(agreement.case, clerk, "agreement", f"agreement:{agreement.pk}")
        refer(office, court_liaison, applicants=[distinct_person()])
        register(office, clerk, applicants=[distinct_person()])
        reached = set(Case.objects.values_list("status", flat=True))
        # The states further along the paths: set directly, for setup only.
        for status in Status:
            if status not in reached:
                case = register(office, clerk, applicants=[distinct_person()])
                Case.objects.filter(pk=case.pk).update(status=status)
    # A file of the default storage too (nothing uses it yet; it is backed up all the same).
    storages["default"].save("office/seal.png", ContentFile(b"\x89PNG\r\n\x1a\n seal"))


def dumpdata() -> dict[str, list]:
    """Every row of every model, by model, as dumpdata writes them."""
    out = StringIO()
    call_command("dumpdata", "--all", "--format", "json", stdout=out)
    return _by_model(json.loads(out.getvalue()))


def _by_model(objects: list[dict]) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for obj in objects:
        grouped.setdefault(obj["model"], []).append(obj)
    return grouped


def stored_files() -> dict[str, dict[str, bytes]]:
    found: dict[str, dict[str, bytes]] = {}
    for alias in file_storages():
        storage = storages[alias]
        found[alias] = {}
        for name in walk(storage):
            with storage.open(name, "rb") as handle:
                found[alias][name] = handle.read()
    return found


def files_under(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.mark.usefixtures("fresh_storages")
def test_a_restored_backup_holds_every_case_event_attachment_and_document(
    office, clerk, head, mediator, court_liaison, tmp_path
):
    build_cases(office, clerk, head, mediator, court_liaison)
    assert set(Case.objects.values_list("status", flat=True)) == set(Status)
    assert Document.objects.count() == 3
    assert Attachment.objects.filter(kind=Attachment.Kind.DOCUMENT).count() == 6
    assert Attachment.objects.exclude(kind=Attachment.Kind.DOCUMENT).exists()
    source_rows = dumpdata()
    source_files = stored_files()
    assert len(source_files["private"]) == Attachment.objects.count()

    out = StringIO()
    call_command("backup", "--dir", str(tmp_path / "backups"), stdout=out)
    [archive] = (tmp_path / "backups").glob("qianjiang-backup-*.tar")
    assert out.getvalue().startswith(f"备份完成：{archive}")
    manifest = manifest_of(archive)
    assert manifest["tables"]["cases_case"] == Case.objects.count() == len(Status)
    assert manifest["tables"]["cases_caseevent"] == CaseEvent.objects.count()
    assert manifest["tables"]["documents_document"] == 3
    applied = MigrationRecorder(connection).applied_migrations()
    assert set(manifest["migrations"]["cases"]) == {n for app, n in applied if app == "cases"}
    assert manifest["vendor"] == connection.vendor
    by_name = {(f["storage"], f["name"]): f for f in manifest["files"]}
    for alias, files in source_files.items():
        for name, data in files.items():
            entry = by_name[(alias, name)]
            assert entry["sha256"] == hashlib.sha256(data).hexdigest()
            assert entry["size"] == len(data)

    with fresh_target(tmp_path) as target:
        result = target.manage("restore", str(archive))
        assert result.returncode == 0, result.stderr
        assert "恢复完成" in result.stdout
        assert "每张表的行数与备份清单一致" in result.stdout
        assert "校验值全部一致" in result.stdout

        # Every row of every model, the cases, events, attachments and documents among them.
        dumped = target.manage("dumpdata", "--all", "--format", "json")
        assert dumped.returncode == 0, dumped.stderr
        restored_rows = _by_model(json.loads(dumped.stdout))
        for model in ("cases.case", "cases.caseevent", "cases.attachment", "documents.document"):
            assert restored_rows[model] == source_rows[model]
        assert restored_rows == source_rows

        # Every file, byte for byte, in the new folders.
        assert files_under(target.media) == source_files["default"]
        assert files_under(target.private) == source_files["private"]

        # Each document, rendered again from the restored data, gives the stored bytes.
        reproduced = target.manage("shell", "-c", REPRODUCE)
        assert reproduced.returncode == 0, reproduced.stderr
        documents = json.loads(reproduced.stdout.strip().splitlines()[-1])
        assert [d["pk"] for d in documents] == list(
            Document.objects.order_by("pk").values_list("pk", flat=True)
        )
        for document in documents:
            assert document["reproduced"] == document["stored"] == document["recorded"]
