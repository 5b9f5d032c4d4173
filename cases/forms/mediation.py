"""Forms of the mediation work. They validate input; the services apply the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from cases.forms.common import PastDateField
from cases.models import (
    Agent,
    Assignment,
    Case,
    Mediator,
    Session,
    Suspension,
    TerminationReason,
)
from cases.plausibility import session_time_problem
from cases.services.mediation.sessions import session_period
from cases.uploads import ALLOWED_DESCRIPTION, ALLOWED_EXTENSIONS


def file_field(label: str, *, required: bool = True, help_text: str = "") -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        help_text=help_text or f"可以上传：{ALLOWED_DESCRIPTION}。",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class MediatorChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, category=None, **kwargs):
        self.category = category
        super().__init__(*args, **kwargs)

    def label_from_instance(self, mediator: Mediator) -> str:
        label = str(mediator)
        if mediator.specialities:
            label += f"（{mediator.specialities}）"
        if self.category is not None and self.category in mediator.categories.all():
            label += " · 擅长本类争议"
        return label


class AssignForm(forms.Form):
    mediators = MediatorChoiceField(
        label="调解员",
        queryset=Mediator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="一般指派一名；重大、复杂的案件可以指派两名以上，其中一名主持调解。",
    )
    presiding = forms.ModelChoiceField(
        label="主持调解员",
        queryset=Mediator.objects.none(),
        required=False,
        help_text="只指派一名的，可以不选。",
    )
    parties_joint_choice = forms.BooleanField(label="当事人在名册中共同选定", required=False)
    choice_note = forms.CharField(label="选定情况", max_length=300, required=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        roster = (
            Mediator.objects.filter(office=case.office, status=Mediator.Status.ACTIVE)
            .select_related("user")
            .prefetch_related("categories")
            .order_by("user__name")
        )
        self.fields["mediators"].queryset = roster
        self.fields["mediators"].category = case.category
        self.fields["presiding"].queryset = roster

    def clean(self):
        cleaned = super().clean()
        chosen = list(cleaned.get("mediators") or [])
        presiding = cleaned.get("presiding")
        if len(chosen) == 1 and presiding is None:
            cleaned["presiding"] = chosen[0]
        elif len(chosen) > 1 and presiding is None:
            self.add_error("presiding", "指派两名以上调解员的，请确定一名主持调解员。")
        elif presiding is not None and chosen and presiding not in chosen:
            self.add_error("presiding", "主持调解员必须是所选调解员之一。")
        return cleaned


class DeclareForm(forms.Form):
    no_conflict = forms.TypedChoiceField(
        label="回避情况",
        choices=[
            ("true", "本人与当事人及其代理人不存在近亲属或利害关系等需要回避的情形"),
            ("false", "存在需要回避的情形"),
        ],
        coerce=lambda v: v == "true",
        widget=forms.RadioSelect,
        help_text="《最高人民法院关于人民法院特邀调解的规定》第十五条。",
    )
    note = forms.CharField(
        label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class WaiverForm(forms.Form):
    note = forms.CharField(
        label="当事人同意情况",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="双方当事人知悉回避事由后书面同意由该调解员继续调解。",
    )
    file = file_field("当事人书面同意（扫描件）")


class SessionForm(forms.ModelForm):
    scheduled_at = forms.DateTimeField(label="时间", widget=DateTimeInput)
    # Hidden until a time after the mediation period or more than a year ahead asks for it.
    confirm_far_ahead = forms.BooleanField(
        label="确认时间无误", required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Session
        fields = ["scheduled_at", "place", "mode"]

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["place"].initial = "工作室调解室"

    def clean(self):
        cleaned = super().clean()
        scheduled_at = cleaned.get("scheduled_at")
        problem = scheduled_at and (
            session_time_problem(scheduled_at, **session_period(self.case))
            if self.case is not None
            else session_time_problem(scheduled_at)
        )
        if problem:
            message, can_confirm = problem
            if can_confirm:
                self.fields["confirm_far_ahead"].widget = forms.CheckboxInput()
            if not (can_confirm and cleaned.get("confirm_far_ahead")):
                self.add_error("scheduled_at", message)
        return cleaned


class SessionRecordForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    parties = forms.ModelMultipleChoiceField(
        label="到场当事人", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    agents = forms.ModelMultipleChoiceField(
        label="到场代理人", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    mediators = forms.ModelMultipleChoiceField(
        label="参加的调解员", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    agency_attendee = forms.CharField(
        label="行政机关出席人员", max_length=100, required=False, help_text="姓名及职务。"
    )
    agency_principal_attended = forms.NullBooleanField(
        label="行政机关主要负责人亲自出席",
        required=False,
        widget=forms.NullBooleanSelect,
    )
    invited_persons = forms.CharField(label="特邀人员", max_length=300, required=False)
    transcript = forms.CharField(
        label="调解笔录",
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="记录时间、地点、参加人员和各方陈述；打印后由参加人员签字，签字件扫描上传。",
    )
    outcome = forms.ChoiceField(
        label="结果", choices=[("", "请选择"), *Session.Outcome.choices], required=False
    )
    outcome_note = forms.CharField(label="结果说明", max_length=500, required=False)

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        case = session.case
        self.fields["parties"].queryset = case.parties.all()
        self.fields["agents"].queryset = Agent.objects.filter(party__case=case).select_related(
            "party"
        )
        self.fields["mediators"].queryset = Mediator.objects.filter(
            assignments__case=case, assignments__status=Assignment.Status.EFFECTIVE
        ).select_related("user")
        self.fields["agency_principal_attended"].widget.choices = [
            ("unknown", "未记录"),
            ("true", "是"),
            ("false", "否"),
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("transcript", "").strip() and not cleaned.get("outcome"):
            self.add_error("outcome", "记录笔录的，请选择本次调解的结果。")
        return cleaned


class UploadForm(forms.Form):
    file = file_field("文件")


class CancelSessionForm(forms.Form):
    reason = forms.CharField(label="取消原因", max_length=300)


class UndisputedFactsForm(forms.Form):
    text = forms.CharField(
        label="无争议事实",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="调解不成时，双方当事人均认可的事实，由当事人签字确认。",
    )
    signed_on = PastDateField(label="签字日期", required=False)
    file = file_field("签字确认书（扫描件）", required=False)


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=365)
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    consenting_parties = forms.ModelMultipleChoiceField(
        label="同意延长的当事人",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="须经全体当事人同意（《特邀调解规定》第二十七条）。",
    )
    consent_form = file_field("延长调解期限同意书（各方签字扫描件）")

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consenting_parties"].queryset = case.parties.all()


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("yes", "批准"), ("no", "不批准")], coerce=lambda v: v == "yes"
    )
    note = forms.CharField(label="审批意见", max_length=500, required=False)


class CourtToldForm(forms.Form):
    told_on = PastDateField(label="告知日期")
    how = forms.CharField(
        label="告知方式", max_length=200, help_text="如：电话告知承办法官、送达书面函。"
    )


class SuspendForm(forms.Form):
    reason = forms.ChoiceField(
        label="中止原因", choices=[("", "请选择"), *Suspension.Reason.choices]
    )
    note = forms.CharField(label="说明", max_length=500, required=False)
    started_on = PastDateField(label="中止日期", help_text="自该日起暂停计算调解期限。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started_on"].initial = timezone.localdate()


class ResumeForm(forms.Form):
    resumed_on = PastDateField(label="恢复日期", help_text="自该日起继续计算调解期限。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resumed_on"].initial = timezone.localdate()


class AgreementReachedForm(forms.Form):
    note = forms.CharField(
        label="说明",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="达成一致的主要内容；调解协议在下一步起草。",
    )


class TerminationForm(forms.Form):
    reason = forms.ChoiceField(
        label="终止原因", choices=[("", "请选择"), *TerminationReason.choices]
    )
    note = forms.CharField(
        label="具体情况",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="写明调解经过和终止的理由；委派案件将据此向法院报送终止调解情况报告。",
    )


class WithdrawForm(forms.Form):
    withdrawn_on = PastDateField(label="撤回日期")
    note = forms.CharField(
        label="撤回情况",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="写明撤回方式（书面申请、笔录签字）和理由。",
    )
    file = file_field("撤回申请书（扫描件）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate()


class TransferForm(forms.Form):
    filed_case_no = forms.CharField(
        label="立案案号", max_length=60, help_text="如（2026）鄂9005行初12号。"
    )
    number_confirmed = forms.BooleanField(
        label="案号格式已核对",
        required=False,
        help_text="案号与人民法院案号的通常格式不符但核对无误的，勾选后保存。",
    )
    filed_on = PastDateField(label="立案日期")


class CloseForm(forms.Form):
    note = forms.CharField(
        label="结案说明", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RemediateForm(forms.Form):
    note = forms.CharField(
        label="重新调解的原因",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：协议草案未获签署、司法确认申请被驳回。原协议保留备查，重新达成一致后起草新版本。",
    )


class ArchiveForm(forms.Form):
    archive_no = forms.CharField(
        label="档案号", max_length=60, help_text="按本工作室档案编号规则填写。"
    )
