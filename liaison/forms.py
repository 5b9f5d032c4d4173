"""Forms of the registers. They validate and normalise input; the services apply the rules."""

from __future__ import annotations

import contextlib
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone

from accounts.models import Court
from cases.deadline_engine import Unit
from cases.forms.common import DateInput, FilterChoiceField, PastDateField, SearchField
from cases.identifiers import IdentifierError, number_key, parse_citizen_id, parse_uscc
from cases.models import Agency, DisputeCategory
from cases.uploads import ALLOWED_DESCRIPTION, ALLOWED_EXTENSIONS
from cases.validators import UsccField
from liaison.models import (
    AbsenceReason,
    HeadRank,
    Instance,
    JudicialSuggestion,
    Lawsuit,
    LossCause,
    Part,
    Performance,
    PlaintiffKind,
    Recipient,
    ResultType,
    SupervisionItem,
)
from liaison.models.supervision import SUPERVISED_RECORD
from liaison.selectors import Todo

YES_NO = [("", "全部"), ("yes", "是"), ("no", "否")]
BOOLEAN_CHOICES = [("", "请选择"), ("true", "是"), ("false", "否")]


def _boolean(value: Any) -> bool | None:
    return {"true": True, "false": False, True: True, False: False}.get(value)


class YesNoField(forms.TypedChoiceField):
    """是/否 as radio buttons; required means one of them must be chosen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(choices=BOOLEAN_CHOICES[1:], coerce=_boolean, empty_value=None, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (cases.uploads)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)})
        )
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", f"可以选择多个文件：{ALLOWED_DESCRIPTION}。")
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class VersionField(forms.IntegerField):
    """The record's version when the user opened the form, to detect concurrent edits."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, min_value=0, required=False, **kwargs)


class AgencyChoices(forms.ModelMultipleChoiceField):
    def __init__(self, label: str, *, required: bool = False, help_text: str = ""):
        super().__init__(
            queryset=Agency.objects.filter(is_active=True),
            label=label,
            required=required,
            help_text=help_text,
            widget=forms.SelectMultiple(attrs={"size": 6}),
        )

    def label_from_instance(self, agency: Agency) -> str:
        return agency.name


def _filter_year() -> forms.TypedChoiceField:
    this_year = timezone.localdate().year
    return forms.TypedChoiceField(
        label="年度",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "全部"), *[(y, f"{y}年") for y in range(this_year, 2015, -1)]],
    )


# --- Lawsuits ------------------------------------------------------------------------------


