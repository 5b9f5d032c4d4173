"""Small forms for the workflow actions: what each decision has to record."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

from accounts.models import Court
from cases.forms.common import DateInput, PastDateField, lines
from cases.models import Art60Basis, DeclineReason, Referral
from cases.models.case import ReferralReturnReason

SUPPLEMENT_DEFAULT_DAYS = 15


class SupplementForm(forms.Form):
    items = forms.CharField(
        label="需要补正的材料或事项",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        help_text="每行一项，一次列全（一次性告知）；本案只能通知补正一次。",
    )
    due = forms.DateField(label="补正期限", widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due"].initial = timezone.localdate() + timedelta(days=SUPPLEMENT_DEFAULT_DAYS)

    def clean_items(self) -> list[str]:
        items = lines(self.cleaned_data["items"])
        if not items:
            raise forms.ValidationError("请逐项列明需要补正的材料或事项。")
        return items


class NoteForm(forms.Form):
    note = forms.CharField(
        label="说明", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AcceptForm(NoteForm):
    accepted_on = PastDateField(label="受理日期")

    field_order = ["accepted_on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accepted_on"].initial = timezone.localdate()


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label="不予受理理由", choices=[("", "请选择"), *DeclineReason.choices]
    )
    guidance = forms.CharField(
        label="救济途径指引",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="告知申请人可以申请行政复议、提起行政诉讼或通过其他途径解决，并说明期限。",
    )
    note = forms.CharField(
        label="具体说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SignForForm(forms.Form):
    signed_on = PastDateField(label="签收日期", help_text="调解期限自签收之次日起算。")
    art60_basis = forms.ChoiceField(
        label="可调解依据",
        required=False,
        choices=[("", "请选择（类别属可调解范围的可不选）"), *Art60Basis.choices],
    )
    art60_note = forms.CharField(label="可调解依据说明", required=False, max_length=500)
    reconsideration_first_notified = forms.BooleanField(
        label="已告知复议前置", required=False, help_text="属复议前置事项的，已告知申请人。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = timezone.localdate()


class ReturnReferralForm(forms.Form):
    reason = forms.ChoiceField(
        label="退回理由", choices=[("", "请选择"), *ReferralReturnReason.choices]
    )
    note = forms.CharField(
        label="书面说明",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="将随退回函送交法院。",
    )


class RejectReferralForm(forms.Form):
    reason = forms.CharField(
        label="不予确认的理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="例如：本院未作出该委派、委派函编号有误。",
    )


class ReferralForm(forms.ModelForm):
    """The referral letter's particulars, entered by the court or from a paper letter."""

    letter_date = PastDateField(label="委派日期")
    complaint_received_date = PastDateField(
        label="法院收到起诉状日期", help_text="是否以此日确定起诉日期尚无明确规定，先行记录。"
    )

    class Meta:
        model = Referral
        fields = [
            "letter_no",
            "letter_date",
            "court_prefiling_no",
            "complaint_received_date",
            "parties_consent",
            "consent_note",
            "materials",
        ]
        widgets = {"materials": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        letter, complaint = cleaned.get("letter_date"), cleaned.get("complaint_received_date")
        if letter and complaint and complaint > letter:
            self.add_error("complaint_received_date", "法院收到起诉状的日期不能晚于委派日期。")
        if not cleaned.get("parties_consent"):
            self.add_error(
                "parties_consent",
                "委派调解须经当事人同意（《特邀调解规定》第十一条），请确认当事人已同意。",
            )
        return cleaned


class PaperReferralCourtForm(forms.Form):
    court = forms.ModelChoiceField(
        label="委派法院",
        queryset=Court.objects.filter(is_active=True),
        help_text="录入后须由该院法院联络员在系统中确认，工作室才能签收。",
    )
