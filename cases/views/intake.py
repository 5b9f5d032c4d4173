"""Registering a dispute, creating and recording court referrals."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID, uuid4

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.models import Office
from cases.deadline_engine import cn_date
from cases.forms.actions import PaperReferralCourtForm, ReferralForm
from cases.forms.records import ApplicantFormSet, CaseForm, ClaimFormSet, RespondentsForm
from cases.models import Attachment, Source
from cases.selectors import category_hints
from cases.services.common import AlreadySubmitted, ServiceError
from cases.services.intake import DuplicateSuspected, PossibleDuplicate, case_register
from cases.services.referral import referral_create, referral_record_paper
from cases.uploads import ALLOWED_DESCRIPTION, ALLOWED_EXTENSIONS, UploadRejected, inspect_upload
from cases.views.common import show_warnings


class OfficeChoiceForm(forms.Form):
    office = forms.ModelChoiceField(
        label="委派至工作室", queryset=Office.objects.filter(is_active=True), empty_label=None
    )


class ReferralFilesForm(forms.Form):
    """The referral letter and complaint as files, checked before anything is saved."""

    referral_letter = forms.FileField(
        label="委派调解函（扫描件）",
        required=False,
        help_text=f"可以上传：{ALLOWED_DESCRIPTION}。",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )
    complaint = forms.FileField(
        label="起诉状（扫描件）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )

    KINDS = {
        "referral_letter": Attachment.Kind.REFERRAL_LETTER,
        "complaint": Attachment.Kind.COMPLAINT,
    }

    def clean(self):
        cleaned = super().clean()
        for name in self.KINDS:
            upload = cleaned.get(name)
            if upload:
                try:
                    inspect_upload(upload)
                except UploadRejected as exc:
                    self.add_error(name, exc.message)
        return cleaned

    def uploads(self) -> list[tuple[str, object]]:
        return [
            (kind, self.cleaned_data[name])
            for name, kind in self.KINDS.items()
            if self.cleaned_data.get(name)
        ]


class SubmissionForm(forms.Form):
    """A one-time key made when the form is opened: submitting the same form twice (two
    tabs, a double click, a resent request) registers one case."""

    submission_token = forms.UUIDField(required=False, widget=forms.HiddenInput)


def filled_forms(formset: forms.BaseFormSet) -> list[forms.Form]:
    """The forms of a formset that hold data and were not marked for deletion."""
    return [
        f
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.has_changed()
    ]


@dataclass
class IntakeForms:
    """The forms of one intake page; they validate together and keep everything typed."""

    case: CaseForm
    applicants: forms.BaseFormSet
    claims: forms.BaseFormSet
    respondents: RespondentsForm
    submission: SubmissionForm
    extra: dict[str, forms.Form] = field(default_factory=dict)

    @classmethod
    def bind(cls, request: HttpRequest, *, sources, extra=None) -> IntakeForms:
        data = request.POST if request.method == "POST" else None
        files = request.FILES if request.method == "POST" else None
        respondents = RespondentsForm(data, prefix="resp")
        respondents.fields["respondents"].required = False
        return cls(
            case=CaseForm(data, sources=sources, prefix="case"),
            applicants=ApplicantFormSet(data, prefix="applicant"),
            claims=ClaimFormSet(data, prefix="claim"),
            respondents=respondents,
            submission=SubmissionForm(data, initial={"submission_token": uuid4()}),
            extra={
                name: form_class(data, files, prefix=name)
                for name, form_class in (extra or {}).items()
            },
        )

    def is_valid(self) -> bool:
        results = [
            self.case.is_valid(),
            self.applicants.is_valid(),
            self.claims.is_valid(),
            self.respondents.is_valid(),
            *(form.is_valid() for form in self.extra.values()),
        ]
        return all(results)

    @property
    def submission_token(self) -> UUID | None:
        """The form's one-time key; a tampered one counts as none (no protection, no harm)."""
        if self.submission.is_valid():
            return self.submission.cleaned_data["submission_token"]
        return None

    def service_kwargs(self) -> dict:
        respondents = list(self.respondents.cleaned_data.get("respondents") or [])
        if not respondents:
            respondents = [self.case.cleaned_data["agency"]]
        return {
            "case_data": self.case.cleaned_data,
            "applicants": [f.service_data() for f in filled_forms(self.applicants)],
            "respondents": respondents,
            "claims": [f.cleaned_data for f in filled_forms(self.claims)],
            "submission_token": self.submission_token,
        }

    def head_count_warning(self) -> list[str]:
        applicants = len(filled_forms(self.applicants))
        affected = self.case.cleaned_data.get("persons_affected") or 0
        if applicants > affected:
            return [f"登记了{applicants}名申请人，但“涉及人数”为{affected}，请核对。"]
        return []

    @property
    def has_errors(self) -> bool:
        forms_ = [self.case, self.applicants, self.claims, self.respondents, *self.extra.values()]
        return any(f.is_bound and not f.is_valid() for f in forms_) or bool(
            self.case.non_field_errors()
        )

    def show_service_error(self, exc: ServiceError) -> None:
        for form in (self.case, *self.extra.values()):
            if exc.field and exc.field in form.fields:
                form.add_error(exc.field, exc.message)
                return
        self.case.add_error(None, exc.message)


