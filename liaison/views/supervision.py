"""Pages of supervision (督察督办), its suggestions and circulars, and the reconsideration
volumes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.deadline_engine import Unit, cn_date
from cases.models import Agency
from cases.services.common import ServiceError
from cases.views.common import query_year
from cases.workflow import InvalidTransition, NotPermitted
from liaison import forms as liaison_forms
from liaison.models import (
    Appearance,
    Circular,
    Lawsuit,
    Performance,
    Recipient,
    ReconsiderationVolume,
    SupervisionItem,
)
from liaison.permissions import respond_refusal, supervise_refusal
from liaison.selectors import (
    SuggestedItem,
    suggested_supervision,
    supervision_detail,
    supervision_list,
)
from liaison.services import reconsideration as reconsideration_services
from liaison.services import supervision as supervision_services
from liaison.views.common import data, files, form_page, refuse
from liaison.views.lawsuits import scoped_agencies
from liaison.workflow import allows

PAGE = "supervision"
PAGE_SIZE = 25
DEFAULT_ACTIONS = {
    SupervisionItem.Reason.HEAD_ABSENT: "请书面说明负责人未出庭应诉的原因，提出落实负责人出庭应诉制度的措施，"
    "并于期限内反馈。",
    SupervisionItem.Reason.LOSS: "请于期限内填报败诉原因分析，提出并落实整改措施，书面反馈整改情况。",
    SupervisionItem.Reason.NONPERFORMANCE: "请立即履行生效裁判确定的义务，并于期限内书面反馈履行情况及证明材料。",
    SupervisionItem.Reason.SUGGESTION: "请于期限内书面答复人民法院的司法建议并落实整改，同时抄送市司法局。",
    SupervisionItem.Reason.OTHER: "请于期限内书面反馈整改情况。",
}


@permission_required("liaison.view_supervisionitem", raise_exception=True)
def supervision_list_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = liaison_forms.SupervisionFilterForm(
        request.GET or None, agencies=scoped_agencies(request.user)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(supervision_list(request.user, filters, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "liaison/supervision_list.html",
        {
            "page": PAGE,
            "form": form,
            "page_obj": page,
            "today": today,
            "can_supervise": not supervise_refusal(request.user),
        },
    )


@permission_required("liaison.open_supervision", raise_exception=True)
def suggested(request: HttpRequest) -> HttpResponse:
    """What the register suggests supervising, each one click from an open item."""
    refuse(supervise_refusal(request.user))
    today = timezone.localdate()
    everything = request.GET.get("all") == "1"
    items = suggested_supervision(today, since=None if everything else today - timedelta(days=365))
    reason = request.GET.get("reason", "")
    if reason in SupervisionItem.Reason.values:
        items = [item for item in items if item.reason == reason]
    return render(
        request,
        "liaison/supervision_suggested.html",
        {
            "page": PAGE,
            "items": items,
            "reason": reason,
            "reasons": SupervisionItem.Reason.choices[:-1],
            "today": today,
            "everything": everything,
        },
    )


def _subjects(values: dict[str, Any], agency: Agency) -> dict[str, Any]:
    """The records an item concerns, from their ids, within the agency's records."""
    found: dict[str, Any] = {}
    for name, model in (
        ("lawsuit", Lawsuit),
        ("appearance", Appearance),
        ("performance", Performance),
        ("recipient", Recipient),
    ):
        if pk := values.get(name):
            record = model.objects.filter(pk=pk).first()
            if record is None:
                raise Http404("督办所涉的记录不存在")
            found[name] = record
    return found


def _open(request: HttpRequest, values: dict[str, Any]) -> SupervisionItem:
    agency = values["agency"]
    return supervision_services.supervision_open(
        actor=request.user,
        agency=agency,
        reason=values["reason"],
        facts=values["facts"],
        required_action=values["required_action"],
        opened_on=values["opened_on"],
        period_amount=values["period_amount"],
        period_unit=values["period_unit"],
        **_subjects(values, agency),
    )


