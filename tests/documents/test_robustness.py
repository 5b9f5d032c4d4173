"""What users type goes into the documents as text: escaped, paginated, in any character."""

import io
import re

import docx
import pytest

from cases.services import mediation
from documents import services
from tests.documents.helpers import (
    assert_a4,
    distinct_person,
    held_session,
    make,
    output,
    pdf_pages,
)
from tests.factories import CaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def test_markup_in_a_transcript_is_printed_as_text(office, clerk, head, mediator):
    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, assigned=True)
    text = "<script>alert('x')</script> 甲&乙 <b>未加粗</b> &lt;已转义&gt;"
    session = held_session(case, mediator, transcript=text)
    document = make(case, clerk, "transcript", f"session:{session.pk}")
    out = output(document)
    for printed in (out.pdf_text, out.docx_text):
        assert "<script>alert('x')</script>" in printed
        assert "甲&乙" in printed
        assert "<b>未加粗</b>" in printed
        assert "&lt;已转义&gt;" in printed
    html = services.reproduce(document).html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>未加粗" not in html


def test_a_long_transcript_runs_over_numbered_pages(office, clerk, head, mediator):
    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, assigned=True)
    lines = [f"第{n}段：申请人陈述意见，被申请人作出答辩。" for n in range(1, 201)]
    session = held_session(case, mediator, transcript="\n".join(lines))
    out = output(make(case, clerk, "transcript", f"session:{session.pk}"))
    assert_a4(out)
    pages = pdf_pages(out.pdf)
    total = len(pages)
    assert total > 1
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 共 {total} 页" in text
    assert "第 1 页" in pages[0]
    everything = re.sub(r"\s+", "", "".join(pages))
    assert "第1段：申请人陈述意见，被申请人作出答辩。" in everything
    assert "第200段：申请人陈述意见，被申请人作出答辩。" in everything
    # The signature lines come once, after the last paragraph.
    assert everything.count("记录人签名：") == 1
    assert everything.index("第200段") < everything.index("记录人签名：")
    assert all(line in out.docx_text for line in lines)
    # Word numbers its pages in the footer: 第 {PAGE} 页.
    footer = docx.Document(io.BytesIO(out.docx)).sections[0].footer.paragraphs[0]
    assert footer.text.startswith("第 ") and footer.text.endswith(" 页")
    assert 'w:instr="PAGE"' in footer._p.xml


def test_a_name_with_rare_characters_is_printed(office, clerk, head):
    case = CaseFactory(
        office=office,
        created_by=clerk,
        head=head,
        accepted=True,
        applicants=[distinct_person(name="吉𠮷祥")],
    )
    out = output(make(case, clerk, "acceptance_notice"))
    assert_a4(out)
    assert "吉𠮷祥：" in out.pdf_flat
    assert "吉𠮷祥：" in out.docx_flat


def test_control_characters_pasted_into_a_transcript_do_not_break_the_document(
    office, clerk, head, mediator
):
    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, assigned=True)
    session = held_session(case, mediator, transcript="申请人\x07陈述\x1a完毕。")
    document = make(case, clerk, "transcript", f"session:{session.pk}")
    out = output(document)
    assert "申请人陈述完毕。" in out.docx_flat


def test_a_transcript_edited_after_the_session_is_held_can_be_made_again(
    office, clerk, head, mediator
):
    """The session page's "修改笔录": the next version prints the current draft number."""
    case = CaseFactory(office=office, created_by=clerk, head=head, mediator=mediator, assigned=True)
    session = held_session(case, mediator, transcript="初稿。")
    mediation.record_session(
        session=session,
        actor=mediator,
        expected_version=1,
        transcript="修改稿：双方同意继续协商。",
        outcome="progress",
        parties=list(case.parties.all()),
    )
    document = make(case, clerk, "transcript", f"session:{session.pk}")
    assert document.version == 1
    out = output(document)
    assert "修改稿：双方同意继续协商。" in out.pdf_flat
    assert "笔录第2稿。" in out.pdf_flat
    assert "初稿" not in out.pdf_flat