def already_submitted(request: HttpRequest, case) -> HttpResponse:
    """The second submission of one form: show the case the first one registered."""
    messages.info(
        request,
        f"这份表已经提交过，已登记为{case.display_number}，未重复登记。",
    )
    return redirect(case)


def _render_intake(request, template, forms_: IntakeForms, **context) -> HttpResponse:
    return render(
        request,
        template,
        {"forms": forms_, "category_hints": category_hints(), **context},
    )


@permission_required("cases.register_case", raise_exception=True)
def register(request: HttpRequest) -> HttpResponse:
    """Register a self-accepted or transferred dispute."""
    if not request.user.office_id:
        raise PermissionDenied
    intake = IntakeForms.bind(request, sources=(Source.SELF, Source.TRANSFERRED))
    duplicates: list[PossibleDuplicate] = []
    if request.method == "POST" and intake.is_valid():
        try:
            case = case_register(
                office=request.user.office,
                actor=request.user,
                confirm_not_duplicate=request.POST.get("confirm_not_duplicate") == "on",
                **intake.service_kwargs(),
            )
        except DuplicateSuspected as exc:
            duplicates = exc.duplicates
        except AlreadySubmitted as exc:
            return already_submitted(request, exc.case)
        except ServiceError as exc:
            intake.show_service_error(exc)
        else:
            messages.success(request, f"已登记，登记号{case.registration_no}。")
            show_warnings(request, [*intake.case.warnings, *intake.head_count_warning()])
            return redirect(case)
    return _render_intake(
        request,
        "cases/register.html",
        intake,
        page="register",
        duplicates=duplicates,
        title="登记新案件",
    )


@permission_required("cases.create_referral", raise_exception=True)
def referral_new(request: HttpRequest) -> HttpResponse:
    """A court liaison refers a dispute to an office."""
    if not request.user.court_id:
        raise PermissionDenied
    intake = IntakeForms.bind(
        request,
        sources=(Source.COURT_REFERRAL,),
        extra={"office": OfficeChoiceForm, "referral": ReferralForm, "files": ReferralFilesForm},
    )
    if request.method == "POST" and intake.is_valid():
        try:
            case = referral_create(
                actor=request.user,
                office=intake.extra["office"].cleaned_data["office"],
                referral_data=intake.extra["referral"].cleaned_data,
                materials=intake.extra["files"].uploads(),
                **intake.service_kwargs(),
            )
        except AlreadySubmitted as exc:
            return already_submitted(request, exc.case)
        except ServiceError as exc:
            intake.show_service_error(exc)
        else:
            messages.success(
                request,
                f"已委派至{case.office}，工作室应于{cn_date(case.referral.answer_due)}前签收或退回。",
            )
            return redirect(case)
    return _render_intake(
        request,
        "cases/referral_form.html",
        intake,
        page="referral_new",
        title="委派调解",
        paper=False,
    )


@permission_required("cases.record_referral", raise_exception=True)
def referral_record(request: HttpRequest) -> HttpResponse:
    """A clerk records a paper referral letter, to be confirmed by the court's liaison."""
    if not request.user.office_id:
        raise PermissionDenied
    intake = IntakeForms.bind(
        request,
        sources=(Source.COURT_REFERRAL,),
        extra={
            "court": PaperReferralCourtForm,
            "referral": ReferralForm,
            "files": ReferralFilesForm,
        },
    )
    if request.method == "POST" and intake.is_valid():
        try:
            case = referral_record_paper(
                actor=request.user,
                court=intake.extra["court"].cleaned_data["court"],
                referral_data=intake.extra["referral"].cleaned_data,
                materials=intake.extra["files"].uploads(),
                **intake.service_kwargs(),
            )
        except AlreadySubmitted as exc:
            return already_submitted(request, exc.case)
        except ServiceError as exc:
            intake.show_service_error(exc)
        else:
            messages.success(request, f"委派函已录入，待{case.court}法院联络员确认后即可签收。")
            return redirect(case)
    return _render_intake(
        request,
        "cases/referral_form.html",
        intake,
        page="referral_record",
        title="录入纸质委派函",
        paper=True,
        cancel_url=reverse("cases:list"),
    )