@permission_required("liaison.open_supervision", raise_exception=True)
def supervision_new(request: HttpRequest) -> HttpResponse:
    refuse(supervise_refusal(request.user))
    today = timezone.localdate()
    initial: dict[str, Any] = {
        "opened_on": today,
        "period_amount": 15,
        "period_unit": Unit.WORKING_DAYS.value,
    }
    for name in ("agency", "lawsuit", "appearance", "performance", "recipient"):
        value = request.GET.get(name, "")
        if value.isascii() and value.isdigit() and len(value) < 19:
            initial[name] = int(value)
    reason = request.GET.get("reason") or SupervisionItem.Reason.OTHER
    Form = liaison_forms.SupervisionForm
    if reason not in SupervisionItem.Reason.values or not Form.allows(
        reason, Form.record_in(initial)
    ):
        reason = SupervisionItem.Reason.OTHER
    initial["reason"] = reason
    initial["required_action"] = DEFAULT_ACTIONS[SupervisionItem.Reason(reason)]
    match = _matching_suggestion(initial, today)
    if match is not None:
        initial["facts"] = match.facts
    form = Form(data(request), initial=initial)
    intro = "办理期限由系统按工作日或自然日计算，遇节假日顺延。"
    if form.record is None:  # 其他 only
        intro += (
            "负责人未出庭应诉、败诉、未履行生效裁判和司法建议的督办，"
            "请从“应督办事项”或台账中的该条记录发起，以关联所涉记录。"
        )
    return form_page(
        request,
        form,
        lambda c: _open(request, c),
        lambda item: f"已发起督办{item.number}，办理期限至{cn_date(item.due_on)}。",
        title="发起督办",
        intro=intro,
        back=reverse("liaison:supervision_list"),
        goto=lambda item: item.get_absolute_url(),
        page=PAGE,
    )


def _matching_suggestion(initial: dict[str, Any], today: date) -> SuggestedItem | None:
    keys = ("lawsuit", "appearance", "performance", "recipient")
    if not any(initial.get(k) for k in keys):
        return None
    for item in suggested_supervision(today):
        if item.reason == initial["reason"] and all(
            getattr(item, f"{k}_id") == initial.get(k) for k in keys
        ):
            return item
    return None


@require_POST
@permission_required("liaison.open_supervision", raise_exception=True)
def supervision_quick(request: HttpRequest) -> HttpResponse:
    """One click on a suggestion: open the item with its facts, the usual requirement and
    fifteen working days."""
    refuse(supervise_refusal(request.user))
    today = timezone.localdate()
    wanted = {
        k: int(v)
        for k in ("lawsuit", "appearance", "performance", "recipient")
        if (v := request.POST.get(k, "")).isascii() and v.isdigit() and len(v) < 19
    }
    reason = request.POST.get("reason", "")
    match = next(
        (
            item
            for item in suggested_supervision(today)
            if item.reason == reason
            and all(getattr(item, f"{k}_id") == wanted.get(k) for k in wanted)
            and wanted
        ),
        None,
    )
    back = reverse("liaison:supervision_suggested")
    if match is None:
        messages.error(request, "该事项已经督办或已不需要督办，请刷新后查看。")
        return redirect(back)
    agency = get_object_or_404(Agency, pk=match.agency_id)
    try:
        item = supervision_services.supervision_open(
            actor=request.user,
            agency=agency,
            reason=match.reason,
            facts=match.facts,
            required_action=DEFAULT_ACTIONS[SupervisionItem.Reason(match.reason)],
            opened_on=today,
            period_amount=15,
            period_unit=Unit.WORKING_DAYS.value,
            **_subjects(wanted, agency),
        )
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, f"已发起督办{item.number}，办理期限至{cn_date(item.due_on)}。")
    return redirect(item.get_absolute_url())


@permission_required("liaison.view_supervisionitem", raise_exception=True)
def supervision_page(request: HttpRequest, pk: int) -> HttpResponse:
    item = supervision_detail(request.user, pk)
    user = request.user
    supervising = not supervise_refusal(user)
    return render(
        request,
        "liaison/supervision_detail.html",
        {
            "page": PAGE,
            "item": item,
            "today": timezone.localdate(),
            "can_respond": not respond_refusal(user, item) and allows(item, "respond"),
            "can_return": supervising and allows(item, "return"),
            "can_escalate": supervising and allows(item, "escalate"),
            "can_close": supervising and allows(item, "close"),
            "return_form": liaison_forms.NoteForm(),
        },
    )


