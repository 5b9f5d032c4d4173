"""Shared helpers of the documents tests: cases in each state, and reading the files made."""

from __future__ import annotations

import hashlib
import io
import itertools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import docx
import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agreements.services import agreement as agreement_services
from cases.services import mediation, records, referral
from documents import services
from tests.factories import MediatorFactory, passing_checklist, person, refer
from tests.helpers import html_of  # noqa: F401 - the documents tests import it from here

TODAY = date(2026, 11, 27)
FULL_ID = "429005198001011233"  # tests.factories.VALID_ID, the default applicant's number
MASKED_ID = "429005********1233"
A4_PT = (595.28, 841.89)


# --- Reading the files ------------------------------------------------------------------


def flat(text: str) -> str:
    """Text without any whitespace: PDF lines wrap anywhere inside a sentence."""
    return re.sub(r"\s+", "", text)


@cache
def _pdf_pages(pdf: bytes) -> tuple[tuple[str, float, float], ...]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return tuple(
        (page.extract_text(), float(page.mediabox.width), float(page.mediabox.height))
        for page in reader.pages
    )


def pdf_pages(pdf: bytes) -> list[str]:
    return [text for text, _, _ in _pdf_pages(pdf)]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages(pdf))


@cache
def docx_text(data: bytes) -> str:
    """Every paragraph, then every table cell (merged cells once), of the Word file."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            seen = []
            for cell in row.cells:
                if cell._tc not in seen:
                    seen.append(cell._tc)
                    parts.append(cell.text)
    return "\n".join(parts)


def stored_bytes(attachment) -> bytes:
    with attachment.file.open("rb") as handle:
        return handle.read()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Output:
    """A generated document's two stored files and their text."""

    pdf: bytes
    docx: bytes

    @property
    def pdf_text(self) -> str:
        return pdf_text(self.pdf)

    @property
    def pdf_flat(self) -> str:
        return flat(self.pdf_text)

    @property
    def docx_text(self) -> str:
        return docx_text(self.docx)

    @property
    def docx_flat(self) -> str:
        return flat(self.docx_text)

    def both(self) -> tuple[str, str]:
        return self.pdf_flat, self.docx_flat


def output(document) -> Output:
    return Output(pdf=stored_bytes(document.pdf), docx=stored_bytes(document.docx))


def assert_a4(out: Output) -> None:
    """Every PDF page is A4 portrait; the Word file is A4 with 宋体 as the East-Asian font."""
    for _, width, height in _pdf_pages(out.pdf):
        assert abs(width - A4_PT[0]) <= 1 and abs(height - A4_PT[1]) <= 1
    from docx.oxml.ns import qn

    word = docx.Document(io.BytesIO(out.docx))
    for section in word.sections:
        assert round(section.page_width.mm) == 210
        assert round(section.page_height.mm) == 297
    fonts = word.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体"


def assert_texts(out: Output, *texts: str) -> None:
    """Each text is printed in the PDF and written in the DOCX (whitespace ignored)."""
    pdf, word = out.both()
    for text in texts:
        assert flat(text) in pdf, f"{text!r} missing from the PDF"
        assert flat(text) in word, f"{text!r} missing from the DOCX"


def assert_header(out: Output, title: str, case) -> None:
    """The office, the title and the case number head every document."""
    assert_texts(out, case.office.name, title, case.display_number)


def make(case, actor, kind, subject=""):
    """Generate through the service and return the document (new or latest)."""
    document, _ = services.generate(case=case, actor=actor, kind=kind, subject=subject)
    return document


# --- Addresses ----------------------------------------------------------------------------


def generate_url(case) -> str:
    return reverse("documents:generate", args=[case.pk])


def download_url(document, fmt="pdf", case_pk=None) -> str:
    return reverse("documents:download", args=[case_pk or document.case_id, document.pk, fmt])


# --- Cases --------------------------------------------------------------------------------

_ids = itertools.count(1)


def distinct_person(name=None, **overrides) -> dict:
    """An applicant with a passport number of their own, so cases are not duplicates."""
    n = next(_ids)
    return person(name=name or f"申请人{n}", id_type="passport", id_number=f"E{n:07d}", **overrides)


def pdf_upload(name="consent.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def signed_referral(office, clerk, head, court_liaison, mediator_user, **overrides):
    """A court referral signed for today and assigned: status "assigned"."""
    case = refer(office, court_liaison, **overrides)
    referral.referral_sign_for(case=case, actor=clerk, signed_on=TODAY)
    profile = MediatorFactory(user=mediator_user)
    [assignment] = mediation.assign_mediators(
        case=case, actor=head, mediators=[profile], presiding=profile
    )
    mediation.declare_conflict_check(assignment=assignment, actor=mediator_user, no_conflict=True)
    case.refresh_from_db()
    return case


def held_session(case, mediator_user, transcript="申请人陈述了请求和理由。", **record):
    """A session two hours ago (08:00 on the frozen day), recorded with this transcript."""
    session = mediation.schedule_session(
        case=case,
        actor=mediator_user,
        scheduled_at=timezone.now() - timedelta(hours=2),
        place="工作室调解室",
        mode="in_person",
    )
    record.setdefault("outcome", "progress")
    record.setdefault("parties", list(case.parties.all()))
    return mediation.record_session(
        session=session,
        actor=mediator_user,
        expected_version=0,
        transcript=transcript,
        **record,
    )


def agent_data(**overrides) -> dict:
    data = {
        "name": "钱律师",
        "kind": "lawyer",
        "authority": "special",
        "id_number": "",
        "organisation": "湖北某某律师事务所",
        "licence_no": "14290200000000001",
        "phone": "",
    }
    data.update(overrides)
    return data


def add_agent(case, party, clerk, **overrides):
    case.refresh_from_db()
    return records.agent_add(
        party=party, actor=clerk, data=agent_data(**overrides), expected_version=case.version
    )


def draft_with(
    case, mediator_user, obligations, *, result="被申请人撤销处罚决定，申请人撤回复议申请。"
):
    agreement = agreement_services.draft_agreement(case=case, actor=mediator_user)
    return agreement_services.update_agreement(
        agreement=agreement,
        actor=mediator_user,
        data={"result": result, "confirmation_intended": True},
        obligations=obligations,
        expected_version=agreement.edit_version,
    )


def sign_everything(agreement, clerk, mediator_user):
    """Checklist, every party's signature, the mediator's and the seal: effective today."""
    agreement_services.answer_checklist(
        agreement=agreement, actor=mediator_user, answers=passing_checklist()
    )
    sign_all(agreement, clerk, mediator_user)
    return agreement


def sign_all(agreement, clerk, mediator_user):
    for party in agreement.case.parties.all():
        agency = party.kind == "agency"
        agreement_services.record_signature(
            agreement=agreement,
            actor=clerk,
            party=party,
            signer_name=party.name,
            capacity="agency_seal" if agency else "in_person",
            method="seal" if agency else "signature",
            signed_on=TODAY,
        )
    agreement_services.record_mediator_signature(
        agreement=agreement, actor=mediator_user, signed_on=TODAY
    )
    agreement_services.record_office_seal(agreement=agreement, actor=clerk, sealed_on=TODAY)
    agreement.refresh_from_db()
    return agreement