class LawsuitFilterForm(forms.Form):
    q = SearchField(placeholder="案号、原告、机关")
    year = _filter_year()
    court = FilterChoiceField(
        label="法院", required=False, queryset=Court.objects.all(), empty_label="全部"
    )
    agency = FilterChoiceField(
        label="机关", required=False, queryset=Agency.objects.all(), empty_label="全部"
    )
    instance = forms.ChoiceField(
        label="审级", required=False, choices=[("", "全部"), *Instance.choices]
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *Lawsuit.Status.choices]
    )
    result = FilterChoiceField(
        label="裁判结果",
        required=False,
        queryset=ResultType.objects.all(),
        empty_label="全部",
        label_field="label",
    )
    lost = forms.ChoiceField(label="败诉", required=False, choices=YES_NO)
    head = forms.ChoiceField(
        label="负责人出庭",
        required=False,
        choices=[
            ("", "全部"),
            ("yes", "有负责人出庭"),
            ("no", "负责人未出庭"),
            ("unrecorded", "待登记"),
        ],
    )
    performance = forms.ChoiceField(
        label="履行", required=False, choices=[("", "全部"), *Performance.Status.choices]
    )
    overdue = forms.ChoiceField(
        label="逾期",
        required=False,
        choices=[("", "全部"), ("yes", "答辩或履行逾期")],
    )
    todo = forms.ChoiceField(label="待办", required=False, choices=[("", "全部"), *Todo.choices])

    def __init__(self, *args, courts=None, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if courts is not None:
            self.fields["court"].queryset = courts
        if agencies is not None:
            self.fields["agency"].queryset = agencies


class LawsuitForm(forms.Form):
    """The court's facts of a lawsuit and its parties."""

    court_case_no = forms.CharField(
        label="案号",
        max_length=60,
        help_text="人民法院案号，如（2025）鄂9005行初12号；半角括号会自动改为全角。",
    )
    number_confirmed = forms.BooleanField(
        label="案号格式已核对",
        required=False,
        help_text="案号与通常格式不符，或年度与立案日期的年份不同，核对无误的，勾选后保存。",
    )
    instance = forms.ChoiceField(label="审级", choices=Instance.choices)
    lower_case_no = forms.CharField(
        label="原审案号",
        max_length=60,
        required=False,
        help_text="二审、再审案件的原审案号；原审案件须已登记在台账中。",
    )
    court = forms.ModelChoiceField(label="审理法院", queryset=Court.objects.filter(is_active=True))
    category = forms.ModelChoiceField(
        label="争议类别", queryset=DisputeCategory.objects.filter(is_active=True)
    )
    act_in_dispute = forms.CharField(
        label="被诉行政行为", max_length=300, help_text="如 市人社局作出的不予认定工伤决定。"
    )
    act_document_no = forms.CharField(label="行政行为文号", max_length=60, required=False)
    filed_on = PastDateField(label="立案日期")
    mediation_case_no = forms.CharField(
        label="工作室调解案号",
        max_length=60,
        required=False,
        help_text="起诉前经本工作室调解的，填写工作室案号，如（2025）潜行调字第12号。",
    )
    defendants = AgencyChoices("被告", required=True, help_text="按住 Ctrl 可以多选。")
    co_defendants = AgencyChoices("共同被告（复议机关）", help_text="复议维持案件中的复议机关。")
    third_parties = AgencyChoices("第三人（行政机关）")
    version = VersionField()

    def __init__(self, *args, courts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if courts is not None:
            self.fields["court"].queryset = courts
            if len(courts) == 1:
                self.fields["court"].initial = courts[0].pk

    def clean(self):
        cleaned = super().clean()
        chosen: dict[int, str] = {}
        for name in ("defendants", "co_defendants", "third_parties"):
            for agency in cleaned.get(name) or []:
                if agency.pk in chosen:
                    self.add_error(
                        name, f"{agency.name}已列为{chosen[agency.pk]}，同一机关只能列入一次。"
                    )
                chosen[agency.pk] = str(self.fields[name].label)
        return cleaned

    def parties(self) -> list[tuple[Agency, str]]:
        rows = []
        for name, part in (
            ("defendants", Part.DEFENDANT),
            ("co_defendants", Part.CO_DEFENDANT),
            ("third_parties", Part.THIRD_PARTY),
        ):
            rows += [(agency, part) for agency in self.cleaned_data.get(name) or []]
        return rows

    @staticmethod
    def initial_for(lawsuit: Lawsuit) -> dict[str, Any]:
        defendants = list(lawsuit.defendants.all())
        return {
            "court_case_no": lawsuit.court_case_no,
            "number_confirmed": lawsuit.number_confirmed,
            "instance": lawsuit.instance,
            "lower_case_no": lawsuit.lower_instance.court_case_no if lawsuit.lower_instance else "",
            "court": lawsuit.court_id,
            "category": lawsuit.category_id,
            "act_in_dispute": lawsuit.act_in_dispute,
            "act_document_no": lawsuit.act_document_no,
            "filed_on": lawsuit.filed_on,
            "mediation_case_no": lawsuit.mediation_case.case_no if lawsuit.mediation_case else "",
            "defendants": [d.agency_id for d in defendants if d.part == Part.DEFENDANT],
            "co_defendants": [d.agency_id for d in defendants if d.part == Part.CO_DEFENDANT],
            "third_parties": [d.agency_id for d in defendants if d.part == Part.THIRD_PARTY],
            "version": lawsuit.version,
        }


class PlaintiffForm(forms.Form):
    """One row of the plaintiffs' table (the cells carry their labels for screen readers)."""

    name = forms.CharField(label="原告", max_length=100, required=False)
    kind = forms.ChoiceField(label="类型", choices=PlaintiffKind.choices, required=False)
    id_number = forms.CharField(
        label="身份证号码",
        max_length=25,
        required=False,
        help_text="自然人原告的身份证号码（可不填）。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    # The check character as the case records check it: a mismatch is an error until the
    # user ticks that the code was checked against the licence (DOMAIN.md §5.2).
    uscc = UsccField(required=False, help_text="法人或其他组织（可不填）。")

    @staticmethod
    def initial_for(plaintiff) -> dict[str, Any]:
        """A saved plaintiff's row: a code saved with a check character that does not match
        was confirmed then, and stays confirmed."""
        confirmed = False
        if plaintiff.uscc:
            with contextlib.suppress(IdentifierError):  # saved before codes were checked
                confirmed = not parse_uscc(plaintiff.uscc).checksum_ok
        return {
            "name": plaintiff.name,
            "kind": plaintiff.kind,
            "id_number": plaintiff.id_number,
            "uscc": [plaintiff.uscc, confirmed],
        }

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get("name") or "").strip()
        if not name:
            if cleaned.get("id_number") or cleaned.get("uscc"):
                self.add_error("name", "请填写原告的姓名或名称。")
            return cleaned
        cleaned["name"] = name
        kind = cleaned.get("kind") or PlaintiffKind.NATURAL_PERSON
        cleaned["kind"] = kind
        if (value := cleaned.get("id_number")) and kind == PlaintiffKind.NATURAL_PERSON:
            try:
                cleaned["id_number"] = parse_citizen_id(value, today=timezone.localdate()).number
            except IdentifierError as exc:
                self.add_error("id_number", exc.message)
        elif value:
            self.add_error("id_number", "只有自然人原告填写身份证号码。")
        return cleaned


class BasePlaintiffFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        """No plaintiff is said with the form's other errors, not after they are fixed (the
        service checks it again)."""
        rows = self.forms
        if all(f.is_valid() for f in rows) and not any(f.cleaned_data.get("name") for f in rows):
            raise forms.ValidationError("请至少填写一个原告。")


PlaintiffFormSet = formset_factory(
    PlaintiffForm, formset=BasePlaintiffFormSet, extra=2, max_num=50, validate_max=True
)


def plaintiff_rows(formset) -> list[dict[str, Any]]:
    return [
        {
            "name": f.cleaned_data["name"],
            "kind": f.cleaned_data["kind"],
            "id_number": f.cleaned_data.get("id_number") or "",
            "uscc": f.cleaned_data.get("uscc") or "",
        }
        for f in formset
        if f.cleaned_data.get("name")
    ]


class DefenceForm(forms.Form):
    complaint_received_on = PastDateField(label="收到起诉状副本日期", required=False)
    defence_submitted_on = PastDateField(label="提交答辩状和证据日期", required=False)


class HearingForm(forms.Form):
    held_on = forms.DateField(label="开庭日期", widget=DateInput)
    open_court = forms.BooleanField(
        label="开庭审理",
        required=False,
        initial=True,
        help_text="书面审理、询问等不开庭的，取消勾选；不计入负责人出庭应诉率。",
    )
    head_notified = forms.BooleanField(
        label="法院通知负责人出庭",
        required=False,
        help_text="法释〔2020〕3号第四条规定应当通知的，勾选并填写通知日期。",
    )
    head_notice_on = forms.DateField(label="通知日期", required=False, widget=DateInput)
    note = forms.CharField(label="备注", max_length=200, required=False)


class AppearanceForm(forms.Form):
    head_appeared = YesNoField(label="负责人出庭")
    head_name = forms.CharField(label="出庭负责人姓名", max_length=50, required=False)
    head_title = forms.CharField(label="职务", max_length=50, required=False)
    head_rank = forms.ChoiceField(
        label="负责人类别",
        choices=[("", "请选择"), *HeadRank.choices],
        required=False,
        help_text="下级或所属机构、受委托组织的负责人出庭的，不计为负责人出庭（法释〔2020〕3号第二条）。",
    )
    head_spoke = YesNoField(label="负责人出庭发言", required=False)
    staff = forms.CharField(
        label="其他出庭人员",
        max_length=200,
        required=False,
        help_text="工作人员和代理律师的姓名、职务；负责人未出庭的必填。",
    )
    absence_reason = forms.ChoiceField(
        label="未出庭原因", choices=[("", "请选择"), *AbsenceReason.choices], required=False
    )
    absence_note = forms.CharField(label="原因说明", max_length=300, required=False)
    written_explanation = forms.BooleanField(
        label="已向法院提交加盖机关印章的书面说明", required=False
    )
    version = VersionField()


class OutcomeForm(forms.Form):
    result_type = forms.ModelChoiceField(
        label="裁判结果", queryset=ResultType.objects.filter(is_active=True)
    )
    concluded_on = PastDateField(label="审结日期", help_text="判决、裁定作出或调解书制作的日期。")
    served_on = PastDateField(
        label="送达日期",
        required=False,
        help_text="裁判文书送达行政机关的日期，上诉期限自次日起算。",
    )
    outcome_note = forms.CharField(
        label="裁判要旨",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = VersionField()


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class AppealForm(forms.Form):
    appealed_on = PastDateField(label="上诉日期")
    appellant = forms.ChoiceField(
        label="上诉人", choices=[("", "请选择"), *Lawsuit._meta.get_field("appellant").choices]
    )


class EffectiveForm(forms.Form):
    effective_on = PastDateField(label="生效日期")


class LossAnalysisForm(forms.Form):
    causes = forms.ModelMultipleChoiceField(
        label="败诉原因",
        queryset=LossCause.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    analysis = forms.CharField(
        label="原因分析", max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    measures = forms.CharField(
        label="整改措施", max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    measures_due = forms.DateField(label="整改期限", required=False, widget=DateInput)
    rectified_on = PastDateField(label="整改完成日期", required=False)
    files = MultipleFileField(label="整改证明材料")
    version = VersionField()


class PerformanceForm(forms.Form):
    agency = forms.ModelChoiceField(label="履行机关", queryset=Agency.objects.none())
    duty = forms.CharField(
        label="履行事项",
        max_length=300,
        help_text="生效裁判要求机关做的事，如 六十日内重新作出工伤认定决定。",
    )
    due_on = forms.DateField(label="履行期限届满日", required=False, widget=DateInput)
    days = forms.IntegerField(
        label="或：自裁判生效之日起（日）",
        required=False,
        min_value=1,
        max_value=3650,
        help_text="裁判写明“判决生效之日起N日内”的，填写N，由系统计算届满日。",
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("due_on") is None) == (cleaned.get("days") is None) and not self.errors:
            raise forms.ValidationError(
                "请填写履行期限届满日，或自裁判生效之日起的天数（二者选一）。"
            )
        return cleaned


class PerformedForm(forms.Form):
    performed_on = PastDateField(label="履行日期")
    evidence = forms.CharField(
        label="履行情况和证明",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如 已于某日重新作出潜人社工认〔2026〕15号认定工伤决定并送达。",
    )
    files = MultipleFileField(label="证明材料")
    version = VersionField()


class EnforcementForm(forms.Form):
    enforcement_on = PastDateField(label="申请强制执行日期")


class ImportForm(forms.Form):
    file = forms.FileField(
        label="法院案件清单（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text="第一行为列名，请使用导入模板。同一案号导入两次不会重复登记。",
    )


# --- Judicial suggestions ---------------------------------------------------------------------


class SuggestionFilterForm(forms.Form):
    q = SearchField(placeholder="文号、事由、机关")
    year = _filter_year()
    court = FilterChoiceField(
        label="法院", required=False, queryset=Court.objects.all(), empty_label="全部"
    )
    agency = FilterChoiceField(
        label="建议对象", required=False, queryset=Agency.objects.all(), empty_label="全部"
    )
    kind = forms.ChoiceField(
        label="类型", required=False, choices=[("", "全部"), *JudicialSuggestion.Kind.choices]
    )
    state = forms.ChoiceField(
        label="答复情况",
        required=False,
        choices=[("", "全部"), *Recipient.Status.choices, ("overdue", "逾期未答复")],
    )

    def __init__(self, *args, courts=None, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if courts is not None:
            self.fields["court"].queryset = courts
        if agencies is not None:
            self.fields["agency"].queryset = agencies


class SuggestionForm(forms.Form):
    number = forms.CharField(
        label="文号",
        max_length=60,
        help_text="如 潜法建〔2025〕3号；方括号、圆括号会自动改为〔〕。",
    )
    number_confirmed = forms.BooleanField(
        label="文号格式已核对",
        required=False,
        help_text="文号与统一编号格式不符但核对无误的，勾选后保存。",
    )
    court = forms.ModelChoiceField(label="发出法院", queryset=Court.objects.filter(is_active=True))
    kind = forms.ChoiceField(label="类型", choices=JudicialSuggestion.Kind.choices)
    subject = forms.CharField(label="事由", max_length=200)
    content = forms.CharField(
        label="建议内容", max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    issued_on = PastDateField(label="发出日期")
    recipients = AgencyChoices("建议对象", required=True, help_text="按住 Ctrl 可以多选。")
    received_on = PastDateField(
        label="收到日期", help_text="建议对象收到建议书的日期，答复期限自次日起算。"
    )
    reply_months = forms.IntegerField(
        label="答复期限（月）",
        min_value=1,
        max_value=12,
        initial=2,
        help_text="建议书确定的书面答复期限，一般不超过两个月。",
    )
    case_numbers = forms.CharField(
        label="所涉诉讼案号",
        required=False,
        max_length=500,
        help_text="司法建议由诉讼案件产生的，填写案号，多个用顿号分隔；案件须已登记在台账中。",
    )
    hearing = forms.ModelChoiceField(
        label="因负责人未出庭",
        required=False,
        queryset=None,
        help_text="因行政机关负责人未出庭应诉发出的（法释〔2020〕3号第十二条），选择该次开庭。",
    )

    def __init__(self, *args, courts=None, hearings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if courts is not None:
            self.fields["court"].queryset = courts
            if len(courts) == 1:
                self.fields["court"].initial = courts[0].pk
        self.fields["hearing"].queryset = hearings
        self.fields["hearing"].label_from_instance = lambda h: (
            f"{h.lawsuit.court_case_no} {h.held_on:%Y-%m-%d}开庭"
        )

    def clean(self):
        cleaned = super().clean()
        issued, received = cleaned.get("issued_on"), cleaned.get("received_on")
        if issued and received and received < issued:
            self.add_error("received_on", "收到日期不能早于发出日期。")
        return cleaned

    def case_keys(self) -> list[str]:
        import re

        text = self.cleaned_data.get("case_numbers") or ""
        return [number_key(part) for part in re.split(r"[、,，;；\s]+", text) if part.strip()]


class ReplyForm(forms.Form):
    replied_on = PastDateField(label="答复日期")
    reply = forms.CharField(
        label="答复内容", max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    adoption = forms.ChoiceField(
        label="采纳情况", choices=[("", "请选择"), *Recipient.Adoption.choices]
    )
    measures = forms.CharField(
        label="整改措施",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="采取的措施及完成情况；未采纳的，说明理由。",
    )
    files = MultipleFileField(label="答复函及证明材料")
    version = VersionField()


class CheckForm(forms.Form):
    checked_on = PastDateField(label="核查日期")
    implementation = forms.ChoiceField(
        label="落实情况", choices=[("", "请选择"), *Recipient.Implementation.choices]
    )
    check_note = forms.CharField(
        label="核查意见", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


# --- Supervision ---------------------------------------------------------------------------


PERIOD_UNITS = [(Unit.WORKING_DAYS.value, "个工作日"), (Unit.DAYS.value, "日")]


class SupervisionFilterForm(forms.Form):
    year = _filter_year()
    agency = FilterChoiceField(
        label="机关", required=False, queryset=Agency.objects.all(), empty_label="全部"
    )
    reason = forms.ChoiceField(
        label="事由", required=False, choices=[("", "全部"), *SupervisionItem.Reason.choices]
    )
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[
            ("", "全部"),
            # Not a state's own value ("open" is 督办中): the states they gather.
            ("unclosed", "未办结"),
            ("awaiting", "待反馈"),
            ("overdue", "逾期未反馈"),
            *SupervisionItem.Status.choices,
        ],
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies


class SupervisionForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="督办对象", queryset=Agency.objects.filter(is_active=True)
    )
    reason = forms.ChoiceField(label="督办事由", choices=SupervisionItem.Reason.choices)
    facts = forms.CharField(
        label="问题情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    required_action = forms.CharField(
        label="督办要求", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    opened_on = PastDateField(label="督办日期")
    period_amount = forms.IntegerField(label="办理期限", min_value=1, max_value=365, initial=15)
    period_unit = forms.ChoiceField(label="单位", choices=PERIOD_UNITS)
    lawsuit = forms.IntegerField(widget=forms.HiddenInput, required=False)
    appearance = forms.IntegerField(widget=forms.HiddenInput, required=False)
    performance = forms.IntegerField(widget=forms.HiddenInput, required=False)
    recipient = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the reason of the record the form was opened from, the most specific one
        # (an absence's or a performance's suggestion names the lawsuit too, as the
        # item's subject does: liaison.services.supervision.subject_key), and 其他; the
        # others are opened from their record, in the register or the suggestions.
        self.record = self.record_in(self.data if self.is_bound else self.initial)
        self.fields["reason"].choices = [
            (value, label)
            for value, label in SupervisionItem.Reason.choices
            if self.allows(value, self.record)
        ]

    @staticmethod
    def record_in(values) -> str | None:
        """The most specific record named in ``values``, if any."""
        return next(
            (n for n in ("appearance", "performance", "recipient", "lawsuit") if values.get(n)),
            None,
        )

    @staticmethod
    def allows(reason: str, record: str | None) -> bool:
        """Whether an item of ``reason`` can be opened from ``record``."""
        return SUPERVISED_RECORD.get(SupervisionItem.Reason(reason)) in (None, record)


class RespondForm(forms.Form):
    responded_on = PastDateField(label="反馈日期")
    response = forms.CharField(
        label="整改反馈", max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    files = MultipleFileField(label="整改证明材料")
    version = VersionField()


class EscalateForm(forms.Form):
    note = forms.CharField(
        label="提级督办说明",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如 报请市政府督查室督办、约谈机关主要负责人。",
    )
    period_amount = forms.IntegerField(
        label="新的办理期限",
        min_value=1,
        max_value=365,
        required=False,
        help_text="不填的，保持原办理期限。",
    )
    period_unit = forms.ChoiceField(label="单位", choices=PERIOD_UNITS)


class CloseForm(forms.Form):
    closed_on = PastDateField(label="办结日期")
    result = forms.ChoiceField(
        label="办结结果", choices=[("", "请选择"), *SupervisionItem.Result.choices]
    )
    result_note = forms.CharField(
        label="办结意见",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="机关尚未反馈即办结的，必须说明情况。",
    )


class CircularForm(forms.Form):
    number = forms.CharField(label="文号", max_length=60, help_text="如 潜司通〔2026〕2号。")
    title = forms.CharField(label="标题", max_length=200)
    period_start = forms.DateField(label="督办日期自", widget=DateInput)
    period_end = PastDateField(label="至")
    remarks = forms.CharField(
        label="总体情况和要求",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="印在通报开头，如 各单位要高度重视，于某日前报送整改情况。",
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", "截止日期不能早于起始日期。")
        return cleaned


# --- Reconsideration ------------------------------------------------------------------------


MAX_COUNT = 1_000_000


class VolumeForm(forms.Form):
    received = forms.IntegerField(label="收到申请", min_value=0, max_value=MAX_COUNT)
    accepted = forms.IntegerField(label="受理", min_value=0, max_value=MAX_COUNT)
    concluded = forms.IntegerField(
        label="审结", min_value=0, max_value=MAX_COUNT, help_text="应等于下列各类结果之和。"
    )
    upheld = forms.IntegerField(label="维持", min_value=0, max_value=MAX_COUNT)
    revoked = forms.IntegerField(label="撤销", min_value=0, max_value=MAX_COUNT)
    changed = forms.IntegerField(label="变更", min_value=0, max_value=MAX_COUNT)
    confirmed_illegal = forms.IntegerField(label="确认违法", min_value=0, max_value=MAX_COUNT)
    ordered_performance = forms.IntegerField(label="责令履行", min_value=0, max_value=MAX_COUNT)
    dismissed = forms.IntegerField(label="驳回", min_value=0, max_value=MAX_COUNT)
    mediated = forms.IntegerField(label="调解", min_value=0, max_value=MAX_COUNT)
    settled_withdrawn = forms.IntegerField(label="和解后撤回", min_value=0, max_value=MAX_COUNT)
    other = forms.IntegerField(label="其他", min_value=0, max_value=MAX_COUNT)
    note = forms.CharField(label="说明", max_length=300, required=False)
    version = VersionField()


# --- Joint meetings and reports --------------------------------------------------------------


class MeetingForm(forms.Form):
    title = forms.CharField(label="会议名称", max_length=200)
    held_on = PastDateField(label="会议日期")
    place = forms.CharField(label="地点", max_length=200)
    convenors = forms.CharField(label="召集人", max_length=300)
    attendees = forms.CharField(
        label="参会单位和人员",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一个单位，如 市司法局：赵敏（副局长）。",
    )
    agenda = forms.CharField(
        label="议程",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一项。",
    )
    matters = forms.CharField(
        label="研究的重大事项和问题",
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="普遍性、倾向性重大事项和需要解决的问题，每行一项。",
    )
    decisions = forms.CharField(
        label="议定事项",
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一项。",
    )
    minutes_number = forms.CharField(label="纪要文号", max_length=60, required=False)
    version = VersionField()


class TaskForm(forms.Form):
    description = forms.CharField(label="任务", max_length=300)
    agency = forms.ModelChoiceField(
        label="责任机关", queryset=Agency.objects.filter(is_active=True), required=False
    )
    unit = forms.CharField(
        label="或：责任单位",
        max_length=100,
        required=False,
        help_text="不在行政机关名录中的单位，如 市人民法院。",
    )
    due_on = forms.DateField(label="办理期限", required=False, widget=DateInput)
    amount = forms.IntegerField(
        label="或：自会议之日起", required=False, min_value=1, max_value=730
    )
    unit_of_time = forms.ChoiceField(label="单位", choices=PERIOD_UNITS[::-1])


class TaskDoneForm(forms.Form):
    done_on = PastDateField(label="办结日期")
    done_note = forms.CharField(
        label="落实情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportForm(forms.Form):
    title = forms.CharField(
        label="标题", max_length=200, required=False, help_text="不填的，使用默认标题。"
    )
    number = forms.CharField(label="文号", max_length=60, required=False)
    note = forms.CharField(
        label="制发说明",
        max_length=300,
        required=False,
        help_text="再次制发的，说明原因，如 更正（2023）鄂9005行初5号的裁判结果。",
    )