def _item_for_action(request: HttpRequest, pk: int) -> SupervisionItem:
    return supervision_detail(request.user, pk)


@permission_required("liaison.respond_supervision", raise_exception=True)
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_action(request, pk)
    refuse(respond_refusal(request.user, item))
    if not allows(item, "respond"):
        messages.error(request, f"督办事项{item.get_status_display()}，不能再反馈。")
        return redirect(item.get_absolute_url())
    form = liaison_forms.RespondForm(
        data(request), files(request), initial={"version": item.version}
    )
    return form_page(
        request,
        form,
        lambda c: supervision_services.supervision_respond(
            item=item,
            actor=request.user,
            responded_on=c["responded_on"],
            response=c["response"],
            expected_version=c.get("version"),
            uploads=c["files"],
        ),
        lambda i: f"已反馈{i.number}的整改情况。",
        title=f"反馈整改情况 · {item.number}",
        intro=f"督办要求：{item.required_action}（办理期限至{cn_date(item.due_on)}）",
        back=item.get_absolute_url(),
        page=PAGE,
    )


@require_POST
@permission_required("liaison.open_supervision", raise_exception=True)
def supervision_return(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_action(request, pk)
    form = liaison_forms.NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请说明退回的理由和需要补充的内容。")
        return redirect(item.get_absolute_url())
    try:
        supervision_services.supervision_return(
            item=item, actor=request.user, note=form.cleaned_data["note"]
        )
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except (InvalidTransition, ServiceError) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已退回{item.number}，请机关补充反馈。")
    return redirect(item.get_absolute_url())


@permission_required("liaison.open_supervision", raise_exception=True)
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_action(request, pk)
    refuse(supervise_refusal(request.user))
    form = liaison_forms.EscalateForm(
        data(request), initial={"period_unit": Unit.WORKING_DAYS.value}
    )
    return form_page(
        request,
        form,
        lambda c: supervision_services.supervision_escalate(
            item=item,
            actor=request.user,
            note=c["note"],
            period_amount=c["period_amount"],
            period_unit=c["period_unit"],
            on=timezone.localdate(),
        ),
        lambda i: f"已提级督办{i.number}。",
        title=f"提级督办 · {item.number}",
        back=item.get_absolute_url(),
        page=PAGE,
    )


@permission_required("liaison.open_supervision", raise_exception=True)
def close(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_action(request, pk)
    refuse(supervise_refusal(request.user))
    form = liaison_forms.CloseForm(data(request), initial={"closed_on": timezone.localdate()})
    return form_page(
        request,
        form,
        lambda c: supervision_services.supervision_close(item=item, actor=request.user, **c),
        lambda i: f"已办结{i.number}：{i.get_result_display()}。",
        title=f"办结督办 · {item.number}",
        intro=f"机关反馈：{item.response}" if item.response else "机关尚未反馈。",
        back=item.get_absolute_url(),
        page=PAGE,
    )


# --- Circulars -----------------------------------------------------------------------------


@permission_required("liaison.view_circular", raise_exception=True)
def circulars(request: HttpRequest) -> HttpResponse:
    refuse(supervise_refusal(request.user))
    today = timezone.localdate()
    form = liaison_forms.CircularForm(
        data(request),
        initial={
            "period_start": today.replace(month=1, day=1),
            "period_end": today,
            "number": f"潜司通〔{today.year}〕号",
        },
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        if request.POST.get("action") == "issue":
            try:
                circular = supervision_services.circular_issue(
                    actor=request.user, today=today, **cleaned
                )
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from None
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"已制发通报{circular.number}。")
                return redirect(circular.get_absolute_url())
        else:
            preview = supervision_services.circular_data(
                cleaned["period_start"], cleaned["period_end"], today
            )
    return render(
        request,
        "liaison/circulars.html",
        {
            "page": PAGE,
            "form": form,
            "preview": preview,
            "issued": Circular.objects.select_related("issued_by")[:50],
        },
    )


def _circular(request: HttpRequest, pk: int) -> Circular:
    if supervise_refusal(request.user) or not request.user.has_perm("liaison.view_circular"):
        raise Http404("没有找到该通报")
    return get_object_or_404(Circular, pk=pk)


@permission_required("liaison.view_circular", raise_exception=True)
def circular_page(request: HttpRequest, pk: int) -> HttpResponse:
    circular = _circular(request, pk)
    return render(request, "liaison/circular_detail.html", {"page": PAGE, "circular": circular})


@permission_required("liaison.view_circular", raise_exception=True)
def circular_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The circular as A4 PDF or DOCX, printed from what was frozen when it was issued."""
    from documents.fonts import FontsUnusable
    from documents.rendering import PrinterMissing
    from documents.rendering import render as render_document

    circular = _circular(request, pk)
    if fmt not in ("pdf", "docx"):
        raise Http404("没有这种格式")
    try:
        rendered = render_document(
            "documents/supervision_circular.html",
            circular.title,
            {
                **circular.data,
                "bureau": settings.LIAISON_BUREAU_NAME,
                "number": circular.number,
                "title": circular.title,
                "remarks": circular.remarks,
                "issued_cn": cn_date(timezone.localtime(circular.issued_at).date()),
            },
        )
    except (PrinterMissing, FontsUnusable) as exc:
        messages.error(request, f"无法生成文件：{exc}")
        return redirect(circular.get_absolute_url())
    content = rendered.pdf if fmt == "pdf" else rendered.docx
    content_type = (
        "application/pdf"
        if fmt == "pdf"
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(circular.title)}.{fmt}"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Reconsideration volumes ----------------------------------------------------------------


@permission_required("liaison.view_reconsiderationvolume", raise_exception=True)
def reconsideration(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = query_year(request, "year", today.year)
    volumes = {v.quarter: v for v in ReconsiderationVolume.objects.filter(year=year)}
    counted = ("received", "accepted", "concluded", *ReconsiderationVolume.OUTCOME_FIELDS)
    rows = [
        (q, volumes.get(q), [getattr(volumes[q], n) for n in counted] if q in volumes else None)
        for q in (1, 2, 3, 4)
    ]
    totals = [sum(getattr(v, name) for v in volumes.values()) for name in counted]
    current_quarter = (today.month - 1) // 3 + 1
    return render(
        request,
        "liaison/reconsideration.html",
        {
            "page": "reconsideration",
            "year": year,
            "rows": rows,
            "totals": totals,
            "years": range(today.year, 2015, -1),
            "labels": [
                ReconsiderationVolume._meta.get_field(name).verbose_name for name in counted
            ],
            "open_quarters": {
                q for q in (1, 2, 3, 4) if (year, q) <= (today.year, current_quarter)
            },
            "can_edit": request.user.has_perm("liaison.change_reconsiderationvolume"),
        },
    )


@permission_required("liaison.change_reconsiderationvolume", raise_exception=True)
def reconsideration_edit(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    today = timezone.localdate()
    if not 2000 <= year <= today.year or not 1 <= quarter <= 4:
        raise Http404("没有这个季度")
    volume = ReconsiderationVolume.objects.filter(year=year, quarter=quarter).first()
    initial: dict[str, Any] = {"version": 0}
    if volume is not None:
        initial = {name: getattr(volume, name) for name in reconsideration_services.COUNT_FIELDS}
        initial.update(note=volume.note, version=volume.version)
    form = liaison_forms.VolumeForm(data(request), initial=initial)
    return form_page(
        request,
        form,
        lambda c: reconsideration_services.save_volume(
            actor=request.user,
            year=year,
            quarter=quarter,
            values=c,
            expected_version=c.get("version"),
        ),
        lambda v: f"已保存{v}的行政复议收结案数。",
        title=f"行政复议收结案数 · {year}年第{quarter}季度",
        intro="审结数应等于各类结果之和。",
        back=reverse("liaison:reconsideration") + f"?year={year}",
        page="reconsideration",
    )
