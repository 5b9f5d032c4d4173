"""Pages of the agreement stage: the agreement, its checklist and signatures, confirmation,
the court's queue and the office's performance list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from agreements.forms import (
    AgreementForm,
    ChecklistForm,
    ConfirmationForm,
    CourtFilingForm,
    DateForm,
    NewVersionForm,
    NonperformanceForm,
    ObligationFormSet,
    OutcomeForm,
    PerformanceForm,
    SignatureForm,
)
from agreements.models import Agreement
from agreements.panels import render_panels
from agreements.permissions import signature_recording_refusal
from agreements.selectors import (
    agreement_for_page,
    agreement_for_update,
    agreement_page_context,
    confirmation_for_court,
    confirmation_queue,
    obligation_in_scope,
    performance_list,
    performance_rows,
)
from agreements.services import agreement as agreement_services
from agreements.services import confirmation as confirmation_services
from agreements.services import performance as performance_services
from cases.models import Party
from cases.selectors import case_for_update
from cases.services.common import ServiceError, StaleEdit
from cases.views.common import (
    COUNTED_PAGES,
    CountedPaginator,
    badge_text,
    form_error,
    total_text,
)
from cases.workflow import InvalidTransition, NotPermitted, conducting


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest):
    return request.FILES if request.method == "POST" else None


def _ensure_recording(request: HttpRequest, agreement: Agreement) -> None:
    """A mediator records signatures of their own cases only (clerk and head of any)."""
    if refusal := signature_recording_refusal(request.user, agreement.case):
        raise PermissionDenied(refusal)


def _ensure_conducting(request: HttpRequest, agreement: Agreement) -> None:
    """Pages only the case's own mediators (or the head) may submit are not shown to others."""
    if not conducting(request.user, agreement.case):
        raise PermissionDenied("只有本案的调解员或工作室负责人可以办理。")


