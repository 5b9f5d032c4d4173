"""Pages of the judicial suggestions register."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cases.deadline_engine import cn_date
from cases.services.common import ServiceError
from cases.views.common import form_error
from cases.workflow import NotPermitted
from liaison import forms as liaison_forms
from liaison.models import JudicialSuggestion
from liaison.permissions import check_refusal, issue_refusal, reply_refusal
from liaison.selectors import (
    hearings_without_head,
    recipient_for_update,
    suggestion_detail,
    suggestion_list,
)
from liaison.services import suggestions as suggestion_services
from liaison.views.common import data, files, form_page, refuse
from liaison.views.lawsuits import lawsuit_choices, scoped_agencies, scoped_courts
from liaison.workflow import allows

PAGE = "suggestions"
PAGE_SIZE = 25


@permission_required("liaison.view_judicialsuggestion", raise_exception=True)
def suggestion_list_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = liaison_forms.SuggestionFilterForm(
        request.GET or None,
        courts=scoped_courts(request.user),
        agencies=scoped_agencies(request.user),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(suggestion_list(request.user, filters, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "liaison/suggestion_list.html",
        {
            "page": PAGE,
            "form": form,
            "page_obj": page,
            "today": today,
            "can_add": not issue_refusal(request.user, None),
        },
    )


@permission_required("liaison.view_judicialsuggestion", raise_exception=True)
def suggestion_page(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = suggestion_detail(request.user, pk)
    today = timezone.localdate()
    user = request.user
    rows = [
        (
            r,
            r.is_overdue(today),
            not reply_refusal(user, r) and allows(r, "reply"),
            not check_refusal(user) and allows(r, "check"),
        )
        for r in suggestion.visible_recipients
    ]
    return render(
        request,
        "liaison/suggestion_detail.html",
        {
            "page": PAGE,
            "suggestion": suggestion,
            "rows": rows,
            "today": today,
            "can_edit": not issue_refusal(user, suggestion.court_id),
            "can_supervise": user.has_perm("liaison.open_supervision"),
        },
    )


def _suggestion_form_page(
    request: HttpRequest, suggestion: JudicialSuggestion | None
) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    initial: dict[str, Any] | None = None
    if suggestion is not None:
        recipients = list(suggestion.recipients.all())
        initial = {
            "number": suggestion.number,
            "number_confirmed": suggestion.number_confirmed,
            "court": suggestion.court_id,
            "kind": suggestion.kind,
            "subject": suggestion.subject,
            "content": suggestion.content,
            "issued_on": suggestion.issued_on,
            "recipients": [r.agency_id for r in recipients],
            "received_on": recipients[0].received_on if recipients else None,
            "reply_months": suggestion.reply_months,
            "case_numbers": "、".join(
                lawsuit.court_case_no for lawsuit in suggestion.lawsuits.all()
            ),
            "hearing": suggestion.hearing_id,
        }
    form = liaison_forms.SuggestionForm(
        data(request),
        initial=initial,
        courts=scoped_courts(user),
        hearings=hearings_without_head(user, today=today),
    )
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        lawsuits, missing = lawsuit_choices(user, form.case_keys())
        hearing = cleaned.get("hearing")
        if hearing is not None and hearing.lawsuit not in lawsuits:
            lawsuits.append(hearing.lawsuit)
        if missing:
            form.add_error("case_numbers", "台账中没有以下案号的案件：" + "、".join(missing))
        else:
            addressees = [
                suggestion_services.Addressee(agency, cleaned["received_on"])
                for agency in cleaned["recipients"]
            ]
            values = {
                name: cleaned.get(name)
                for name in ("number", *suggestion_services.SUGGESTION_FIELDS)
            }
            try:
                if suggestion is None:
                    saved = suggestion_services.suggestion_create(
                        actor=user,
                        data=values,
                        addressees=addressees,
                        lawsuits=lawsuits,
                        number_confirmed=cleaned["number_confirmed"],
                    )
                    messages.success(request, f"已登记司法建议{saved.number}。")
                else:
                    saved = suggestion_services.suggestion_update(
                        suggestion=suggestion,
                        actor=user,
                        data=values,
                        addressees=addressees,
                        lawsuits=lawsuits,
                        number_confirmed=cleaned["number_confirmed"],
                    )
                    messages.success(request, f"已保存司法建议{saved.number}的修改。")
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from None
            except ServiceError as exc:
                form_error(form, exc)
            else:
                return redirect(saved.get_absolute_url())
    back = suggestion.get_absolute_url() if suggestion else reverse("liaison:suggestions")
    return render(
        request,
        "liaison/form.html",
        {
            "page": PAGE,
            "form": form,
            "title": "登记司法建议"
            if suggestion is None
            else f"修改司法建议 · {suggestion.number}",
            "intro": "司法建议书的答复期限一般不超过两个月，自建议对象收到之日起算"
            "（《最高人民法院关于综合治理类司法建议工作若干问题的规定》第八条）。",
            "back": back,
        },
    )


@permission_required("liaison.issue_suggestion", raise_exception=True)
def suggestion_new(request: HttpRequest) -> HttpResponse:
    refuse(issue_refusal(request.user, None))
    return _suggestion_form_page(request, None)


@permission_required("liaison.issue_suggestion", raise_exception=True)
def suggestion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = suggestion_detail(request.user, pk)
    refuse(issue_refusal(request.user, suggestion.court_id))
    return _suggestion_form_page(request, suggestion)


@permission_required("liaison.reply_suggestion", raise_exception=True)
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    recipient = recipient_for_update(request.user, pk)
    refuse(reply_refusal(request.user, recipient))
    suggestion = recipient.suggestion
    back = suggestion.get_absolute_url()
    if not allows(recipient, "reply"):
        messages.error(request, "司法局已核查落实情况，答复不能再修改。")
        return redirect(back)
    initial: dict[str, Any] = {"version": recipient.version}
    if recipient.replied_on:
        initial.update(
            replied_on=recipient.replied_on,
            reply=recipient.reply,
            adoption=recipient.adoption,
            measures=recipient.measures,
        )
    form = liaison_forms.ReplyForm(data(request), files(request), initial=initial)
    return form_page(
        request,
        form,
        lambda c: suggestion_services.record_reply(
            recipient=recipient,
            actor=request.user,
            replied_on=c["replied_on"],
            reply=c["reply"],
            adoption=c["adoption"],
            measures=c["measures"],
            expected_version=c.get("version"),
            uploads=c["files"],
        ),
        lambda r: f"已登记{r.agency.name}对{suggestion.number}的答复。",
        title=f"答复司法建议 · {suggestion.number}",
        intro=f"{recipient.agency.name}于{cn_date(recipient.received_on)}收到，"
        f"答复期限至{cn_date(recipient.reply_due)}。{recipient.reply_due_explanation}",
        back=back,
        page=PAGE,
    )


@permission_required("liaison.check_suggestion", raise_exception=True)
def check(request: HttpRequest, pk: int) -> HttpResponse:
    recipient = recipient_for_update(request.user, pk)
    refuse(check_refusal(request.user))
    suggestion = recipient.suggestion
    form = liaison_forms.CheckForm(data(request))
    return form_page(
        request,
        form,
        lambda c: suggestion_services.record_check(recipient=recipient, actor=request.user, **c),
        lambda r: f"已登记{r.agency.name}的落实情况：{r.get_implementation_display()}。",
        title=f"核查落实情况 · {recipient.agency.name}",
        intro=f"答复内容：{recipient.reply}",
        back=suggestion.get_absolute_url(),
        page=PAGE,
    )
