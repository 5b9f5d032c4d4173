"""Drafting, checking, signing and revising settlement agreements (DOMAIN.md §2.3, §2.5, §3.5)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from accounts.models import User
from agreements.models import (
    Agreement,
    ChecklistAnswer,
    ChecklistItem,
    Confirmation,
    Obligation,
    Signature,
)
from agreements.permissions import drafting_refusal, signature_recording_refusal
from agreements.services.performance import refresh_case_deadline
from agreements.workflow import AGREEMENT_STEPS, apply_step, ensure_step
from cases.deadline_engine import cn_date
from cases.deadlines import CONFIRMATION_APPLY, load_work_calendar
from cases.models import Agent, Case, CaseEvent, Party, Status
from cases.services.common import ServiceError, StaleEdit, lock_case, record_event
from cases.workflow import NotPermitted, conducting

# Who must sign: every party to the dispute (特邀调解规定第二十四条).
SIGNING_ROLES = (Party.Role.APPLICANT, Party.Role.RESPONDENT, Party.Role.THIRD_PARTY)
AGENCY_METHODS = {Signature.Method.SEAL, Signature.Method.E_SIGNATURE}
CAPACITIES_BY_KIND = {
    Party.Kind.NATURAL_PERSON: {Signature.Capacity.IN_PERSON, Signature.Capacity.SPECIAL_AGENT},
    Party.Kind.LEGAL_PERSON: {
        Signature.Capacity.LEGAL_REPRESENTATIVE,
        Signature.Capacity.SPECIAL_AGENT,
    },
    Party.Kind.OTHER_ORG: {
        Signature.Capacity.LEGAL_REPRESENTATIVE,
        Signature.Capacity.SPECIAL_AGENT,
    },
    Party.Kind.AGENCY: {Signature.Capacity.AGENCY_SEAL, Signature.Capacity.SPECIAL_AGENT},
}


def _ensure_drafter(actor: User, case: Case) -> None:
    if refusal := drafting_refusal(actor, case):
        raise NotPermitted(refusal)


def _ensure_recorder(actor: User, case: Case) -> None:
    # The same rule the agreement page shows its signing forms by (agreements.permissions).
    if refusal := signature_recording_refusal(actor, case):
        raise NotPermitted(refusal)


def _lock(agreement: Agreement) -> tuple[Case, Agreement]:
    case = lock_case(agreement.case)
    return case, Agreement.objects.select_for_update().get(pk=agreement.pk)


def required_signers(case: Case) -> list[Party]:
    return [p for p in case.parties.all() if p.role in SIGNING_ROLES]


def parties_summary(case: Case) -> str:
    """The parties' basic information for a new draft (no ID numbers: the document adds them)."""
    lines = []
    for party in case.parties.select_related("agency").order_by("order"):
        line = f"{party.get_role_display()}：{party.name}"
        if party.is_natural_person:
            details = "，".join(x for x in (party.get_gender_display(), party.ethnicity) if x)
            if party.birth_date:
                details += f"，{cn_date(party.birth_date)}出生"
            if party.domicile:
                details += f"，住{party.domicile}"
            line += f"，{details}" if details else ""
        elif party.legal_representative:
            line += f"，法定代表人（负责人）{party.legal_representative}"
            if party.legal_representative_title:
                line += f"，{party.legal_representative_title}"
        elif party.agency is not None and party.agency.principal_name:
            line += f"，负责人{party.agency.principal_name}，{party.agency.principal_title}"
        lines.append(line + "。")
    return "\n".join(lines)


@transaction.atomic
def draft_agreement(*, case: Case, actor: User) -> Agreement:
    """Start the first draft of a case that reached agreement."""
    case = lock_case(case)
    _ensure_drafter(actor, case)
    if case.status != Status.AGREED:
        raise ServiceError(
            f"案件当前状态为“{case.get_status_display()}”，达成一致后才能起草调解协议。"
        )
    if case.agreements.filter(
        status__in=[Agreement.Status.DRAFT, Agreement.Status.EFFECTIVE]
    ).exists():
        raise ServiceError("本案已有起草中或已生效的调解协议；需要修改的，请修订为新版本。")
    version = (case.agreements.aggregate(v=Max("version"))["v"] or 0) + 1
    claims = "；".join(f"{c.number}. {c.text}" for c in case.claims.all())
    agreement = Agreement.objects.create(
        case=case,
        version=version,
        parties_info=parties_summary(case),
        facts=f"{case.facts_and_reasons}\n申请人请求：{claims}"
        if claims
        else case.facts_and_reasons,
        result="",
        created_by=actor,
    )
    record_event(
        case=case,
        kind=CaseEvent.Kind.AGREEMENT_DRAFTED,
        actor=actor,
        note=f"第{version}版",
        data={"agreement": agreement.pk},
    )
    return agreement


