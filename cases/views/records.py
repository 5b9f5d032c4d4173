"""Editing the case record: the case's fields, parties, agents, claims and attachments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cases.forms.records import (
    AccessPurposeForm,
    AgentForm,
    AttachmentForm,
    CaseForm,
    ClaimFormSet,
    PartyForm,
    VersionedForm,
)
from cases.models import AccessKind, Agent, Case, Party
from cases.models.case import Source
from cases.permissions import can_download_attachment, is_transcript
from cases.selectors import (
    agent_in_scope,
    attachment_in_scope,
    case_for_update,
    category_hints,
    party_in_scope,
)
from cases.services import court_access, records
from cases.services.access import is_sensitive_attachment, record_access
from cases.services.common import ServiceError, StaleEdit
from cases.views.common import (
    MERGED_NOTE,
    form_error,
    is_htmx,
    logged_download,
    save_merging,
    show_warnings,
)
from cases.views.intake import filled_forms
from cases.workflow import NotPermitted

ROLE_KINDS = {
    Party.Role.APPLICANT: [
        Party.Kind.NATURAL_PERSON,
        Party.Kind.LEGAL_PERSON,
        Party.Kind.OTHER_ORG,
    ],
    Party.Role.RESPONDENT: [Party.Kind.AGENCY],
    Party.Role.THIRD_PARTY: list(Party.Kind),
    Party.Role.REPRESENTATIVE: [Party.Kind.NATURAL_PERSON],
}


def _version_form(request: HttpRequest, case: Case) -> VersionedForm:
    if request.method == "POST":
        return VersionedForm(request.POST, prefix="v")
    return VersionedForm(initial={"version": case.version}, prefix="v")


def _editing_page(request, template, case, context) -> HttpResponse:
    return render(request, template, {"page": "cases", "case": case, **context})


def _stale(request: HttpRequest, form, exc: StaleEdit, case: Case, version_form) -> None:
    """Keep what was typed; show the message; let the next submit overwrite knowingly."""
    form.add_error(None, exc.message)
    case.refresh_from_db()
    version_form.data = version_form.data.copy()
    version_form.data["v-version"] = str(case.version)


def _saved_message(request: HttpRequest, outcome: str, text: str) -> None:
    messages.success(request, text + (MERGED_NOTE if outcome == "merged" else ""))


@permission_required("cases.change_case", raise_exception=True)
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_update(request.user, pk)
    sources = (Source.COURT_REFERRAL,) if case.is_referral else (Source.SELF, Source.TRANSFERRED)
    version = _version_form(request, case)
    if request.method == "POST":
        form = CaseForm(request.POST, instance=Case.objects.get(pk=case.pk), sources=sources)
        form.track_changes()
        if form.is_valid() and version.is_valid():
            mine = set(form.changed_data)
            data = {name: form.cleaned_data[name] for name in mine}
            try:
                outcome = save_merging(
                    form=form,
                    version_form=version,
                    mine=mine,
                    load_latest=lambda: (latest := Case.objects.get(pk=case.pk), latest.version),
                    save=lambda expected: records.case_update(
                        case=case, actor=request.user, data=data, expected_version=expected
                    ),
                )
            except ServiceError as exc:
                form_error(form, exc)
            else:
                if outcome:
                    _saved_message(request, outcome, "案件信息已保存。")
                    show_warnings(request, form.warnings)
                    return redirect(case)
    else:
        form = CaseForm(instance=case, sources=sources)
        form.track_changes()
    return _editing_page(
        request,
        "cases/case_edit.html",
        case,
        {"form": form, "version_form": version, "category_hints": category_hints()},
    )


@permission_required("cases.change_case", raise_exception=True)
def party_add(request: HttpRequest, pk: int, role: str) -> HttpResponse:
    if role not in Party.Role.values:
        raise Http404
    case = case_for_update(request.user, pk)
    version = _version_form(request, case)
    kinds = ROLE_KINDS[Party.Role(role)]
    form = PartyForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid() and version.is_valid():
        try:
            party = records.party_add(
                case=case,
                actor=request.user,
                role=role,
                data=form.service_data(),
                expected_version=version.cleaned_data["version"],
            )
        except StaleEdit as exc:
            _stale(request, form, exc, case, version)
        except ServiceError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"已增加{party.get_role_display()} {party.name}。")
            return redirect(case)
    return _editing_page(
        request,
        "cases/party_form.html",
        case,
        {"form": form, "version_form": version, "title": f"增加{Party.Role(role).label}"},
    )


@permission_required("cases.change_case", raise_exception=True)
def party_edit(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    party = party_in_scope(request.user, pk, party_pk)
    case = party.case
    version = _version_form(request, case)
    kinds = ROLE_KINDS[Party.Role(party.role)]
    form = PartyForm(request.POST or None, instance=party, kinds=kinds)
    form.track_changes()
    if request.method == "POST" and form.is_valid() and version.is_valid():
        data = form.changed_service_data()
        try:
            outcome = save_merging(
                form=form,
                version_form=version,
                mine=set(form.changed_data),
                load_latest=lambda: (
                    Party.objects.get(pk=party.pk),
                    Case.objects.values_list("version", flat=True).get(pk=case.pk),
                ),
                save=lambda expected: records.party_update(
                    party=party, actor=request.user, data=data, expected_version=expected
                ),
            )
        except ServiceError as exc:
            form_error(form, exc)
        else:
            if outcome:
                _saved_message(
                    request, outcome, f"已保存{party.get_role_display()} {party.name}的信息。"
                )
                return redirect(case)
    return _editing_page(
        request,
        "cases/party_form.html",
        case,
        {
            "form": form,
            "version_form": version,
            "party": party,
            "title": f"修改{party.get_role_display()}",
        },
    )


@require_POST
@permission_required("cases.change_case", raise_exception=True)
def party_delete(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    party = party_in_scope(request.user, pk, party_pk)
    version = VersionedForm(request.POST, prefix="v")
    if not version.is_valid():
        messages.error(request, "请求不完整，请刷新页面后重试。")
        return redirect(party.case)
    try:
        records.party_remove(
            party=party, actor=request.user, expected_version=version.cleaned_data["version"]
        )
    except (StaleEdit, ServiceError) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除{party.get_role_display()} {party.name}。")
    return redirect(party.case)


@permission_required("cases.change_case", raise_exception=True)
def agent_add(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    party = party_in_scope(request.user, pk, party_pk)
    case = party.case
    version = _version_form(request, case)
    form = AgentForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and version.is_valid():
        try:
            agent = records.agent_add(
                party=party,
                actor=request.user,
                data=form.cleaned_data,
                expected_version=version.cleaned_data["version"],
            )
        except StaleEdit as exc:
            _stale(request, form, exc, case, version)
        except ServiceError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"已为{party.name}增加代理人 {agent.name}。")
            return redirect(case)
    return _editing_page(
        request,
        "cases/agent_form.html",
        case,
        {
            "form": form,
            "version_form": version,
            "party": party,
            "title": f"为{party.name}增加代理人",
        },
    )


@permission_required("cases.change_case", raise_exception=True)
def agent_edit(request: HttpRequest, pk: int, agent_pk: int) -> HttpResponse:
    agent = agent_in_scope(request.user, pk, agent_pk)
    case = agent.party.case
    version = _version_form(request, case)
    form = AgentForm(request.POST or None, instance=agent)
    form.track_changes()
    if request.method == "POST" and form.is_valid() and version.is_valid():
        mine = set(form.changed_data)
        data = {name: form.cleaned_data[name] for name in mine}
        try:
            outcome = save_merging(
                form=form,
                version_form=version,
                mine=mine,
                load_latest=lambda: (
                    Agent.objects.get(pk=agent.pk),
                    Case.objects.values_list("version", flat=True).get(pk=case.pk),
                ),
                save=lambda expected: records.agent_update(
                    agent=agent, actor=request.user, data=data, expected_version=expected
                ),
            )
        except ServiceError as exc:
            form_error(form, exc)
        else:
            if outcome:
                _saved_message(request, outcome, f"已保存代理人 {agent.name} 的信息。")
                return redirect(case)
    return _editing_page(
        request,
        "cases/agent_form.html",
        case,
        {"form": form, "version_form": version, "party": agent.party, "title": "修改代理人"},
    )


@require_POST
@permission_required("cases.change_case", raise_exception=True)
def agent_delete(request: HttpRequest, pk: int, agent_pk: int) -> HttpResponse:
    agent = agent_in_scope(request.user, pk, agent_pk)
    version = VersionedForm(request.POST, prefix="v")
    case = agent.party.case
    if not version.is_valid():
        messages.error(request, "请求不完整，请刷新页面后重试。")
        return redirect(case)
    try:
        records.agent_remove(
            agent=agent, actor=request.user, expected_version=version.cleaned_data["version"]
        )
    except (StaleEdit, ServiceError) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除代理人 {agent.name}。")
    return redirect(case)


@permission_required("cases.change_case", raise_exception=True)
def claims_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_update(request.user, pk)
    version = _version_form(request, case)
    if request.method == "POST":
        formset = ClaimFormSet(request.POST, prefix="claim")
        if formset.is_valid() and version.is_valid():
            try:
                records.claims_replace(
                    case=case,
                    actor=request.user,
                    claims=[f.cleaned_data for f in filled_forms(formset)],
                    expected_version=version.cleaned_data["version"],
                )
            except StaleEdit as exc:
                formset._non_form_errors = formset.error_class([exc.message])
                case.refresh_from_db()
                version.data = version.data.copy()
                version.data["v-version"] = str(case.version)
            except ServiceError as exc:
                formset._non_form_errors = formset.error_class([exc.message])
            else:
                messages.success(request, "请求事项已保存。")
                return redirect(case)
    else:
        formset = ClaimFormSet(
            prefix="claim",
            initial=[{"text": c.text, "amount": c.amount} for c in case.claims.all()],
        )
    return _editing_page(
        request, "cases/claims_form.html", case, {"formset": formset, "version_form": version}
    )


@permission_required("cases.add_attachment", raise_exception=True)
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_update(request.user, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = records.attachment_add(
                case=case,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ServiceError as exc:
            form_error(form, exc)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        else:
            messages.success(request, f"已上传“{attachment.title}”。")
            return redirect(case)
    return _editing_page(request, "cases/attachment_form.html", case, {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required("cases.view_attachment", raise_exception=True)
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Always a download, never rendered by the browser, whatever the file claims to be;
    in the access log, and a copy of an identity document only with a reason."""
    attachment = attachment_in_scope(request.user, pk, attachment_pk)
    if not can_download_attachment(request.user, attachment):
        raise Http404
    if is_transcript(attachment):
        court_access.record_transcript_view(
            case=attachment.case, actor=request.user, attachment=attachment
        )
    suffix = (
        "." + attachment.original_name.rsplit(".", 1)[-1] if "." in attachment.original_name else ""
    )
    filename = f"{attachment.case.number or attachment.case.pk}-{attachment.title}{suffix}"
    return logged_download(
        request,
        attachment,
        filename,
        kind=AccessKind.ATTACHMENT_DOWNLOADED,
        subject=f"{attachment.get_kind_display()}“{attachment.title}”",
        case=attachment.case,
        sensitive=is_sensitive_attachment(attachment),
    )


@require_POST
@permission_required("cases.delete_attachment", raise_exception=True)
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = attachment_in_scope(request.user, pk, attachment_pk)
    case = attachment.case
    try:
        records.attachment_remove(attachment=attachment, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除“{attachment.title}”。")
    return redirect(case)


@require_POST
@permission_required("cases.view_full_id", raise_exception=True)
def party_reveal_id(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    """Show one full ID number once the reason is given, and record who saw it and why."""
    party = party_in_scope(request.user, pk, party_pk)
    form = AccessPurposeForm(request.POST)
    context = {"party": party, "case": party.case, "page": "cases", "form": form}
    if not form.is_valid():
        template = "cases/_reveal_form.html" if is_htmx(request) else "cases/revealed_id.html"
        return render(request, template, context)
    number = records.party_reveal_id(party=party, actor=request.user)
    record_access(
        request,
        kind=AccessKind.ID_REVEALED,
        subject=f"{party.get_role_display()} {party.name}",
        case=party.case,
        purpose=form.cleaned_data["purpose"],
        purpose_note=form.cleaned_data["purpose_note"],
    )
    context["number"] = number
    if is_htmx(request):
        return render(request, "cases/_revealed_id.html", context)
    return render(request, "cases/revealed_id.html", context)
