"""Edits of the case record: the case's own fields, parties, agents, claims and attachments.

Every edit carries the case version the user started from. If somebody saved
the case in between, the edit is refused with ``StaleEdit`` and nothing is
overwritten; the form keeps what the user typed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, cast

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Field, Model, ProtectedError

from accounts.models import User
from cases.files import save_file
from cases.models import Agency, Agent, Attachment, Case, CaseEvent, Claim, Party
from cases.models.attachment import uploadable_kinds
from cases.models.case import CASE_RECORD_FIELDS, EDITABLE_STATUSES, Source, Status
from cases.models.party import MAX_AGENTS_PER_PARTY
from cases.permissions import cases_visible_to
from cases.services.common import ServiceError, StaleEdit, bump_version, lock_case, record_event
from cases.services.rules import check_scope_answers
from cases.uploads import UploadRejected, inspect_upload
from cases.workflow import NotPermitted

# Fields of the case a clerk may correct after registration.


def _start_edit(*, case: Case, actor: User, expected_version: int, perm: str) -> Case:
    if not actor.has_perm(perm) or not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise NotPermitted("您没有权限修改本案。")
    case = lock_case(case)
    if case.status not in EDITABLE_STATUSES:
        raise ServiceError(f"案件已{case.get_status_display()}，不能再修改。")
    if case.version != expected_version:
        raise StaleEdit()
    return case


def create_parties(
    case: Case, *, applicants: Sequence[dict[str, Any]], respondents: Sequence[Agency]
) -> None:
    """The parties given at registration: applicants first, then the respondent agencies."""
    order = 0
    for data in applicants:
        order += 1
        party = Party(case=case, role=Party.Role.APPLICANT, order=order, **data)
        party.full_clean()
        party.save()
    for agency in respondents:
        order += 1
        Party.objects.create(
            case=case,
            role=Party.Role.RESPONDENT,
            kind=Party.Kind.AGENCY,
            agency=agency,
            name=agency.name,
            phone=agency.phone,
            service_address=agency.address,
            order=order,
        )


def create_claims(case: Case, claims: Sequence[dict[str, Any]]) -> None:
    for number, data in enumerate(claims, start=1):
        claim = Claim(case=case, number=number, text=data["text"], amount=data.get("amount"))
        claim.full_clean()
        claim.save()


def _labels(model: type[Model], names: Sequence[str]) -> list[str]:
    """The verbose names of ``names``, which are the model's own (concrete) fields."""
    # get_field() is typed to return reverse relations too; these names are always fields.
    return [
        str(cast("Field[Any, Any]", model._meta.get_field(name)).verbose_name) for name in names
    ]


@transaction.atomic
def case_update(*, case: Case, actor: User, data: dict[str, Any], expected_version: int) -> Case:
    case = _start_edit(
        case=case, actor=actor, expected_version=expected_version, perm="cases.change_case"
    )
    changed = []
    for name, value in data.items():
        if name not in CASE_RECORD_FIELDS:
            raise ValueError(f"{name} cannot be edited here")
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed.append(name)
    if not changed:
        return case
    if "source" in changed and Source.COURT_REFERRAL in (case.source, data["source"]):
        raise ServiceError(
            "法院委派的案件不能改为自行受理，自行受理的案件也不能改为法院委派。", "source"
        )
    case.full_clean(exclude=["created_by"])
    if case.status not in (Status.REFERRAL_UNCONFIRMED, Status.REFERRAL_PENDING):
        check_scope_answers(case)
    case.save(update_fields=[*changed, "updated_at"])
    bump_version(case)
    labels = _labels(Case, changed)
    record_event(
        case=case,
        kind=CaseEvent.Kind.CASE_UPDATED,
        actor=actor,
        note="修改了：" + "、".join(labels),
        data={"fields": changed},
    )
    return case