def _validate_obligations(case: Case, obligations: Sequence[dict[str, Any]]) -> None:
    parties = {p.pk for p in case.parties.all()}
    today = timezone.localdate()
    for index, data in enumerate(obligations, start=1):
        obligor = data.get("obligor")
        if obligor is None or obligor.pk not in parties:
            raise ServiceError(f"第{index}项义务的义务人必须是本案当事人。", field="obligations")
        if not (data.get("description") or "").strip():
            raise ServiceError(f"第{index}项义务缺少内容。", field="obligations")
        if data.get("due_date") is None:
            raise ServiceError(f"第{index}项义务缺少履行期限。", field="obligations")
        if data["due_date"] < today:
            raise ServiceError(f"第{index}项义务的履行期限早于今天。", field="obligations")
        if not (data.get("method") or "").strip():
            raise ServiceError(f"第{index}项义务缺少履行方式。", field="obligations")
        amount = data.get("amount")
        if amount is not None and amount < 0:
            raise ServiceError(f"第{index}项义务的金额不能为负数。", field="obligations")
        if data.get("kind") == "payment" and not amount:
            raise ServiceError(f"第{index}项为支付款项，请填写金额。", field="obligations")


@transaction.atomic
def update_agreement(
    *,
    agreement: Agreement,
    actor: User,
    data: dict[str, Any],
    obligations: Sequence[dict[str, Any]],
    expected_version: int,
) -> Agreement:
    """Edit a draft nobody has signed yet. Once signing started, changes need a new version."""
    case, agreement = _lock(agreement)
    _ensure_drafter(actor, case)
    if agreement.status != Agreement.Status.DRAFT:
        raise ServiceError("只能修改起草中的协议；已生效的协议需要修改的，请修订为新版本。")
    if agreement.signatures.exists() or agreement.mediator_signed_on or agreement.office_sealed_on:
        raise ServiceError("已有人签署本版协议，不能直接修改；请修订为新版本，由各方重新签署。")
    if agreement.edit_version != expected_version:
        raise StaleEdit(
            "在您编辑期间，其他人已修改了这份协议。您填写的内容仍保留在下方，请核对后再保存。"
        )
    _validate_obligations(case, obligations)
    for name in ("parties_info", "facts", "result", "other_terms", "confirmation_intended"):
        if name in data:
            setattr(agreement, name, data[name])
    agreement.edit_version = F("edit_version") + 1
    agreement.full_clean(exclude=["edit_version", "case", "created_by"])
    agreement.save()
    agreement.refresh_from_db(fields=["edit_version"])
    agreement.obligations.all().delete()
    for number, item in enumerate(obligations, start=1):
        Obligation.objects.create(
            agreement=agreement,
            number=number,
            obligor=item["obligor"],
            kind=item["kind"],
            description=item["description"],
            amount=item.get("amount"),
            due_date=item["due_date"],
            method=item["method"],
        )
    # A changed text has to be checked again.
    agreement.checklist.all().delete()
    record_event(
        case=case,
        kind=CaseEvent.Kind.AGREEMENT_UPDATED,
        actor=actor,
        note=f"第{agreement.version}版，义务{len(obligations)}项",
        data={"agreement": agreement.pk},
    )
    return agreement