def _form_page(
    request: HttpRequest,
    agreement: Agreement,
    form: forms.Form,
    perform: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
    *,
    title: str,
    intro: str = "",
    back: str | None = None,
    goto: Callable[[Any], str] | None = None,
) -> HttpResponse:
    """A form for one step of the agreement work; on a valid POST run the service.

    After success the user returns to ``back`` (default: the agreement), or to
    ``goto(result)`` when the step leads somewhere new.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(form.cleaned_data)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except InvalidTransition as exc:
            messages.error(request, exc.message)
            return redirect(back or agreement.get_absolute_url())
        except ServiceError as exc:
            form_error(form, exc)
        else:
            messages.success(request, done(result))
            return redirect(goto(result) if goto else back or agreement.get_absolute_url())
    return render(
        request,
        "agreements/form.html",
        {
            "page": "cases",
            "case": agreement.case,
            "agreement": agreement,
            "title": title,
            "intro": intro,
            "form": form,
            "back": back or agreement.get_absolute_url(),
        },
    )


@permission_required("cases.view_case", raise_exception=True)
def agreement_page(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    """One version: content, obligations, checklist, signatures, confirmation and performance."""
    agreement = agreement_for_page(request.user, pk, agreement_pk)
    context = agreement_page_context(request.user, agreement)
    return render(
        request,
        "agreements/detail.html",
        {"page": "cases", **context, "panels": render_panels(request, agreement)},
    )


@require_POST
@permission_required("agreements.draft_agreement", raise_exception=True)
def agreement_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_update(request.user, pk)
    try:
        agreement = agreement_services.draft_agreement(case=case, actor=request.user)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(case)
    messages.success(request, f"已起草调解协议第{agreement.version}版，请填写内容和义务。")
    return redirect("agreements:edit", pk=case.pk, agreement_pk=agreement.pk)


@permission_required("agreements.draft_agreement", raise_exception=True)
def agreement_edit(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    agreement = agreement_for_update(request.user, pk, agreement_pk)
    _ensure_conducting(request, agreement)
    case = agreement.case
    if request.method == "POST":
        form = AgreementForm(request.POST, instance=Agreement.objects.get(pk=agreement.pk))
        formset = ObligationFormSet(request.POST, prefix="ob", case=case)
        if form.is_valid() and formset.is_valid():
            obligations = [
                f.cleaned_data
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                agreement_services.update_agreement(
                    agreement=agreement,
                    actor=request.user,
                    data=form.cleaned_data,
                    obligations=obligations,
                    expected_version=form.cleaned_data["version"],
                )
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from None
            except StaleEdit as exc:
                form.add_error(None, exc.message)
                agreement.refresh_from_db()
                form.data = form.data.copy()
                form.data["version"] = str(agreement.edit_version)
            except ServiceError as exc:
                if exc.field == "obligations":
                    formset._non_form_errors = formset.error_class([exc.message])
                else:
                    form_error(form, exc)
            else:
                messages.success(request, "调解协议已保存。修改后须重新进行合法性审查。")
                return redirect(agreement)
    else:
        form = AgreementForm(instance=agreement, initial={"version": agreement.edit_version})
        formset = ObligationFormSet(
            prefix="ob",
            case=case,
            initial=[
                {
                    "obligor": o.obligor_id,
                    "kind": o.kind,
                    "description": o.description,
                    "amount": o.amount,
                    "due_date": o.due_date,
                    "method": o.method,
                }
                for o in agreement.obligations.all()
            ],
        )
    return render(
        request,
        "agreements/edit.html",
        {"page": "cases", "case": case, "agreement": agreement, "form": form, "formset": formset},
    )


@permission_required("agreements.draft_agreement", raise_exception=True)
def checklist(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    agreement = agreement_for_update(request.user, pk, agreement_pk)
    _ensure_conducting(request, agreement)
    form = ChecklistForm(_data(request), answers={a.item: a for a in agreement.checklist.all()})
    if request.method == "POST" and form.is_valid():
        try:
            agreement_services.answer_checklist(
                agreement=agreement, actor=request.user, answers=form.answers()
            )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except ServiceError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "合法性审查已记录。")
            return redirect(agreement)
    return render(
        request,
        "agreements/checklist.html",
        {"page": "cases", "case": agreement.case, "agreement": agreement, "form": form},
    )


@permission_required("agreements.record_signature", raise_exception=True)
def signature_new(request: HttpRequest, pk: int, agreement_pk: int, party_pk: int) -> HttpResponse:
    agreement = agreement_for_update(request.user, pk, agreement_pk)
    _ensure_recording(request, agreement)
    party = get_object_or_404(Party.objects.select_related("agency"), pk=party_pk, case_id=pk)
    return _form_page(
        request,
        agreement,
        SignatureForm(_data(request), party=party),
        lambda d: agreement_services.record_signature(
            agreement=agreement,
            actor=request.user,
            party=party,
            signer_name=d["signer_name"],
            capacity=d["capacity"],
            agent=d["agent"],
            method=d["signing_method"],
            signed_on=d["signed_on"],
        ),
        lambda s: (
            f"已记录{party.name}签署。"
            + ("协议已生效。" if s.agreement.status == Agreement.Status.EFFECTIVE else "")
        ),
        title=f"记录{party.get_role_display()}{party.name}签署",
        intro="当事人本人、法定代表人（负责人）或特别授权代理人签署；一般授权代理人不能代为签署。",
    )


@permission_required("agreements.record_signature", raise_exception=True)
def mediator_sign(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    agreement = agreement_for_update(request.user, pk, agreement_pk)
    _ensure_conducting(request, agreement)
    return _form_page(
        request,
        agreement,
        DateForm(_data(request), label="调解员签字日期"),
        lambda d: agreement_services.record_mediator_signature(
            agreement=agreement, actor=request.user, signed_on=d["on"]
        ),
        lambda a: (
            "已记录调解员签字。"
            + ("协议已生效。" if a.status == Agreement.Status.EFFECTIVE else "")
        ),
        title="调解员签字",
        intro=f"由调解员{request.user.get_full_name()}本人在协议上签字。",
    )


@permission_required("agreements.record_signature", raise_exception=True)
def office_seal(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    agreement = agreement_for_update(request.user, pk, agreement_pk)
    _ensure_recording(request, agreement)
    return _form_page(
        request,
        agreement,
        DateForm(_data(request), label="盖章日期"),
        lambda d: agreement_services.record_office_seal(
            agreement=agreement, actor=request.user, sealed_on=d["on"]
        ),
        lambda a: (
            "已记录加盖工作室印章。"
            + ("协议已生效。" if a.status == Agreement.Status.EFFECTIVE else "")
        ),
        title="加盖工作室印章",
    )


@permission_required("agreements.record_signature", raise_exception=True)
def court_filing(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    agreement = agreement_for_update(request.user, pk, agreement_pk)
    _ensure_recording(request, agreement)
    return _form_page(
        request,
        agreement,
        CourtFilingForm(_data(request)),
        lambda d: agreement_services.record_court_filing(
            agreement=agreement, actor=request.user, filed_on=d["filed_on"], note=d["note"]
        ),
        lambda a: "已记录向委派法院备案。",
        title="报委派法院备案",
        intro="委派调解达成协议的，应当将协议送达双方当事人并向委派法院备案（《特邀调解规定》第十九条）。",
    )


@permission_required("agreements.draft_agreement", raise_exception=True)
def revise(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    agreement = agreement_for_update(request.user, pk, agreement_pk)
    _ensure_conducting(request, agreement)
    return _form_page(
        request,
        agreement,
        NewVersionForm(_data(request)),
        lambda d: agreement_services.new_version(
            agreement=agreement, actor=request.user, reason=d["reason"]
        ),
        lambda revised: f"已修订为第{revised.version}版；原版本保留备查。请修改后重新审查和签署。",
        title=f"修订第{agreement.version}版协议",
        goto=lambda revised: reverse(
            "agreements:edit", kwargs={"pk": revised.case_id, "agreement_pk": revised.pk}
        ),
    )


@permission_required("agreements.apply_confirmation", raise_exception=True)
def confirmation_new(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    agreement = agreement_for_update(request.user, pk, agreement_pk)
    form = ConfirmationForm(_data(request), case=agreement.case)
    window = confirmation_services.application_window(agreement)
    intro = (
        "司法确认须由双方当事人自调解协议生效之日起三十日内共同申请（《民事诉讼法》第二百零五条）。"
    )
    if window is not None:
        intro += f"本协议的申请期限：{window.explanation}"
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            confirmation_services.apply_for_confirmation(
                agreement=agreement,
                actor=request.user,
                court=d["court"],
                applicants=list(d["applicants"]),
                applied_on=d["applied_on"],
                materials=d["materials"],
                accept_late=d["accept_late"],
            )
        except confirmation_services.LateApplication as exc:
            form.add_error("accept_late", exc.message)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except ServiceError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"已记录向{d['court']}申请司法确认。")
            return redirect(agreement)
    return render(
        request,
        "agreements/form.html",
        {
            "page": "cases",
            "case": agreement.case,
            "agreement": agreement,
            "title": "申请司法确认",
            "intro": intro,
            "form": form,
            "back": agreement.get_absolute_url(),
        },
    )


def _perform_back(request: HttpRequest, obligation) -> str | None:
    """Back to where the user came from: the performance list, the case, or the agreement."""
    return {
        "performance": reverse("agreements:performance"),
        "case": obligation.agreement.case.get_absolute_url(),
    }.get(request.GET.get("next", ""))


@permission_required("agreements.record_performance", raise_exception=True)
def obligation_perform(request: HttpRequest, pk: int, obligation_pk: int) -> HttpResponse:
    obligation = obligation_in_scope(request.user, pk, obligation_pk)
    return _form_page(
        request,
        obligation.agreement,
        PerformanceForm(_data(request), _files(request)),
        lambda d: performance_services.record_performance(
            obligation=obligation,
            actor=request.user,
            performed_on=d["performed_on"],
            proof_note=d["proof_note"],
            upload=d["file"],
        ),
        lambda o: f"已记录第{o.number}项义务履行。",
        title=f"记录第{obligation.number}项义务履行",
        intro=f"{obligation.obligor.name}：{obligation.description}（履行期限{obligation.due_date:%Y-%m-%d}）",
        back=_perform_back(request, obligation),
    )


@permission_required("agreements.handle_nonperformance", raise_exception=True)
def nonperformance(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    agreement = agreement_for_update(request.user, pk, agreement_pk)
    state = performance_services.performance_state(agreement, timezone.localdate())
    return _form_page(
        request,
        agreement,
        NonperformanceForm(_data(request)),
        lambda d: performance_services.handle_nonperformance(
            agreement=agreement, actor=request.user, handled_on=d["handled_on"], note=d["note"]
        ),
        lambda a: "已记录不履行的处理情况。",
        title="处理协议不履行",
        intro=state.advice if state else "",
    )


# --- The court's confirmation queue --------------------------------------------------------


@permission_required("agreements.record_confirmation_outcome", raise_exception=True)
def confirmations(request: HttpRequest) -> HttpResponse:
    if not request.user.court_id:
        raise PermissionDenied
    pending_only = request.GET.get("show", "pending") == "pending"
    page = CountedPaginator(
        confirmation_queue(request.user, pending_only=pending_only), 25
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "agreements/confirmations.html",
        {"page": "confirmations", "page_obj": page, "pending_only": pending_only},
    )


@permission_required("agreements.record_confirmation_outcome", raise_exception=True)
def confirmation_outcome(request: HttpRequest, confirmation_pk: int) -> HttpResponse:
    confirmation = confirmation_for_court(request.user, confirmation_pk)
    if confirmation.outcome:
        messages.info(
            request,
            f"该申请的结果已经记录：{confirmation.get_outcome_display()}，"
            f"案号{confirmation.court_case_no}。记录有误的，请联系工作室更正。",
        )
        return redirect(f"{reverse('agreements:confirmations')}?show=all")
    form = OutcomeForm(_data(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            _, warnings = confirmation_services.record_outcome(
                confirmation=confirmation,
                actor=request.user,
                outcome=d["outcome"],
                court_case_no=d["court_case_no"],
                filed_on=d["filed_on"],
                decided_on=d["decided_on"],
                served_on=d["served_on"],
                note=d["note"],
                accept_unusual_number=d["accept_unusual_number"],
            )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except InvalidTransition as exc:
            messages.error(request, exc.message)
            return redirect("agreements:confirmations")
        except ServiceError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "已记录司法确认结果。")
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("agreements:confirmations")
    return render(
        request,
        "agreements/outcome.html",
        {
            "page": "confirmations",
            "confirmation": confirmation,
            "agreement": confirmation.agreement,
            "case": confirmation.agreement.case,
            "form": form,
        },
    )


# --- The office's performance list ------------------------------------------------------------


# The performance list: fifty obligations to a page; its badges count up to 1000.
PERFORMANCE_PAGE_SIZE = 50
PERFORMANCE_COUNTED = 1000


@permission_required("agreements.view_obligation", raise_exception=True)
def performance(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    show_all = request.GET.get("show") == "all"
    obligations = performance_list(request.user, today=today, horizon_days=None if show_all else 7)
    # One read of the ids and due dates as far as the pages go, for the page, its count and
    # both badges, instead of a pass over the office's agreements for each of them.
    listed = list(
        obligations.values_list("pk", "due_date")[: PERFORMANCE_PAGE_SIZE * COUNTED_PAGES + 1]
    )
    page = CountedPaginator(listed, PERFORMANCE_PAGE_SIZE, pages=COUNTED_PAGES).get_page(
        request.GET.get("page")
    )
    rows = performance_rows([pk for pk, _ in page.object_list])
    # The overdue come first (earliest due first): all of them were read unless they fill
    # what was read; the rest were all read unless the read stopped short.
    overdue = sum(1 for _, due in listed if due < today)
    due = len(listed) - overdue
    overdue_total = badge_text(overdue, PERFORMANCE_COUNTED)
    if not page.paginator.bounded or due > PERFORMANCE_COUNTED:
        due_total = badge_text(due, PERFORMANCE_COUNTED)
    else:
        due_total = total_text(obligations.filter(due_date__gte=today), PERFORMANCE_COUNTED)
    return render(
        request,
        "agreements/performance.html",
        {
            "page": "performance",
            "page_obj": page,
            "today": today,
            "show_all": show_all,
            "overdue": [o for o in rows if o.due_date < today],
            "this_week": [o for o in rows if o.due_date >= today],
            "overdue_total": overdue_total,
            "due_total": due_total,
        },
    )
