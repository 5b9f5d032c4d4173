"""Pages of what the referring court may read: grounds to open transcripts, the package."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cases.forms.court_access import TranscriptAccessForm, TransferPackageForm, WithdrawAccessForm
from cases.models import Case, TranscriptAccess
from cases.permissions import (
    cases_visible_to,
    transcript_access_refusal,
    transfer_package_refusal,
)
from cases.selectors import case_for_update
from cases.services import court_access
from cases.services.common import ServiceError
from cases.views.common import form_error
from cases.workflow import NotPermitted


def _page(request: HttpRequest, case: Case, title: str, form, intro: str) -> HttpResponse:
    return render(
        request,
        "cases/operation.html",
        {"page": "cases", "case": case, "title": title, "form": form, "intro": intro},
    )


@permission_required("cases.conduct_mediation", raise_exception=True)
def transcript_access_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the parties' consent or the court's written request to read the transcripts."""
    case = case_for_update(request.user, pk)
    if refusal := transcript_access_refusal(request.user, case):
        raise PermissionDenied(refusal)
    if request.method == "POST":
        form = TranscriptAccessForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                court_access.grant_transcript_access(
                    case=case,
                    actor=request.user,
                    basis=d["basis"],
                    dated_on=d["dated_on"],
                    reference=d["reference"],
                    upload=d["file"],
                )
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from None
            except ServiceError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request, f"已登记，{case.court}可以查阅本案调解笔录；每次查阅都会记录。"
                )
                return redirect(case)
    else:
        form = TranscriptAccessForm()
    return _page(
        request,
        case,
        "登记法院查阅笔录的依据",
        form,
        "调解过程不公开（《特邀调解规定》第二条），当事人为达成协议作出妥协而认可的事实，"
        "不得在诉讼中作为对其不利的根据（第二十二条）。经当事人同意或法院书面调取的，"
        "登记后委派法院可以查阅本案调解笔录。",
    )


@permission_required("cases.conduct_mediation", raise_exception=True)
def transcript_access_withdraw(request: HttpRequest, pk: int, access_pk: int) -> HttpResponse:
    access = get_object_or_404(
        TranscriptAccess.objects.select_related("case").filter(
            case__in=cases_visible_to(request.user), case_id=pk
        ),
        pk=access_pk,
    )
    case = access.case
    if refusal := transcript_access_refusal(request.user, case):
        raise PermissionDenied(refusal)
    if request.method == "POST":
        form = WithdrawAccessForm(request.POST)
        if form.is_valid():
            try:
                court_access.withdraw_transcript_access(
                    access=access, actor=request.user, note=form.cleaned_data["note"]
                )
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from None
            except ServiceError as exc:
                form_error(form, exc)
            else:
                messages.success(request, f"已撤销{access.get_basis_display()}的登记。")
                return redirect(case)
    else:
        form = WithdrawAccessForm()
    return _page(
        request,
        case,
        "撤销法院查阅笔录的依据",
        form,
        f"{access.get_basis_display()}（{access.dated_on:%Y年%m月%d日}，{access.reference}）。"
        "撤销后，没有其他依据的，法院不能再查阅本案调解笔录。",
    )


@permission_required("cases.conduct_mediation", raise_exception=True)
def transfer_package(request: HttpRequest, pk: int) -> HttpResponse:
    """The office chooses the materials transferred to the referring court."""
    case = case_for_update(request.user, pk)
    if refusal := transfer_package_refusal(request.user, case):
        raise PermissionDenied(refusal)
    choices = court_access.transfer_choices(case)
    chosen = list(case.transfer_items.values_list("attachment_id", flat=True))
    initial = chosen or [a.pk for a, preselected in choices if preselected]
    form = TransferPackageForm(
        request.POST if request.method == "POST" else None,
        choices=[a for a, _ in choices],
        initial={"attachments": initial},
    )
    if request.method == "POST" and form.is_valid():
        try:
            items = court_access.choose_transfer_package(
                case=case, actor=request.user, attachments=list(form.cleaned_data["attachments"])
            )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except ServiceError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"已确定移送{case.court}的材料{len(items)}项。")
            return redirect(case)
    return _page(
        request,
        case,
        "移送法院的材料",
        form,
        "调解不成的，将起诉状等材料移送委派法院（《特邀调解规定》第二十一条、第二十六条）。"
        "法院在本案页面的“移送材料清单”中看到并下载选定的材料。",
    )