@transaction.atomic
def answer_checklist(
    *, agreement: Agreement, actor: User, answers: dict[str, tuple[str, str, str]]
) -> list[ChecklistAnswer]:
    """Record the legality check of DOMAIN.md §2.5: ``{item: (answer, note, override_reason)}``."""
    case, agreement = _lock(agreement)
    _ensure_drafter(actor, case)
    if agreement.status != Agreement.Status.DRAFT:
        raise ServiceError("协议已经生效或作废，不能再修改审查结论。")
    missing = [ChecklistItem(i).label for i in ChecklistItem.values if i not in answers]
    if missing:
        raise ServiceError("请逐项作出审查结论，尚未回答：" + "；".join(missing), field="checklist")
    saved = []
    failures = []
    for item, (answer, note, override) in answers.items():
        if answer not in ChecklistAnswer.Answer.values:
            raise ServiceError("审查结论只能是符合、不符合或不适用。", field="checklist")
        if answer == ChecklistAnswer.Answer.FAIL and not override.strip():
            raise ServiceError(
                f"“{ChecklistItem(item).label}”审查不符合，仍予签署的，必须记录理由。",
                field=f"override_{item}",
            )
        if answer == ChecklistAnswer.Answer.FAIL:
            failures.append(ChecklistItem(item).label)
        row, _ = ChecklistAnswer.objects.update_or_create(
            agreement=agreement,
            item=item,
            defaults={
                "answer": answer,
                "note": note,
                "override_reason": override if answer == ChecklistAnswer.Answer.FAIL else "",
                "answered_by": actor,
            },
        )
        saved.append(row)
    record_event(
        case=case,
        kind=CaseEvent.Kind.AGREEMENT_CHECKED,
        actor=actor,
        note="全部符合" if not failures else "不符合但记录理由后签署：" + "；".join(failures),
        data={"agreement": agreement.pk},
    )
    return saved


def signing_blockers(agreement: Agreement) -> list[str]:
    """What must be done before anyone signs this version."""
    blockers = []
    answered = {a.item: a for a in agreement.checklist.all()}
    missing = [ChecklistItem(i).label for i in ChecklistItem.values if i not in answered]
    if missing:
        blockers.append("合法性审查尚未完成（" + "；".join(missing) + "）")
    for answer in answered.values():
        if answer.answer == ChecklistAnswer.Answer.FAIL and not answer.override_reason:
            blockers.append(f"“{answer.get_item_display()}”不符合且未记录理由")
    if not agreement.result.strip():
        blockers.append("尚未写明调解结果")
    obligations = list(agreement.obligations.all())
    if not obligations:
        blockers.append("尚未列明任何义务")
    for o in obligations:
        if not o.obligor_id or not o.description.strip() or not o.due_date:
            blockers.append(f"第{o.number}项义务缺少义务人、内容或履行期限")
    return blockers


def _check_signable(agreement: Agreement, signed_on: date) -> None:
    if agreement.status != Agreement.Status.DRAFT:
        raise ServiceError(f"本版协议{agreement.get_status_display()}，不能再签署。")
    if blockers := signing_blockers(agreement):
        raise ServiceError("签署前须完成：" + "；".join(blockers) + "。")
    if signed_on > timezone.localdate():
        raise ServiceError("签字日期不能晚于今天。", field="signed_on")
    if signed_on < timezone.localtime(agreement.created_at).date():
        raise ServiceError("签字日期不能早于协议起草日期。", field="signed_on")


@transaction.atomic
def record_signature(
    *,
    agreement: Agreement,
    actor: User,
    party: Party,
    signer_name: str,
    capacity: str,
    method: str,
    signed_on: date,
    agent: Agent | None = None,
) -> Signature:
    """A party signs, seals or fingerprints. A general-authority agent cannot sign (§3.1)."""
    case, agreement = _lock(agreement)
    _ensure_recorder(actor, case)
    _check_signable(agreement, signed_on)
    if party.case_id != case.pk or party.role not in SIGNING_ROLES:
        raise ServiceError("只有本案的申请人、被申请人和第三人需要签署协议。", field="party")
    if agreement.signatures.filter(party=party).exists():
        raise ServiceError(f"{party.name}已经签署了本版协议。", field="party")
    if capacity not in CAPACITIES_BY_KIND[Party.Kind(party.kind)]:
        raise ServiceError(
            f"{party.get_kind_display()}不能以“{Signature.Capacity(capacity).label}”的身份签署。",
            field="capacity",
        )
    if method not in Signature.Method.values:
        raise ServiceError("请选择签署方式。", field="method")
    if capacity == Signature.Capacity.AGENCY_SEAL and method not in AGENCY_METHODS:
        raise ServiceError(
            "行政机关应由负责人签字并加盖印章（或电子签章），不能捺印或仅签名。", field="method"
        )
    if capacity == Signature.Capacity.SPECIAL_AGENT:
        if agent is None or agent.party_id != party.pk:
            raise ServiceError("请选择该当事人的代理人。", field="agent")
        if agent.authority != Agent.Authority.SPECIAL:
            raise ServiceError(
                f"{agent.name}为一般授权代理人，不能代为签署调解协议；须由特别授权代理人或当事人本人签署。",
                field="agent",
            )
        signer_name = agent.name
    elif agent is not None:
        raise ServiceError("只有以特别授权代理人身份签署时才选择代理人。", field="agent")
    if not signer_name.strip():
        raise ServiceError("请填写签字人姓名。", field="signer_name")
    if capacity == Signature.Capacity.IN_PERSON and signer_name.strip() != party.name:
        raise ServiceError(
            f"本人签署的，签字人应为{party.name}本人；由他人代签的，请选择“特别授权代理人”。",
            field="signer_name",
        )
    signature = Signature.objects.create(
        agreement=agreement,
        party=party,
        signer_name=signer_name.strip(),
        capacity=capacity,
        agent=agent,
        method=method,
        signed_on=signed_on,
        recorded_by=actor,
    )
    record_event(
        case=case,
        kind=CaseEvent.Kind.AGREEMENT_SIGNED,
        actor=actor,
        note=f"{party.name}：{signature.signer_name}（{signature.get_capacity_display()}）"
        f"{signature.get_method_display()}，{cn_date(signed_on)}",
        data={"agreement": agreement.pk, "party": party.pk},
    )
    _take_effect_if_complete(case, agreement, actor)
    return signature


