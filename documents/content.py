"""What each document says: the data a template prints, taken from the case record.

Each document type has a ``Spec``: which copies a case can have now (its
subjects: the case itself, or one session, agreement, termination…) and a
builder that turns the record into plain JSON data. Templates print that data
and nothing else, so the stored data reproduces the document exactly.

A builder refuses with ``MissingData`` naming what the record lacks rather
than printing a half-filled page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from agreements.models import Agreement, ConfirmationMaterial, Signature
from agreements.services.agreement import SIGNING_ROLES, missing_signatures, signing_blockers
from cases.deadline_engine import cn_date
from cases.deadlines import legal_deadlines, load_work_calendar, mediation_period
from cases.models import Case, CaseEvent, Party, Status
from cases.models.mediation import Assignment, CourtReport, Decision, Session
from documents.models import Kind

CN_DIGITS = "〇一二三四五六七八九"


class MissingData(Exception):
    def __init__(self, title: str, missing: list[str]) -> None:
        self.missing = missing
        self.message = f"不能制作{title}：" + "；".join(missing) + "。"
        super().__init__(self.message)


def cn_count(n: int) -> str:
    """A number below 100 in Chinese numerals, as documents write counts and dates: 三, 二十七."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def cn_upper_date(d: date) -> str:
    """The date line of an official document: 二〇二六年十一月二十七日."""
    year = "".join(CN_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{cn_count(d.month)}月{cn_count(d.day)}日"


UNENTERED_HOLIDAYS = re.compile(
    r"，?\d{4}年(?:、\d{4}年)*节假日安排尚未录入[^，。]*(?:，[^，。]*)*?请届时核对"
)


def _for_the_public(explanation: str) -> str:
    """A deadline's explanation as a notice to a party prints it: without the office's
    reminder that a year's holidays are not entered yet (the note below covers it)."""
    return UNENTERED_HOLIDAYS.sub("", explanation)


def _d(value: date | None) -> str:
    return cn_date(value) if value else ""


def _local_date(moment) -> date:
    return timezone.localdate(moment)


# --- Shared pieces ------------------------------------------------------------------


def _office(case: Case) -> dict[str, str]:
    office = case.office
    return {"name": office.name, "address": office.address, "phone": office.phone}


def _case(case: Case) -> dict[str, Any]:
    return {
        "number": case.display_number,
        "received": _d(case.received_date),
        "accepted": _d(case.accepted_on),
        "category": case.category.label,
        "act": _act(case),
        "agency": case.agency.name,
        "is_referral": case.is_referral,
        "court": case.court.name if case.court_id else "",
        "claims": [c.text for c in case.claims.all()],
    }


def _act(case: Case) -> str:
    """The act in dispute as a sentence names it: 某局作出的行政处罚行为（文号，日期）."""
    details = "，".join(
        x for x in (case.act_document_no, cn_date(case.act_date) if case.act_date else "") if x
    )
    act = f"{case.agency.name}作出的{case.get_act_type_display()}行为"
    return f"{act}（{details}）" if details else act


def _party(party: Party, *, full_ids: bool) -> dict[str, Any]:
    """One party as a document lists it; ID numbers in full only where the law needs them."""
    entry: dict[str, Any] = {
        "role": party.get_role_display(),
        "name": party.name,
        "kind": party.kind,
        "details": "",
        "id_label": "",
        "id_number": "",
        "domicile": party.domicile,
        "address": party.service_address or party.domicile,
        "phone": party.phone,
        "signer": party.name,
        "agents": [
            {
                "name": agent.name,
                "description": "，".join(
                    x
                    for x in (
                        agent.get_kind_display(),
                        agent.organisation,
                        agent.get_authority_display() + "代理",
                    )
                    if x
                ),
                "special": agent.authority == agent.Authority.SPECIAL,
            }
            for agent in party.agents.all()
        ],
    }
    if party.is_natural_person:
        details = [party.get_gender_display(), party.ethnicity]
        if party.birth_date:
            details.append(f"{cn_date(party.birth_date)}出生")
        entry["details"] = "，".join(x for x in details if x)
        if party.id_number:
            entry["id_label"] = party.get_id_type_display() or "证件号码"
            entry["id_number"] = party.id_number if full_ids else party.masked_id_number
    elif party.is_organisation:
        entry["id_label"] = "统一社会信用代码" if party.uscc else ""
        entry["id_number"] = party.uscc
        if party.legal_representative:
            entry["details"] = "法定代表人（负责人）" + party.legal_representative
            if party.legal_representative_title:
                entry["details"] += f"，{party.legal_representative_title}"
            entry["signer"] = party.legal_representative
    elif party.agency_id:
        agency = party.agency
        entry["domicile"] = entry["domicile"] or agency.address
        entry["address"] = entry["address"] or agency.address
        entry["phone"] = entry["phone"] or agency.phone
        if agency.uscc:
            entry["id_label"], entry["id_number"] = "统一社会信用代码", agency.uscc
        if agency.principal_name:
            entry["details"] = f"负责人{agency.principal_name}" + (
                f"，{agency.principal_title}" if agency.principal_title else ""
            )
    return entry


def _parties(case: Case, *, full_ids: bool = False, roles=None) -> list[dict[str, Any]]:
    return [
        _party(p, full_ids=full_ids)
        for p in case.parties.all().order_by("order", "id")
        if roles is None or p.role in roles
    ]


def _mediators(case: Case) -> list[dict[str, Any]]:
    return [
        {"name": a.mediator.user.get_full_name(), "presiding": a.is_presiding}
        for a in case.assignments.filter(status=Assignment.Status.EFFECTIVE)
        .select_related("mediator__user")
        .order_by("-is_presiding", "id")
    ]


def _addressees(parties: list[dict[str, Any]]) -> str:
    return "、".join(p["name"] for p in parties)


def _event_date(case: Case, kind: str) -> date | None:
    event = case.events.filter(kind=kind).order_by("-created_at", "-id").first()
    return _local_date(event.created_at) if event else None


def _base(case: Case, dated: date | None) -> dict[str, Any]:
    return {
        "office": _office(case),
        "case": _case(case),
        "date": cn_upper_date(dated) if dated else "",
    }


def _channels_from_case(case: Case, on: date | None) -> list[dict[str, Any]]:
    """The remaining channels and their deadlines as of the document's date."""
    return [
        {
            "label": d.label,
            "due": cn_date(d.due),
            "explanation": _for_the_public(d.explanation),
            "note": d.note,
            "expired": bool(on and d.due < on),
        }
        for d in legal_deadlines(case, load_work_calendar())
    ]


# --- Subjects -----------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    key: str  # "" for the case itself, else "session:12", "agreement:3"…
    label: str
    obj: Any = None


CASE = Subject("", "")


@dataclass(frozen=True)
class Spec:
    kind: Kind
    subjects: Callable[[Case], list[Subject]]
    build: Callable[[Case, Subject], dict[str, Any]]
    when: str  # when a case has this document, for the refusal message
    full_ids: bool = False
    # Why a subject's document may no longer change (e.g. the agreement was signed), or "".
    frozen: Callable[[Subject], str] | None = None

    @property
    def title(self) -> str:
        return self.kind.label


def _missing(kind: Kind, *items: str) -> MissingData:
    return MissingData(kind.label, [i for i in items if i])


# --- The documents ------------------------------------------------------------------


def _accepted(case: Case) -> list[Subject]:
    return [CASE] if case.accepted_on else []


def build_acceptance_notice(case: Case, subject: Subject) -> dict[str, Any]:
    if not case.case_no or not case.accepted_on:
        raise _missing(Kind.ACCEPTANCE_NOTICE, "案件尚未受理")
    data = _base(case, case.accepted_on)
    applicants = _parties(case, roles=(Party.Role.APPLICANT,))
    data.update(
        addressees=_addressees(applicants),
        parties=_parties(case),
        period_days=case.mediation_period_days,
        # The period as it stood on acceptance: no extension or pause yet.
        mediation_due=_d(_period_due(case, extensions=[], until=case.accepted_on)),
        referral=_referral(case),
    )
    return data


def _period_due(case: Case, *, extensions, until: date) -> date | None:
    """The mediation period's end with the given approved extensions, pauses up to ``until``."""
    period = mediation_period(
        case,
        extensions=extensions,
        suspensions=[s for s in case.suspensions.all() if s.started_on <= until],
        calendar=load_work_calendar(),
        today=until,
    )
    return period.due if period else None


def _referral(case: Case) -> dict[str, str]:
    if not case.is_referral:
        return {}
    referral = case.referral
    return {
        "court": case.court.name if case.court_id else "",
        "letter_no": referral.letter_no,
        "letter_date": _d(referral.letter_date),
        "prefiling_no": referral.court_prefiling_no,
        "signed_for": _d(referral.signed_for_on),
        "materials": referral.materials,
    }


def _declined(case: Case) -> list[Subject]:
    return [CASE] if case.status == Status.DECLINED else []


def build_decline_notice(case: Case, subject: Subject) -> dict[str, Any]:
    if not case.decline_reason:
        raise _missing(Kind.DECLINE_NOTICE, "尚未记录不予受理的理由")
    declined_on = _event_date(case, CaseEvent.Kind.DECLINED)
    data = _base(case, declined_on)
    applicants = _parties(case, roles=(Party.Role.APPLICANT,))
    data.update(
        addressees=_addressees(applicants),
        reason=case.get_decline_reason_display(),
        note=case.decline_note,
        guidance=case.channel_guidance,
        channels=_channels_from_case(case, declined_on),
    )
    return data


def _returned(case: Case) -> list[Subject]:
    return [CASE] if case.status == Status.REFERRAL_RETURNED else []


def build_referral_return(case: Case, subject: Subject) -> dict[str, Any]:
    referral = case.referral
    if not referral.return_reason:
        raise _missing(Kind.REFERRAL_RETURN, "尚未记录退回委派的理由")
    data = _base(case, _event_date(case, CaseEvent.Kind.REFERRAL_RETURNED))
    data.update(
        addressees=case.court.name if case.court_id else "",
        referral=_referral(case),
        parties=_parties(case),
        reason=referral.get_return_reason_display(),
        note=referral.return_note,
    )
    return data


def build_rights_notice(case: Case, subject: Subject) -> dict[str, Any]:
    if not case.accepted_on:
        raise _missing(Kind.RIGHTS_NOTICE, "案件尚未受理")
    data = _base(case, case.accepted_on)
    data.update(
        parties=_parties(case, roles=SIGNING_ROLES),
        mediators=_mediators(case),
        period_days=case.mediation_period_days,
    )
    return data


def _held_sessions(case: Case) -> list[Subject]:
    return [
        Subject(
            f"session:{s.pk}", f"第{s.number}次调解会（{cn_date(_local_date(s.scheduled_at))}）", s
        )
        for s in sorted(case.sessions.all(), key=lambda s: s.number)
        if s.status == Session.Status.HELD
    ]


def build_transcript(case: Case, subject: Subject) -> dict[str, Any]:
    session: Session = subject.obj
    if not session.transcript.strip():
        raise _missing(Kind.TRANSCRIPT, f"第{session.number}次调解会尚未记录笔录内容")
    start = timezone.localtime(session.scheduled_at)
    data = _base(case, start.date())
    parties = {p.pk: p for p in case.parties.all()}
    attending = [parties[p.pk] for p in session.attending_parties.all() if p.pk in parties]
    data.update(
        number=session.number,
        time=f"{cn_date(start.date())} {start:%H:%M}",
        place=session.place,
        mode=session.get_mode_display(),
        mediators=[m.user.get_full_name() for m in session.attending_mediators.all()]
        or [m["name"] for m in _mediators(case)],
        attendees=[{"role": p.get_role_display(), "name": p.name} for p in attending],
        agents=[
            {"name": a.name, "party": a.party.name, "authority": a.get_authority_display()}
            for a in session.attending_agents.select_related("party")
        ],
        agency_attendee=session.agency_attendee,
        invited=session.invited_persons,
        transcript=session.transcript,
        transcript_version=session.transcript_version,
        outcome=session.get_outcome_display(),
        signers=[p.name for p in attending]
        + [a.name for a in session.attending_agents.all()]
        + ([session.agency_attendee] if session.agency_attendee else []),
    )
    return data


MEDIATING = (Status.ASSIGNED, Status.IN_MEDIATION, Status.SUSPENDED)


def _extension_subjects(case: Case) -> list[Subject]:
    subjects = [Subject("", "空白表（手写延长天数）")] if case.status in MEDIATING else []
    subjects += [
        Subject(f"extension:{e.pk}", f"延长{e.days}日（{e.get_status_display()}）", e)
        for e in sorted(case.extensions.all(), key=lambda e: (e.proposed_at, e.pk))
        if e.status != Decision.REJECTED
    ]
    return subjects


def build_extension_consent(case: Case, subject: Subject) -> dict[str, Any]:
    if not case.accepted_on:
        raise _missing(Kind.EXTENSION_CONSENT, "调解期限尚未开始计算（案件尚未受理或尚未签收委派）")
    extension = subject.obj
    approved = sorted(
        (e for e in case.extensions.all() if e.status == Decision.APPROVED),
        key=lambda e: (e.decided_at, e.pk),
    )
    if extension is None:
        # The blank form: the period as it stands today.
        earlier, until = approved, timezone.localdate()
    else:
        # The form for this extension: the period before it, and where it would end.
        earlier = [e for e in approved if e.pk != extension.pk]
        if extension.status == Decision.APPROVED:
            earlier = [
                e for e in earlier if (e.decided_at, e.pk) < (extension.decided_at, extension.pk)
            ]
        until = _local_date(extension.proposed_at)
    due_before = _period_due(case, extensions=earlier, until=until)
    data = _base(case, until if extension else None)
    data.update(
        parties=_parties(case, roles=SIGNING_ROLES),
        period_days=case.mediation_period_days,
        mediation_due=_d(due_before),
        days=extension.days if extension else None,
        extended_due=(
            _d(_period_due(case, extensions=[*earlier, extension], until=until))
            if extension
            else ""
        ),
        reason=extension.reason if extension else "",
        extended_before=len(earlier),
    )
    return data


def _agreement_subjects(case: Case) -> list[Subject]:
    return [
        Subject(f"agreement:{a.pk}", f"协议第{a.version}版", a)
        for a in sorted(case.agreements.all(), key=lambda a: a.version)
    ]


def _signature_blocks(case: Case, agreement: Agreement) -> list[dict[str, Any]]:
    signatures = {s.party_id: s for s in agreement.signatures.all()}
    blocks = []
    for party in case.parties.all().order_by("order", "id"):
        if party.role not in SIGNING_ROLES:
            continue
        entry = _party(party, full_ids=False)
        signature: Signature | None = signatures.get(party.pk)
        blocks.append(
            {
                "role": entry["role"],
                "name": party.name,
                "seal": party.kind != Party.Kind.NATURAL_PERSON,
                "agents": [a["name"] for a in entry["agents"] if a["special"]],
                "signed": (
                    f"{signature.signer_name}，{signature.get_capacity_display()}，"
                    f"{signature.get_method_display()}，{cn_date(signature.signed_on)}"
                    if signature
                    else ""
                ),
            }
        )
    return blocks


def _content_missing(agreement: Agreement) -> list[str]:
    """What the text itself lacks: without it there is nothing to print."""
    missing = []
    if not agreement.result.strip():
        missing.append("尚未写明调解结果")
    obligations = list(agreement.obligations.all())
    if not obligations:
        missing.append("尚未列明任何义务")
    missing += [
        f"第{o.number}项义务缺少义务人、内容、履行期限或履行方式"
        for o in obligations
        if not (o.obligor_id and o.description.strip() and o.due_date and o.method.strip())
    ]
    return missing


def _agreement_frozen(subject: Subject) -> str:
    agreement: Agreement = subject.obj
    if agreement.status == Agreement.Status.DRAFT:
        return ""
    return f"调解协议第{agreement.version}版{agreement.get_status_display()}"


def build_agreement(case: Case, subject: Subject) -> dict[str, Any]:
    agreement: Agreement = subject.obj
    if missing := _content_missing(agreement):
        raise _missing(Kind.AGREEMENT, *missing)
    # A draft may be printed for discussion before the review; it says it must not be signed.
    review = [b for b in signing_blockers(agreement) if b not in missing]
    data = _base(case, agreement.effective_on)
    data.update(
        draft_note=(
            "草稿：" + "；".join(review) + "，不得据此签署。"
            if review and agreement.status == Agreement.Status.DRAFT
            else ""
        ),
        version=agreement.version,
        status=agreement.get_status_display(),
        effective=_d(agreement.effective_on),
        parties_info=agreement.parties_info,
        parties=_parties(case, full_ids=True, roles=SIGNING_ROLES),
        facts=agreement.facts,
        result=agreement.result,
        other_terms=agreement.other_terms,
        obligations=[
            {
                "number": o.number,
                "obligor": o.obligor.name,
                "kind": o.get_kind_display(),
                "description": o.description,
                "amount": f"{o.amount:,.2f}" if o.amount is not None else "",
                "due": cn_date(o.due_date),
                "method": o.method,
            }
            for o in agreement.obligations.select_related("obligor").order_by("number")
        ],
        signatures=_signature_blocks(case, agreement),
        mediators=_mediators(case),
        mediator_signed=(
            f"{agreement.mediator_signed_by.get_full_name()}，{cn_date(agreement.mediator_signed_on)}"
            if agreement.mediator_signed_on
            else ""
        ),
        sealed=_d(agreement.office_sealed_on),
        copies=cn_count(len([p for p in case.parties.all() if p.role in SIGNING_ROLES]) + 1),
    )
    return data


def _effective_agreements(case: Case) -> list[Subject]:
    return [
        Subject(f"agreement:{a.pk}", f"协议第{a.version}版", a)
        for a in sorted(case.agreements.all(), key=lambda a: a.version)
        if a.status in (Agreement.Status.DRAFT, Agreement.Status.EFFECTIVE)
    ]


def build_confirmation_application(case: Case, subject: Subject) -> dict[str, Any]:
    agreement: Agreement = subject.obj
    if agreement.status != Agreement.Status.EFFECTIVE or not agreement.effective_on:
        missing = missing_signatures(agreement)
        raise _missing(
            Kind.CONFIRMATION_APPLICATION,
            "调解协议尚未生效（没有生效日期）",
            ("尚未签署：" + "、".join(missing)) if missing else "",
        )
    application = (
        agreement.confirmations.select_related("court").order_by("-applied_on", "-id").first()
    )
    court = application.court.name if application else (case.court.name if case.court_id else "")
    if not court:
        raise _missing(
            Kind.CONFIRMATION_APPLICATION,
            "尚未确定受理法院（请先在调解协议页面记录司法确认申请，写明受理法院）",
        )
    if application:
        applicant_ids = {p.pk for p in application.applicants.all()}
        materials = [ConfirmationMaterial(m).label for m in application.materials]
    else:
        applicant_ids = {p.pk for p in case.parties.all() if p.role in SIGNING_ROLES}
        materials = [m.label for m in ConfirmationMaterial]
    # Everyone applies jointly: each is an applicant (申请人) whatever their role in mediation.
    applicants = [
        {**_party(p, full_ids=True), "role": "申请人"}
        for p in case.parties.all().order_by("order", "id")
        if p.pk in applicant_ids
    ]
    data = _base(case, application.applied_on if application else None)
    data.update(
        court=court,
        applicants=applicants,
        agreement_version=agreement.version,
        effective=cn_date(agreement.effective_on),
        mediators=_mediators(case),
        obligations=[
            f"{o.obligor.name}{o.description}"
            + (f"（金额{o.amount:,.2f}元）" if _amount_unstated(o) else "")
            + f"，于{cn_date(o.due_date)}前{o.method}。"
            for o in agreement.obligations.select_related("obligor").order_by("number")
        ],
        materials=materials,
    )
    return data


def _amount_unstated(obligation) -> bool:
    """Whether the obligation's text leaves its amount out (then the document adds it)."""
    if obligation.amount is None:
        return False
    text = obligation.description.replace(",", "")
    return not any(
        form in text for form in (f"{obligation.amount:.2f}", f"{obligation.amount:.0f}元")
    )


def _approved_terminations(case: Case) -> list[Subject]:
    return [
        Subject(f"termination:{t.pk}", f"{cn_date(_local_date(t.decided_at))}终止", t)
        for t in sorted(case.terminations.all(), key=lambda t: (t.proposed_at, t.pk))
        if t.status == Decision.APPROVED
    ]


def build_termination_notice(case: Case, subject: Subject) -> dict[str, Any]:
    termination = subject.obj
    data = _base(case, _local_date(termination.decided_at))
    data.update(
        addressees=_addressees(_parties(case, roles=SIGNING_ROLES)),
        reason=termination.get_reason_display(),
        note=termination.note,
        channels=[
            {
                "label": c["label"],
                "due": cn_date(date.fromisoformat(c["due"])),
                "explanation": _for_the_public(c["explanation"]),
                "note": c.get("note", ""),
                "expired": c.get("expired", False),
            }
            for c in termination.channels
        ],
        is_referral=case.is_referral,
    )
    return data


def _court_reports(case: Case) -> list[Subject]:
    return [
        Subject(
            f"report:{r.pk}", f"{r.get_kind_display()}（{cn_date(_local_date(r.created_at))}）", r
        )
        for r in sorted(case.court_reports.all(), key=lambda r: (r.created_at, r.pk))
    ]


def build_termination_report(case: Case, subject: Subject) -> dict[str, Any]:
    report: CourtReport = subject.obj
    data = _base(case, _local_date(report.created_at))
    withdrawn = report.kind == CourtReport.Kind.WITHDRAWAL
    data.update(
        # A withdrawal is reported under its own title (CourtReport.Kind labels).
        title=report.get_kind_display(),
        event="申请人已撤回调解申请" if withdrawn else "调解未能达成协议，本工作室已终止调解",
        addressees=report.court.name,
        referral=_referral(case),
        parties=_parties(case),
        mediators=_mediators(case),
        summary=report.summary,
        materials=[line for line in report.materials.splitlines() if line.strip()],
        sessions=case.sessions.filter(status=Session.Status.HELD).count(),
    )
    return data


SPECS: dict[str, Spec] = {
    spec.kind.value: spec
    for spec in (
        Spec(Kind.ACCEPTANCE_NOTICE, _accepted, build_acceptance_notice, "案件受理后才能制作"),
        Spec(Kind.DECLINE_NOTICE, _declined, build_decline_notice, "只有决定不予受理的案件才有"),
        Spec(Kind.REFERRAL_RETURN, _returned, build_referral_return, "只有退回委派的案件才有"),
        Spec(Kind.RIGHTS_NOTICE, _accepted, build_rights_notice, "案件受理后才能制作"),
        Spec(Kind.TRANSCRIPT, _held_sessions, build_transcript, "调解会召开并记录后才能制作"),
        Spec(
            Kind.EXTENSION_CONSENT,
            _extension_subjects,
            build_extension_consent,
            "调解期间或提出延长调解期限后才能制作",
        ),
        Spec(
            Kind.AGREEMENT,
            _agreement_subjects,
            build_agreement,
            "起草调解协议后才能制作",
            full_ids=True,
            frozen=_agreement_frozen,
        ),
        Spec(
            Kind.CONFIRMATION_APPLICATION,
            _effective_agreements,
            build_confirmation_application,
            "调解协议生效后才能制作",
            full_ids=True,
        ),
        Spec(
            Kind.TERMINATION_NOTICE,
            _approved_terminations,
            build_termination_notice,
            "终止调解经批准后才能制作",
        ),
        Spec(
            Kind.TERMINATION_REPORT,
            _court_reports,
            build_termination_report,
            "委派调解终止或撤回并报送法院后才能制作",
        ),
    )
}
