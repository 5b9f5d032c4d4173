"""Pages of the litigation register: the list, a lawsuit and every action on it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Court
from cases.deadline_engine import cn_date
from cases.deadlines import load_work_calendar
from cases.identifiers import number_key
from cases.models import Agency
from cases.permissions import can_see_case
from cases.services.common import ServiceError
from cases.views.common import CountedPaginator, form_error
from cases.workflow import InvalidTransition, NotPermitted
from liaison import forms as liaison_forms
from liaison.deadlines import lawsuit_deadlines
from liaison.models import SUED_PARTS, Lawsuit, LossAnalysis
from liaison.permissions import (
    ALL,
    COURT,
    agency_facts_refusal,
    court_facts_refusal,
    lawsuits_visible_to,
    own_agency_id,
    scope_of,
)
from liaison.selectors import (
    appearance_for_update,
    defendant_for_update,
    hearing_for_update,
    lawsuit_detail,
    lawsuit_for_update,
    lawsuit_list,
    performance_for_update,
)
from liaison.services import hearings as hearing_services
from liaison.services import judgments as judgment_services
from liaison.services import lawsuits as lawsuit_services
from liaison.views.common import data, files, form_page, refuse
from liaison.workflow import LAWSUIT_STEPS, allows

PAGE_SIZE = 25
PAGE = "lawsuits"


def scoped_courts(user) -> Any:
    """The courts a user picks from: their own, or all for the bureau."""
    scope = scope_of(user)
    if scope is not None and scope.kind == COURT:
        return Court.objects.filter(pk=scope.value)
    return Court.objects.all()


def scoped_agencies(user) -> Any:
    agency_id = own_agency_id(user)
    if agency_id is not None:
        return Agency.objects.filter(pk=agency_id)
    return Agency.objects.all()


@permission_required("liaison.view_lawsuit", raise_exception=True)
def lawsuit_list_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = liaison_forms.LawsuitFilterForm(
        request.GET or None,
        courts=scoped_courts(request.user),
        agencies=scoped_agencies(request.user),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    page = CountedPaginator(lawsuit_list(request.user, filters, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "liaison/lawsuit_list.html",
        {
            "page": PAGE,
            "form": form,
            "page_obj": page,
            "today": today,
            "can_add": not court_facts_refusal(request.user, None, None)
            and request.user.has_perm("liaison.add_lawsuit"),
            "can_import": request.user.has_perm("liaison.import_lawsuits"),
        },
    )


@permission_required("liaison.view_lawsuit", raise_exception=True)
def lawsuit_page(request: HttpRequest, pk: int) -> HttpResponse:
    lawsuit = lawsuit_detail(request.user, pk)
    today = timezone.localdate()
    user = request.user
    agency_id = own_agency_id(user)
    defendants = list(lawsuit.defendants.all())
    deadlines = [
        (d, d.state(today), d.days_left(today))
        for d in lawsuit_deadlines(lawsuit, load_work_calendar())
        if agency_id is None or d.agency_id in (None, agency_id)
    ]
    analyses = {a.agency_id: a for a in lawsuit.loss_analyses.all()}
    court_facts = not court_facts_refusal(user, lawsuit)
    own = {d.agency_id for d in defendants if not agency_facts_refusal(user, lawsuit, d.agency_id)}
    loss_rows = []
    if lawsuit.is_lost:
        loss_rows = [
            (d, analyses.get(d.agency_id), d.agency_id in own) for d in defendants if d.is_sued
        ]
    return render(
        request,
        "liaison/lawsuit_detail.html",
        {
            "page": PAGE,
            "lawsuit": lawsuit,
            "today": today,
            "defendants": defendants,
            "deadlines": deadlines,
            "court_facts": court_facts,
            "own_agencies": own,
            "loss_rows": loss_rows,
            "can_add_performance": bool(own) or court_facts,
            "is_effective": lawsuit.status == Lawsuit.Status.EFFECTIVE,
            "show_case_link": lawsuit.mediation_case is not None
            and can_see_case(user, lawsuit.mediation_case),
            "is_bureau": (scope := scope_of(user)) is not None and scope.kind == ALL,
            "can_supervise": user.has_perm("liaison.open_supervision"),
            "steps": {action: allows(lawsuit, action) for action in LAWSUIT_STEPS},
        },
    )


def _resolve_numbers(form, user) -> dict[str, Any] | None:
    """Turn the typed lower-instance and mediation case numbers into records (or errors)."""
    cleaned = form.cleaned_data
    result: dict[str, Any] = {"lower_instance": None, "mediation_case": None}
    if lower := (cleaned.get("lower_case_no") or "").strip():
        found = Lawsuit.objects.filter(number_key=number_key(lower)).first()
        if found is None:
            form.add_error("lower_case_no", f"台账中没有案号为“{lower}”的案件，请先登记原审案件。")
            return None
        result["lower_instance"] = found
    try:
        result["mediation_case"] = lawsuit_services.mediation_case_by_number(
            cleaned.get("mediation_case_no") or ""
        )
    except ServiceError as exc:
        form.add_error("mediation_case_no", exc.message)
        return None
    return result


def _lawsuit_form_page(request: HttpRequest, lawsuit: Lawsuit | None) -> HttpResponse:
    user = request.user
    courts = scoped_courts(user)
    initial = liaison_forms.LawsuitForm.initial_for(lawsuit) if lawsuit else None
    form = liaison_forms.LawsuitForm(data(request), initial=initial, courts=courts)
    plaintiffs = liaison_forms.PlaintiffFormSet(
        data(request),
        prefix="pl",
        initial=[liaison_forms.PlaintiffForm.initial_for(p) for p in lawsuit.plaintiffs.all()]
        if lawsuit
        else None,
    )
    if request.method == "POST" and form.is_valid() and plaintiffs.is_valid():
        resolved = _resolve_numbers(form, user)
        if resolved is not None:
            cleaned = form.cleaned_data
            values = {
                name: cleaned[name] for name in lawsuit_services.LAWSUIT_FIELDS if name in cleaned
            }
            values.update(resolved)
            parties = [lawsuit_services.PartyRow(a, part) for a, part in form.parties()]
            rows = liaison_forms.plaintiff_rows(plaintiffs)
            try:
                if lawsuit is None:
                    saved = lawsuit_services.lawsuit_create(
                        actor=user,
                        data=values,
                        defendants=parties,
                        plaintiffs=rows,
                        number_confirmed=cleaned["number_confirmed"],
                    )
                    messages.success(request, f"已登记{saved.court_case_no}。")
                else:
                    saved = lawsuit_services.lawsuit_update(
                        lawsuit=lawsuit,
                        actor=user,
                        data=values,
                        defendants=parties,
                        plaintiffs=rows,
                        expected_version=cleaned.get("version"),
                        number_confirmed=cleaned["number_confirmed"],
                    )
                    messages.success(request, f"已保存{saved.court_case_no}的修改。")
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from None
            except ServiceError as exc:
                form_error(form, exc)
            else:
                return redirect(saved.get_absolute_url())
    return render(
        request,
        "liaison/lawsuit_form.html",
        {
            "page": PAGE,
            "form": form,
            "plaintiffs": plaintiffs,
            "lawsuit": lawsuit,
            "back": lawsuit.get_absolute_url() if lawsuit else reverse("liaison:lawsuits"),
        },
    )


@permission_required("liaison.add_lawsuit", raise_exception=True)
def lawsuit_new(request: HttpRequest) -> HttpResponse:
    refuse(court_facts_refusal(request.user, None, None))
    return _lawsuit_form_page(request, None)


@permission_required("liaison.change_lawsuit", raise_exception=True)
def lawsuit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lawsuit = lawsuit_for_update(request.user, pk)
    refuse(court_facts_refusal(request.user, lawsuit))
    return _lawsuit_form_page(request, lawsuit)


@permission_required("liaison.record_agency_facts", raise_exception=True)
def defence(request: HttpRequest, pk: int, agency_pk: int) -> HttpResponse:
    lawsuit = lawsuit_for_update(request.user, pk)
    defendant = defendant_for_update(request.user, lawsuit, agency_pk)
    refuse(agency_facts_refusal(request.user, lawsuit, agency_pk))
    if not defendant.is_sued:
        refuse("第三人无需登记答辩情况。")
    form = liaison_forms.DefenceForm(
        data(request),
        initial={
            "complaint_received_on": defendant.complaint_received_on,
            "defence_submitted_on": defendant.defence_submitted_on,
        },
    )
    return form_page(
        request,
        form,
        lambda c: lawsuit_services.record_defence(defendant=defendant, actor=request.user, **c),
        lambda d: f"已登记{d.agency.name}的答辩情况。",
        title=f"答辩情况 · {defendant.agency.name}",
        intro="被告应当在收到起诉状副本之日起十五日内向人民法院提交作出行政行为的证据和所依据的规范性文件，"
        "并提出答辩状（《行政诉讼法》第六十七条）；逾期提交的，视为没有相应证据（第三十四条）。",
        back=lawsuit.get_absolute_url(),
        page=PAGE,
        record=lawsuit,
    )


@permission_required("liaison.record_court_facts", raise_exception=True)
def hearing_new(request: HttpRequest, pk: int) -> HttpResponse:
    lawsuit = lawsuit_for_update(request.user, pk)
    refuse(court_facts_refusal(request.user, lawsuit))
    form = liaison_forms.HearingForm(data(request), initial={"open_court": True})
    return form_page(
        request,
        form,
        lambda c: hearing_services.hearing_create(lawsuit=lawsuit, actor=request.user, data=c),
        lambda h: f"已登记{cn_date(h.held_on)}的开庭。",
        title=f"登记开庭 · {lawsuit.court_case_no}",
        intro="登记后，被诉机关的应诉联络员登记负责人出庭情况。",
        back=lawsuit.get_absolute_url(),
        page=PAGE,
        record=lawsuit,
    )


@permission_required("liaison.record_court_facts", raise_exception=True)
def hearing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = hearing_for_update(request.user, pk)
    lawsuit = hearing.lawsuit
    refuse(court_facts_refusal(request.user, lawsuit))
    form = liaison_forms.HearingForm(
        data(request),
        initial={
            "held_on": hearing.held_on,
            "open_court": hearing.open_court,
            "head_notified": hearing.head_notified,
            "head_notice_on": hearing.head_notice_on,
            "note": hearing.note,
        },
    )
    return form_page(
        request,
        form,
        lambda c: hearing_services.hearing_update(hearing=hearing, actor=request.user, data=c),
        lambda h: f"已保存{cn_date(h.held_on)}开庭的修改。",
        title=f"修改开庭信息 · {lawsuit.court_case_no}",
        back=lawsuit.get_absolute_url(),
        page=PAGE,
        record=lawsuit,
    )


@permission_required("liaison.record_agency_facts", raise_exception=True)
def appearance(request: HttpRequest, pk: int) -> HttpResponse:
    record = appearance_for_update(request.user, pk)
    lawsuit = record.hearing.lawsuit
    refuse(agency_facts_refusal(request.user, lawsuit, record.agency_id))
    initial: dict[str, Any] = {"version": record.version}
    if record.recorded:
        initial.update(
            {
                name: getattr(record, name)
                for name in hearing_services.APPEARANCE_FIELDS
                if name not in ("head_appeared", "head_spoke")
            }
        )
        initial["head_appeared"] = "true" if record.head_appeared else "false"
        if record.head_spoke is not None:
            initial["head_spoke"] = "true" if record.head_spoke else "false"
    form = liaison_forms.AppearanceForm(data(request), initial=initial)
    return form_page(
        request,
        form,
        lambda c: hearing_services.record_appearance(
            appearance=record, actor=request.user, data=c, expected_version=c.get("version")
        ),
        lambda a: f"已登记{a.agency.name}的出庭应诉情况。",
        title=f"出庭应诉情况 · {record.agency.name}",
        intro=f"{lawsuit.court_case_no}，{cn_date(record.hearing.held_on)}"
        f"{'开庭审理' if record.hearing.open_court else '（非开庭）'}。"
        "行政机关负责人包括正职、副职负责人和其他参与分管的负责人；"
        "下级或所属机构、受委托组织的负责人出庭的，不视为行政机关负责人出庭（法释〔2020〕3号第二条）。",
        back=lawsuit.get_absolute_url(),
        page=PAGE,
        record=lawsuit,
        template="liaison/appearance_form.html",
    )


@permission_required("liaison.record_court_facts", raise_exception=True)
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    lawsuit = lawsuit_for_update(request.user, pk)
    refuse(court_facts_refusal(request.user, lawsuit))
    form = liaison_forms.OutcomeForm(
        data(request),
        initial={
            "result_type": lawsuit.result_type_id,
            "concluded_on": lawsuit.concluded_on,
            "served_on": lawsuit.served_on,
            "outcome_note": lawsuit.outcome_note,
            "version": lawsuit.version,
        },
    )
    return form_page(
        request,
        form,
        lambda c: lawsuit_services.record_outcome(
            lawsuit=lawsuit,
            actor=request.user,
            result_type=c["result_type"],
            concluded_on=c["concluded_on"],
            served_on=c["served_on"],
            outcome_note=c["outcome_note"],
            expected_version=c.get("version"),
        ),
        lambda s: (
            f"已登记裁判结果：{s.result_type.label}"
            + ("（计为行政机关败诉，请被告机关填报败诉分析）。" if s.is_lost else "。")
        ),
        title=f"裁判结果 · {lawsuit.court_case_no}",
        intro="是否计为败诉、审结，以系统管理中“裁判结果类型”的设置为准。",
        back=lawsuit.get_absolute_url(),
        page=PAGE,
        record=lawsuit,
    )


@require_POST
@permission_required("liaison.record_court_facts", raise_exception=True)
def outcome_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    lawsuit = lawsuit_for_update(request.user, pk)
    form = liaison_forms.NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请说明撤销裁判登记的原因。")
        return redirect(lawsuit.get_absolute_url())
    try:
        lawsuit_services.withdraw_outcome(
            lawsuit=lawsuit, actor=request.user, note=form.cleaned_data["note"]
        )
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except (InvalidTransition, ServiceError) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已撤销裁判登记，案件恢复为审理中。")
    return redirect(lawsuit.get_absolute_url())


@permission_required("liaison.record_court_facts", raise_exception=True)
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    lawsuit = lawsuit_for_update(request.user, pk)
    refuse(court_facts_refusal(request.user, lawsuit))
    form = liaison_forms.AppealForm(data(request))
    return form_page(
        request,
        form,
        lambda c: lawsuit_services.record_appeal(lawsuit=lawsuit, actor=request.user, **c),
        lambda s: "已登记上诉。二审立案后请登记二审案件并填写原审案号。",
        title=f"登记上诉 · {lawsuit.court_case_no}",
        back=lawsuit.get_absolute_url(),
        page=PAGE,
        record=lawsuit,
    )


@permission_required("liaison.record_court_facts", raise_exception=True)
def effective(request: HttpRequest, pk: int) -> HttpResponse:
    lawsuit = lawsuit_for_update(request.user, pk)
    refuse(court_facts_refusal(request.user, lawsuit))
    form = liaison_forms.EffectiveForm(data(request))
    last_day = lawsuit_services.appeal_period_end(lawsuit)
    return form_page(
        request,
        form,
        lambda c: lawsuit_services.record_effective(lawsuit=lawsuit, actor=request.user, **c),
        lambda s: (
            f"已登记裁判于{cn_date(s.effective_on)}生效。"
            + ("需要机关履行的，请登记履行事项。" if s.is_lost else "")
        ),
        title=f"裁判生效 · {lawsuit.court_case_no}",
        intro="一审判决、裁定在上诉期限届满无人上诉时生效；二审裁判、调解书送达即生效。"
        + (f"本案上诉期限至{cn_date(last_day)}届满。" if last_day else ""),
        back=lawsuit.get_absolute_url(),
        page=PAGE,
        record=lawsuit,
    )


@permission_required("liaison.record_agency_facts", raise_exception=True)
def loss_analysis(request: HttpRequest, pk: int, agency_pk: int) -> HttpResponse:
    lawsuit = lawsuit_for_update(request.user, pk)
    defendant = defendant_for_update(request.user, lawsuit, agency_pk)
    refuse(agency_facts_refusal(request.user, lawsuit, agency_pk))
    if not lawsuit.is_lost:
        messages.error(request, judgment_services.NOT_LOST)
        return redirect(lawsuit.get_absolute_url())
    existing = LossAnalysis.objects.filter(lawsuit=lawsuit, agency_id=agency_pk).first()
    initial: dict[str, Any] = {"version": 0}
    if existing is not None:
        initial = {
            "causes": list(existing.causes.values_list("pk", flat=True)),
            "analysis": existing.analysis,
            "measures": existing.measures,
            "measures_due": existing.measures_due,
            "rectified_on": existing.rectified_on,
            "version": existing.version,
        }
    form = liaison_forms.LossAnalysisForm(data(request), files(request), initial=initial)
    return form_page(
        request,
        form,
        lambda c: judgment_services.save_loss_analysis(
            lawsuit=lawsuit,
            agency=defendant.agency,
            actor=request.user,
            causes=list(c["causes"]),
            analysis=c["analysis"],
            measures=c["measures"],
            measures_due=c["measures_due"],
            rectified_on=c["rectified_on"],
            expected_version=c.get("version"),
            uploads=c["files"],
        ),
        lambda a: f"已保存{defendant.agency.name}的败诉分析。",
        title=f"败诉分析 · {defendant.agency.name}",
        intro="应诉一件、规范一片：分析败诉原因，提出整改措施和完成期限。",
        back=lawsuit.get_absolute_url(),
        page=PAGE,
        record=lawsuit,
    )


@permission_required("liaison.view_lawsuit", raise_exception=True)
def performance_new(request: HttpRequest, pk: int) -> HttpResponse:
    lawsuit = lawsuit_for_update(request.user, pk)
    user = request.user
    sued = [d for d in lawsuit.defendants.all() if d.part in SUED_PARTS]
    allowed = [
        d.agency_id
        for d in sued
        if not agency_facts_refusal(user, lawsuit, d.agency_id)
        or not court_facts_refusal(user, lawsuit)
    ]
    if not allowed:
        refuse("只有本案被告机关的应诉联络员、审理法院和司法局联络员可以登记履行事项。")
    form = liaison_forms.PerformanceForm(
        data(request),
        # An agency's contact records their own agency's duties: it is chosen for them.
        initial={"agency": allowed[0]} if len(allowed) == 1 else None,
        agencies=Agency.objects.filter(pk__in=allowed),
    )
    return form_page(
        request,
        form,
        lambda c: judgment_services.performance_create(lawsuit=lawsuit, actor=user, **c),
        lambda p: f"已登记履行事项，履行期限至{cn_date(p.due_on)}。",
        title=f"登记履行事项 · {lawsuit.court_case_no}",
        intro="生效的判决、裁定、调解书要求行政机关履行的，逐项登记（《行政诉讼法》第九十四条）。",
        back=lawsuit.get_absolute_url(),
        page=PAGE,
        record=lawsuit,
    )


@permission_required("liaison.record_agency_facts", raise_exception=True)
def performed(request: HttpRequest, pk: int) -> HttpResponse:
    performance = performance_for_update(request.user, pk)
    lawsuit = performance.lawsuit
    refuse(agency_facts_refusal(request.user, lawsuit, performance.agency_id))
    if not allows(performance, "perform"):
        messages.error(request, "该履行事项已登记履行完毕。")
        return redirect(lawsuit.get_absolute_url())
    form = liaison_forms.PerformedForm(
        data(request), files(request), initial={"version": performance.version}
    )
    return form_page(
        request,
        form,
        lambda c: judgment_services.record_performed(
            performance=performance,
            actor=request.user,
            performed_on=c["performed_on"],
            evidence=c["evidence"],
            expected_version=c.get("version"),
            uploads=c["files"],
        ),
        lambda p: "已登记履行完毕。",
        title=f"登记履行完毕 · {performance.duty}",
        back=lawsuit.get_absolute_url(),
        page=PAGE,
        record=lawsuit,
    )


@permission_required("liaison.record_court_facts", raise_exception=True)
def enforcement(request: HttpRequest, pk: int) -> HttpResponse:
    performance = performance_for_update(request.user, pk)
    lawsuit = performance.lawsuit
    refuse(court_facts_refusal(request.user, lawsuit))
    form = liaison_forms.EnforcementForm(data(request))
    return form_page(
        request,
        form,
        lambda c: judgment_services.record_enforcement(
            performance=performance, actor=request.user, **c
        ),
        lambda p: "已登记申请强制执行。",
        title=f"登记申请强制执行 · {performance.duty}",
        back=lawsuit.get_absolute_url(),
        page=PAGE,
        record=lawsuit,
    )


def lawsuit_choices(user, keys: list[str]) -> tuple[list[Lawsuit], list[str]]:
    """The visible lawsuits with these number keys, and the keys not found."""
    found = list(lawsuits_visible_to(user).filter(number_key__in=keys))
    known = {lawsuit.number_key for lawsuit in found}
    return found, [key for key in keys if key not in known]