@transaction.atomic
def record_mediator_signature(*, agreement: Agreement, actor: User, signed_on: date) -> Agreement:
    case, agreement = _lock(agreement)
    if not actor.has_perm("agreements.record_signature") or not conducting(actor, case):
        raise NotPermitted("调解员本人签字：只有本案的调解员或工作室负责人可以记录。")
    _check_signable(agreement, signed_on)
    if agreement.mediator_signed_on:
        raise ServiceError("调解员已经签字。")
    agreement.mediator_signed_by, agreement.mediator_signed_on = actor, signed_on
    agreement.save(update_fields=["mediator_signed_by", "mediator_signed_on", "updated_at"])
    record_event(
        case=case,
        kind=CaseEvent.Kind.AGREEMENT_SIGNED,
        actor=actor,
        note=f"调解员{actor.get_full_name()}签字，{cn_date(signed_on)}",
        data={"agreement": agreement.pk},
    )
    _take_effect_if_complete(case, agreement, actor)
    return agreement


@transaction.atomic
def record_office_seal(*, agreement: Agreement, actor: User, sealed_on: date) -> Agreement:
    case, agreement = _lock(agreement)
    _ensure_recorder(actor, case)
    _check_signable(agreement, sealed_on)
    if agreement.office_sealed_on:
        raise ServiceError("已经加盖工作室印章。")
    # The seal confirms the signed agreement: it comes after every signature.
    if missing := [m for m in missing_signatures(agreement) if m != "工作室印章"]:
        raise ServiceError(
            "各方当事人和调解员签署后才能加盖印章；尚未签署：" + "、".join(missing) + "。"
        )
    agreement.office_sealed_on = sealed_on
    agreement.save(update_fields=["office_sealed_on", "updated_at"])
    record_event(
        case=case,
        kind=CaseEvent.Kind.AGREEMENT_SIGNED,
        actor=actor,
        note=f"加盖{case.office}印章，{cn_date(sealed_on)}",
        data={"agreement": agreement.pk},
    )
    _take_effect_if_complete(case, agreement, actor)
    return agreement


def missing_signatures(agreement: Agreement) -> list[str]:
    signed = {s.party_id for s in agreement.signatures.all()}
    missing = [p.name for p in required_signers(agreement.case) if p.pk not in signed]
    if not agreement.mediator_signed_on:
        missing.append("调解员")
    if not agreement.office_sealed_on:
        missing.append("工作室印章")
    return missing


def _take_effect_if_complete(case: Case, agreement: Agreement, actor: User) -> None:
    """The agreement takes effect on the day of its last required signature or seal."""
    if missing_signatures(agreement):
        return
    ensure_step(AGREEMENT_STEPS, agreement, "take_effect")
    dates = [s.signed_on for s in agreement.signatures.all()]
    # missing_signatures() has just checked that both are there.
    assert agreement.mediator_signed_on is not None and agreement.office_sealed_on is not None
    dates += [agreement.mediator_signed_on, agreement.office_sealed_on]
    agreement.effective_on = max(dates)
    apply_step(AGREEMENT_STEPS, agreement, "take_effect", fields=["effective_on", "updated_at"])
    window = CONFIRMATION_APPLY.compute(agreement.effective_on, load_work_calendar())
    note = f"第{agreement.version}版自{cn_date(agreement.effective_on)}生效。申请司法确认的期限至{cn_date(window.due)}。"
    if case.is_referral:
        note += f"本案为委派调解，应向{case.court}备案。"
    record_event(
        case=case,
        kind=CaseEvent.Kind.AGREEMENT_EFFECTIVE,
        actor=actor,
        note=note,
        data={"agreement": agreement.pk, "effective_on": agreement.effective_on.isoformat()},
    )
    refresh_case_deadline(case)


