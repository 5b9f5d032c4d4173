"""Forms of the agreement work. They validate input; the services apply the rules."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils import timezone

from accounts.models import Court
from agreements.models import (
    Agreement,
    ChecklistAnswer,
    ChecklistItem,
    ConfirmationMaterial,
    ConfirmationOutcome,
    ObligationKind,
    Signature,
)
from cases.forms.common import DateInput, PastDateField
from cases.forms.mediation import file_field
from cases.models import Agent, Case, Party


class AgreementForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Agreement
        fields = ["parties_info", "facts", "result", "other_terms", "confirmation_intended"]
        widgets = {
            "parties_info": forms.Textarea(attrs={"rows": 5}),
            "facts": forms.Textarea(attrs={"rows": 6}),
            "result": forms.Textarea(attrs={"rows": 6}),
            "other_terms": forms.Textarea(attrs={"rows": 3}),
        }


class ObligationForm(forms.Form):
    obligor = forms.ModelChoiceField(label="义务人", queryset=Party.objects.none())
    kind = forms.ChoiceField(label="义务类型", choices=[("", "请选择"), *ObligationKind.choices])
    description = forms.CharField(label="内容", max_length=1000)
    amount = forms.DecimalField(
        label="金额（元）",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={
            "invalid": "请输入金额数字，如 23000 或 23000.50。",
            "min_value": "金额不能为负数。",
            "max_digits": "金额最多12位整数、2位小数。",
            "max_decimal_places": "金额最多保留2位小数（到分）。",
            "max_whole_digits": "金额最多12位整数。",
        },
    )
    due_date = forms.DateField(label="履行期限", widget=DateInput)
    method = forms.CharField(label="履行方式", max_length=300)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obligor"].queryset = case.parties.all()

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("kind") == ObligationKind.PAYMENT
            and "amount" not in self.errors
            and not cleaned.get("amount")
        ):
            self.add_error("amount", "支付款项的，请填写大于0的金额。")
        due = cleaned.get("due_date")
        if due and due < timezone.localdate():
            self.add_error("due_date", "履行期限不能早于今天。")
        return cleaned


class BaseObligationFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": "至少需要列明一项义务。",
        "too_many_forms": "义务最多%(num)d项。",
    }

    def __init__(self, *args, case: Case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"case": self.case}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            case=self.case,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form


ObligationFormSet = formset_factory(
    ObligationForm,
    formset=BaseObligationFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=50,
    validate_max=True,
    can_delete=True,
    can_delete_extra=True,
)


class ChecklistForm(forms.Form):
    """One answer, note and override reason per item of DOMAIN.md §2.5."""

    def __init__(self, *args, answers: dict[str, ChecklistAnswer], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = []
        for item in ChecklistItem:
            existing = answers.get(item.value)
            self.fields[f"answer_{item.value}"] = forms.ChoiceField(
                label=item.label,
                choices=ChecklistAnswer.Answer.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                initial=existing.answer if existing else None,
            )
            self.fields[f"note_{item.value}"] = forms.CharField(
                label="说明",
                max_length=500,
                required=False,
                initial=existing.note if existing else "",
            )
            self.fields[f"override_{item.value}"] = forms.CharField(
                label="仍予签署的理由",
                max_length=500,
                required=False,
                initial=existing.override_reason if existing else "",
            )
            self.items.append(
                (
                    item,
                    self[f"answer_{item.value}"],
                    self[f"note_{item.value}"],
                    self[f"override_{item.value}"],
                )
            )

    def clean(self):
        cleaned = super().clean()
        for item in ChecklistItem:
            answer = cleaned.get(f"answer_{item.value}")
            if answer == ChecklistAnswer.Answer.FAIL and not cleaned.get(f"override_{item.value}"):
                self.add_error(f"override_{item.value}", "审查不符合而仍予签署的，必须记录理由。")
        return cleaned

    def answers(self) -> dict[str, tuple[str, str, str]]:
        d = self.cleaned_data
        return {
            item.value: (
                d[f"answer_{item.value}"],
                d[f"note_{item.value}"],
                d[f"override_{item.value}"],
            )
            for item in ChecklistItem
        }


class SignatureForm(forms.Form):
    signer_name = forms.CharField(
        label="签字人",
        max_length=50,
        required=False,
        help_text="由代理人签署的，自动填写代理人姓名。",
    )
    capacity = forms.ChoiceField(label="签字人身份", choices=Signature.Capacity.choices)
    agent = forms.ModelChoiceField(
        label="代理人",
        queryset=Agent.objects.none(),
        required=False,
        help_text="只有特别授权代理人可以代为签署。",
    )
    # Not "method": a field of that name would shadow form.method in the browser.
    signing_method = forms.ChoiceField(label="方式", choices=Signature.Method.choices)
    signed_on = PastDateField(label="签字日期")

    def __init__(self, *args, party: Party, **kwargs):
        super().__init__(*args, **kwargs)
        from agreements.services.agreement import CAPACITIES_BY_KIND

        allowed = CAPACITIES_BY_KIND[Party.Kind(party.kind)]
        self.fields["capacity"].choices = [c for c in Signature.Capacity.choices if c[0] in allowed]
        # The party's own capacity comes first; an agent signing is the exception.
        self.fields["capacity"].initial = next(
            c for c in allowed if c != Signature.Capacity.SPECIAL_AGENT
        )
        self.fields["agent"].queryset = party.agents.all()
        self.fields["signed_on"].initial = timezone.localdate()
        if party.is_natural_person:
            self.fields["signer_name"].initial = party.name
        elif party.is_organisation:
            self.fields["signer_name"].initial = party.legal_representative
        elif party.agency_id:
            self.fields["signer_name"].initial = party.agency.principal_name
            self.fields["signing_method"].initial = Signature.Method.SEAL


class DateForm(forms.Form):
    on = PastDateField(label="日期")

    def __init__(self, *args, label: str = "日期", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = label
        self.fields["on"].initial = timezone.localdate()


class CourtFilingForm(forms.Form):
    filed_on = PastDateField(label="备案日期")
    note = forms.CharField(label="备案情况", max_length=300, required=False)


class NewVersionForm(forms.Form):
    reason = forms.CharField(
        label="修订原因",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="原版本保留备查；新版本须重新审查并由各方重新签署。",
    )


class ConfirmationForm(forms.Form):
    court = forms.ModelChoiceField(label="受理法院", queryset=Court.objects.filter(is_active=True))
    applicants = forms.ModelMultipleChoiceField(
        label="共同申请的当事人",
        queryset=Party.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="须由双方当事人共同申请。",
    )
    applied_on = PastDateField(label="申请日期")
    materials = forms.MultipleChoiceField(
        label="提交的材料",
        choices=ConfirmationMaterial.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第三百五十四条。",
    )
    accept_late = forms.BooleanField(label="已知超过申请期限，仍记录申请", required=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicants"].queryset = case.parties.filter(
            role__in=[Party.Role.APPLICANT, Party.Role.RESPONDENT, Party.Role.THIRD_PARTY]
        )
        self.fields["applied_on"].initial = timezone.localdate()
        if case.court_id:
            # A referral is confirmed by the referring court by default.
            self.fields["court"].initial = case.court_id


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="结果", choices=[("", "请选择"), *ConfirmationOutcome.choices]
    )
    court_case_no = forms.CharField(
        label="法院案号", max_length=60, help_text="如（2026）鄂9005民特3号。"
    )
    filed_on = PastDateField(label="立案日期", required=False)
    decided_on = PastDateField(label="裁定或文书日期")
    served_on = PastDateField(
        label="送达当事人日期", required=False, help_text="当事人异议期限自收到之日起算。"
    )
    note = forms.CharField(label="说明", max_length=500, required=False)
    accept_unusual_number = forms.BooleanField(
        label="案号格式已核对",
        required=False,
        help_text="结果保存后不能修改；案号与常见格式不同的，须核对后勾选。",
    )


class PerformanceForm(forms.Form):
    performed_on = PastDateField(label="履行日期")
    proof_note = forms.CharField(
        label="履行凭证", max_length=300, required=False, help_text="如转账凭证号、撤销决定的文号。"
    )
    file = file_field("凭证文件", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["performed_on"].initial = timezone.localdate()


class NonperformanceForm(forms.Form):
    handled_on = PastDateField(label="处理日期")
    note = forms.CharField(
        label="处理情况",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="如：已告知申请人申请强制执行；已告知可以就协议履行提起诉讼。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handled_on"].initial = timezone.localdate()