@transaction.atomic
def party_add(
    *, case: Case, actor: User, role: str, data: dict[str, Any], expected_version: int
) -> Party:
    case = _start_edit(
        case=case, actor=actor, expected_version=expected_version, perm="cases.change_case"
    )
    order = (case.parties.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    party = Party(case=case, role=role, order=order, **data)
    if party.kind == Party.Kind.AGENCY and not party.name and party.agency is not None:
        party.name = party.agency.name
    party.full_clean()
    party.save()
    bump_version(case)
    record_event(
        case=case,
        kind=CaseEvent.Kind.PARTY_ADDED,
        actor=actor,
        note=f"{party.get_role_display()} {party.name}",
        data={"party": party.pk},
    )
    return party


@transaction.atomic
def party_update(
    *, party: Party, actor: User, data: dict[str, Any], expected_version: int
) -> Party:
    case = _start_edit(
        case=party.case, actor=actor, expected_version=expected_version, perm="cases.change_case"
    )
    party = Party.objects.get(pk=party.pk)
    changed = [name for name, value in data.items() if getattr(party, name) != value]
    if not changed:
        return party
    for name in changed:
        setattr(party, name, data[name])
    party.full_clean()
    party.save()
    bump_version(case)
    labels = _labels(Party, changed)
    record_event(
        case=party.case,
        kind=CaseEvent.Kind.PARTY_UPDATED,
        actor=actor,
        note=f"{party.get_role_display()} {party.name}"
        + ("：" + "、".join(labels) if labels else ""),
        data={"party": party.pk, "fields": changed},
    )
    return party


def _kept_records(exc: ProtectedError) -> str:
    """What refused a deletion, as "协议义务1条、签字记录1条".

    Other apps' records that point at a party or agent protect it (``on_delete=PROTECT``);
    ``cases`` does not import those apps, so it names them by their verbose names.
    """
    counts = Counter(str(obj._meta.verbose_name) for obj in exc.protected_objects)
    return "、".join(f"{name}{count}条" for name, count in sorted(counts.items()))


@transaction.atomic
def party_remove(*, party: Party, actor: User, expected_version: int) -> None:
    case = _start_edit(
        case=party.case, actor=actor, expected_version=expected_version, perm="cases.change_case"
    )
    if party.role in (Party.Role.APPLICANT, Party.Role.RESPONDENT):
        remaining = case.parties.filter(role=party.role).exclude(pk=party.pk).count()
        if remaining == 0:
            raise ServiceError(f"案件至少需要一名{party.get_role_display()}，不能删除最后一名。")
    try:
        party.delete()
    except ProtectedError as exc:
        raise ServiceError(
            f"不能删除{party.get_role_display()} {party.name}：该当事人已在调解协议上签字"
            f"或负有协议义务（{_kept_records(exc)}），协议记录须完整保留。"
            "当事人信息有误的，请改为修改其信息。"
        ) from None
    record_event(
        case=case,
        kind=CaseEvent.Kind.PARTY_REMOVED,
        actor=actor,
        note=f"{party.get_role_display()} {party.name}",
    )
    bump_version(case)


@transaction.atomic
def agent_add(*, party: Party, actor: User, data: dict[str, Any], expected_version: int) -> Agent:
    case = _start_edit(
        case=party.case, actor=actor, expected_version=expected_version, perm="cases.change_case"
    )
    if party.agents.count() >= MAX_AGENTS_PER_PARTY:
        raise ServiceError(
            f"每名当事人最多委托{MAX_AGENTS_PER_PARTY}名代理人（《行政诉讼法》第三十一条）。"
        )
    agent = Agent(party=party, **data)
    agent.full_clean()
    agent.save()
    bump_version(case)
    record_event(
        case=case,
        kind=CaseEvent.Kind.AGENT_ADDED,
        actor=actor,
        note=f"{party.name}的代理人 {agent}",
        data={"agent": agent.pk},
    )
    return agent


@transaction.atomic
def agent_update(
    *, agent: Agent, actor: User, data: dict[str, Any], expected_version: int
) -> Agent:
    case = _start_edit(
        case=agent.party.case,
        actor=actor,
        expected_version=expected_version,
        perm="cases.change_case",
    )
    if all(getattr(agent, name) == value for name, value in data.items()):
        return agent
    for name, value in data.items():
        setattr(agent, name, value)
    agent.full_clean()
    agent.save()
    bump_version(case)
    record_event(
        case=case,
        kind=CaseEvent.Kind.AGENT_UPDATED,
        actor=actor,
        note=f"{agent.party.name}的代理人 {agent}",
        data={"agent": agent.pk},
    )
    return agent


@transaction.atomic
def agent_remove(*, agent: Agent, actor: User, expected_version: int) -> None:
    case = _start_edit(
        case=agent.party.case,
        actor=actor,
        expected_version=expected_version,
        perm="cases.change_case",
    )
    try:
        agent.delete()
    except ProtectedError as exc:
        raise ServiceError(
            f"不能删除代理人 {agent.name}：该代理人已代{agent.party.name}在调解协议上签字"
            f"（{_kept_records(exc)}），协议记录须完整保留。代理人信息有误的，请改为修改其信息。"
        ) from None
    record_event(
        case=case,
        kind=CaseEvent.Kind.AGENT_REMOVED,
        actor=actor,
        note=f"{agent.party.name}的代理人 {agent}",
    )
    bump_version(case)


@transaction.atomic
def claims_replace(
    *, case: Case, actor: User, claims: Sequence[dict[str, Any]], expected_version: int
) -> Case:
    case = _start_edit(
        case=case, actor=actor, expected_version=expected_version, perm="cases.change_case"
    )
    if not claims:
        raise ServiceError("至少需要一项请求事项。")
    case.claims.all().delete()
    create_claims(case, claims)
    bump_version(case)
    record_event(
        case=case,
        kind=CaseEvent.Kind.CLAIMS_UPDATED,
        actor=actor,
        note=f"共{len(claims)}项请求",
    )
    return case


@transaction.atomic
def attachment_add(
    *, case: Case, actor: User, kind: str, title: str, upload: UploadedFile, field: str = "file"
) -> Attachment:
    """Store an upload privately after checking its type and size; record its hash."""
    if (
        not actor.has_perm("cases.add_attachment")
        or not cases_visible_to(actor).filter(pk=case.pk).exists()
    ):
        raise NotPermitted("您没有权限为本案上传材料。")
    if kind not in dict(uploadable_kinds(actor)):
        raise ServiceError("请选择材料类型。", field="kind")
    case = lock_case(case)
    if case.status not in EDITABLE_STATUSES:
        raise ServiceError(f"案件已{case.get_status_display()}，不能再上传材料。")
    try:
        inspected = inspect_upload(upload)
    except UploadRejected as exc:
        raise ServiceError(exc.message, field=field) from None
    attachment = Attachment(
        case=case,
        kind=kind,
        title=title.strip() or Attachment.Kind(kind).label,
        original_name=(upload.name or "")[-255:],
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        uploaded_by=actor,
    )
    attachment.full_clean(exclude=["file"])
    save_file(attachment.file, "upload", upload)
    attachment.save()
    bump_version(case)
    record_event(
        case=case,
        kind=CaseEvent.Kind.ATTACHMENT_ADDED,
        actor=actor,
        note=f"{attachment.get_kind_display()}：{attachment.title}",
        data={"attachment": attachment.pk, "sha256": inspected.sha256},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: User) -> None:
    case = attachment.case
    if (
        not actor.has_perm("cases.delete_attachment")
        or not cases_visible_to(actor).filter(pk=case.pk).exists()
    ):
        raise NotPermitted("您没有权限删除本案材料。")
    case = lock_case(case)
    if attachment.kind == Attachment.Kind.DOCUMENT:
        raise ServiceError("本工作室制作的文书不能删除；内容有误的，修改案件记录后重新制作。")
    if case.status not in EDITABLE_STATUSES:
        raise ServiceError(f"案件已{case.get_status_display()}，材料不能删除。")
    record_event(
        case=case,
        kind=CaseEvent.Kind.ATTACHMENT_REMOVED,
        actor=actor,
        note=f"{attachment.get_kind_display()}：{attachment.title}",
        data={"sha256": attachment.sha256},
    )
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
    bump_version(case)


def party_reveal_id(*, party: Party, actor: User) -> str:
    """Return the full ID number and record that this user saw it (DOMAIN.md §7)."""
    if (
        not actor.has_perm("cases.view_full_id")
        or not cases_visible_to(actor).filter(pk=party.case_id).exists()
    ):
        raise NotPermitted("您没有权限查看完整证件号码。")
    record_event(
        case=party.case,
        kind=CaseEvent.Kind.ID_REVEALED,
        actor=actor,
        note=f"{party.get_role_display()} {party.name}",
        data={"party": party.pk},
    )
    return party.id_number