@transaction.atomic
def record_court_filing(
    *, agreement: Agreement, actor: User, filed_on: date, note: str
) -> Agreement:
    """A referral's agreement is filed with the referring court (特邀调解规定第十九条)."""
    case, agreement = _lock(agreement)
    _ensure_recorder(actor, case)
    if not case.is_referral:
        raise ServiceError("只有委派调解的协议需要向法院备案。")
    if agreement.status != Agreement.Status.EFFECTIVE:
        raise ServiceError("协议生效后才能备案。")
    assert agreement.effective_on is not None  # set when the agreement took effect
    if filed_on > timezone.localdate() or filed_on < agreement.effective_on:
        raise ServiceError("备案日期应在协议生效之后、今天或之前。", field="filed_on")
    agreement.court_filed_on, agreement.court_filing_note = filed_on, note
    agreement.save(update_fields=["court_filed_on", "court_filing_note", "updated_at"])
    record_event(
        case=case,
        kind=CaseEvent.Kind.AGREEMENT_FILED,
        actor=actor,
        note=f"{cn_date(filed_on)}向{case.court}备案。{note}",
        data={"agreement": agreement.pk},
    )
    return agreement


@transaction.atomic
def new_version(*, agreement: Agreement, actor: User, reason: str) -> Agreement:
    """Revise: the current version is kept as it was, a new draft copies its content.

    Allowed for a draft that someone already signed, and for an effective
    agreement whose confirmation failed or was never sought.
    """
    case, agreement = _lock(agreement)
    _ensure_drafter(actor, case)
    if case.status != Status.AGREED:
        raise ServiceError(
            f"案件当前状态为“{case.get_status_display()}”，不能修订协议；重新达成一致后再起草。"
        )
    if not reason.strip():
        raise ServiceError("请说明修订的原因。", field="reason")
    active = agreement.confirmations.filter(
        status__in=[Confirmation.Status.APPLIED, Confirmation.Status.CONFIRMED]
    ).first()
    if active is not None:
        raise ServiceError(f"本版协议的司法确认申请{active.get_status_display()}，不能修订。")
    ensure_step(AGREEMENT_STEPS, agreement, "supersede")
    if agreement.status == Agreement.Status.DRAFT and not (
        agreement.signatures.exists() or agreement.mediator_signed_on or agreement.office_sealed_on
    ):
        raise ServiceError("本版协议尚未有人签署，请直接修改，不必修订为新版本。")
    apply_step(AGREEMENT_STEPS, agreement, "supersede", fields=["updated_at"])
    revised = Agreement.objects.create(
        case=case,
        version=agreement.version + 1,
        previous=agreement,
        parties_info=agreement.parties_info,
        facts=agreement.facts,
        result=agreement.result,
        other_terms=agreement.other_terms,
        confirmation_intended=agreement.confirmation_intended,
        created_by=actor,
    )
    for o in agreement.obligations.all():
        Obligation.objects.create(
            agreement=revised,
            number=o.number,
            obligor=o.obligor,
            kind=o.kind,
            description=o.description,
            amount=o.amount,
            due_date=max(o.due_date, timezone.localdate()),
            method=o.method,
        )
    record_event(
        case=case,
        kind=CaseEvent.Kind.AGREEMENT_NEW_VERSION,
        actor=actor,
        note=f"第{agreement.version}版修订为第{revised.version}版：{reason}",
        data={"agreement": revised.pk, "previous": agreement.pk},
    )
    refresh_case_deadline(case)
    return revised


def abandon_unsigned_drafts(case: Case, actor: User) -> None:
    """When mediation resumes or ends, a draft that never took effect is set aside (kept)."""
    for agreement in case.agreements.select_for_update().filter(status=Agreement.Status.DRAFT):
        apply_step(AGREEMENT_STEPS, agreement, "abandon", fields=["updated_at"])
