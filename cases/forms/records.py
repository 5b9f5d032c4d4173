"""Forms for the case record: the case itself, parties, agents, claims, attachments.

Forms only validate and normalise; the views hand ``cleaned_data`` to the services.
"""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils import timezone

from cases.forms.common import DateInput, PastDateField
from cases.identifiers import IdentifierError, parse_citizen_id, parse_uscc
from cases.models import (
    AccessPurpose,
    Agency,
    Agent,
    Art60Basis,
    Attachment,
    Case,
    DisputeCategory,
    IdType,
    Party,
)
from cases.models.attachment import uploadable_kinds
from cases.models.case import CASE_RECORD_DATES, CASE_RECORD_FIELDS, ActType, Source
from cases.plausibility import not_negative
from cases.services.rules import scope_answer_problem
from cases.uploads import ALLOWED_DESCRIPTION, ALLOWED_EXTENSIONS
from cases.validators import (
    CitizenIdField,
    UsccField,
    document_number_looks_standard,
    normalise_document_number,
)


class TrackChangesMixin:
    """Render each field's starting value too, so a save can tell what this user changed.

    Used on edit pages: when somebody else saved the record meanwhile, the view
    keeps their changes to the fields this user did not touch.
    """

    def track_changes(self) -> None:
        for field in self.fields.values():
            field.show_hidden_initial = True


class VersionedForm(forms.Form):
    """Carries the case version the user started from, to detect concurrent edits."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CaseForm(TrackChangesMixin, forms.ModelForm):
    """The dispute and the act in dispute. ``warnings`` holds soft checks that do not block."""

    class Meta:
        model = Case
        fields = list(CASE_RECORD_FIELDS)
        widgets = {
            **dict.fromkeys(CASE_RECORD_DATES, DateInput),
            "facts_and_reasons": forms.Textarea(attrs={"rows": 6}),
            "art60_note": forms.TextInput(),
        }

    def __init__(self, *args, sources=(Source.SELF, Source.TRANSFERRED), **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings: list[str] = []
        self.fields["source"].choices = [(s.value, s.label) for s in sources]
        if len(sources) == 1:
            self.fields["source"].initial = sources[0]
            self.fields["source"].widget = forms.HiddenInput()
        self.fields["category"].queryset = DisputeCategory.objects.filter(is_active=True)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)
        self.fields["act_type"].choices = [("", "请选择"), *ActType.choices]
        self.fields["art60_basis"].choices = [
            ("", "请选择（类别属可调解范围的可不选）"),
            *Art60Basis.choices,
        ]

    def clean_act_document_no(self) -> str:
        value = normalise_document_number(self.cleaned_data["act_document_no"])
        if value and not document_number_looks_standard(value):
            self.warnings.append(
                f"文号“{value}”与常见格式（如 潜人社工认〔2024〕12号）不同，请核对；"
                "处罚决定书等文书的编号格式可能不同，核对无误的可以不改。"
            )
        return value

    def clean_persons_affected(self) -> int:
        value = self.cleaned_data["persons_affected"]
        if value is not None and value < 1:
            raise forms.ValidationError("涉及人数至少为1。")
        return value

    def clean(self):
        # The dates themselves are checked by Case.clean (not in the future, not before
        # the act), which the model form runs.
        cleaned = super().clean()
        if cleaned.get("is_inaction") and not cleaned.get("duty_requested_date"):
            self.add_error("duty_requested_date", "行政不作为案件请填写申请履行职责的日期。")
        if cleaned.get("source") == Source.TRANSFERRED and not cleaned.get("transferred_from"):
            self.add_error("transferred_from", "其他部门转来的，请填写移送部门。")
        if not cleaned.get("act_known_date") and not cleaned.get("is_inaction"):
            self.warnings.append("未填写“申请人知道或应当知道日期”，无法计算起诉和复议期限。")
        # The services ask for these answers of every case but a referral not yet signed
        # for; asked here too, they come with the form's other errors, not after them.
        category = cleaned.get("category")
        if category is not None and cleaned.get("source") != Source.COURT_REFERRAL:
            problem = scope_answer_problem(
                category,
                cleaned.get("art60_basis") or "",
                cleaned.get("art60_note") or "",
                bool(cleaned.get("reconsideration_first_notified")),
            )
            if problem is not None:
                message, field = problem
                self.add_error(field, message)
        return cleaned


PARTY_FIELDS = [
    "kind",
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "id_type",
    "id_number",
    "domicile",
    "occupation",
    "uscc",
    "legal_representative",
    "legal_representative_title",
    "agency",
    "contact_person",
    "phone",
    "service_address",
    "service_address_confirmed",
    "e_service_consent",
    "e_service_channel",
    "e_service_address",
    "willing_to_mediate",
]


class WillingSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "尚未询问"), ("true", "同意"), ("false", "不同意")]


class PartyForm(TrackChangesMixin, forms.ModelForm):
    """One party; which fields are required depends on its kind."""

    uscc = UsccField(required=False)
    willing_to_mediate = forms.NullBooleanField(
        label="同意调解", required=False, widget=WillingSelect
    )

    class Meta:
        model = Party
        fields = PARTY_FIELDS
        widgets = {"birth_date": DateInput}

    # Fields that belong to one kind of party only; the others are blanked on save.
    KIND_FIELDS = {
        Party.Kind.NATURAL_PERSON: {
            "gender",
            "birth_date",
            "ethnicity",
            "id_type",
            "id_number",
            "domicile",
            "occupation",
        },
        Party.Kind.LEGAL_PERSON: {"uscc", "legal_representative", "legal_representative_title"},
        Party.Kind.OTHER_ORG: {"uscc", "legal_representative", "legal_representative_title"},
        Party.Kind.AGENCY: {"agency", "contact_person"},
    }
    MASKED_FIELDS = {"id_number"}

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
            self.fields["kind"].initial = kinds[0]
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)
        self.fields["id_type"].initial = IdType.RESIDENT_ID
        self.fields["name"].required = False
        self.fields["id_number"].max_length = 30
        if self.instance.pk:
            # An edit page never prints the full number: it shows the masked
            # one, and leaving it as shown keeps the stored number.
            self.initial["id_number"] = self.instance.masked_id_number
            self.initial["uscc"] = [self.instance.uscc, self.instance.uscc_checksum_confirmed]

    def clean_id_number(self) -> str:
        value = (self.cleaned_data.get("id_number") or "").strip()
        if self.instance.pk and value and value == self.instance.masked_id_number:
            return self.instance.id_number
        return value

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        for other_kind, names in self.KIND_FIELDS.items():
            if kind and other_kind != kind:
                for name in names - self.KIND_FIELDS.get(kind, set()):
                    cleaned[name] = None if name in ("agency", "birth_date") else ""
        if kind not in (Party.Kind.LEGAL_PERSON, Party.Kind.OTHER_ORG):
            self.instance.uscc_checksum_confirmed = False
        if kind == Party.Kind.NATURAL_PERSON:
            self._clean_person(cleaned)
        elif kind in (Party.Kind.LEGAL_PERSON, Party.Kind.OTHER_ORG):
            self._clean_organisation(cleaned, kind)
        elif kind == Party.Kind.AGENCY:
            agency = cleaned.get("agency")
            if not agency:
                self.add_error(
                    "agency", "请从名录中选择行政机关；名录中没有的，请联系系统管理员添加。"
                )
            else:
                cleaned["name"] = agency.name
        if kind != Party.Kind.AGENCY and not cleaned.get("name") and "name" not in self.errors:
            self.add_error("name", "请填写姓名或名称。")
        if cleaned.get("e_service_consent"):
            if not cleaned.get("e_service_channel"):
                self.add_error("e_service_channel", "同意电子送达的，请选择送达方式。")
            address = cleaned.get("e_service_address", "")
            if not address:
                self.add_error("e_service_address", "同意电子送达的，请填写电子送达地址。")
            elif cleaned.get("e_service_channel") == Party.EServiceChannel.EMAIL:
                try:
                    forms.EmailField().clean(address)
                except forms.ValidationError:
                    self.add_error("e_service_address", "请输入有效的电子邮箱地址。")
        return cleaned

    def _clean_person(self, cleaned) -> None:
        id_type, number = cleaned.get("id_type"), (cleaned.get("id_number") or "").strip()
        if not id_type:
            self.add_error("id_type", "请选择证件类型。")
        if not number:
            self.add_error("id_number", "请填写证件号码。")
            return
        if id_type == IdType.RESIDENT_ID:
            try:
                parsed = parse_citizen_id(number, today=timezone.localdate())
            except IdentifierError as exc:
                self.add_error("id_number", exc.message)
                return
            cleaned["id_number"] = parsed.number
            gender = Party.Gender.MALE if parsed.is_male else Party.Gender.FEMALE
            if cleaned.get("gender") and cleaned["gender"] != gender:
                self.add_error(
                    "gender", f"身份证号码显示性别为“{parsed.gender_label}”，与所选性别不一致。"
                )
            if cleaned.get("birth_date") and cleaned["birth_date"] != parsed.birth_date:
                self.add_error("birth_date", "出生日期与身份证号码不一致。")
            cleaned["gender"] = gender
            cleaned["birth_date"] = parsed.birth_date
            self.instance.birth_date = parsed.birth_date
        else:
            cleaned["id_number"] = number.upper()
        # Organisation fields do not apply to a person.
        cleaned["uscc"] = ""

    def _clean_organisation(self, cleaned, kind) -> None:
        if (
            kind == Party.Kind.LEGAL_PERSON
            and not cleaned.get("uscc")
            and "uscc" not in self.errors
        ):
            self.add_error("uscc", "法人请填写统一社会信用代码。")
        if not cleaned.get("legal_representative"):
            self.add_error("legal_representative", "请填写法定代表人或负责人。")
        code = cleaned.get("uscc")
        self.instance.uscc_checksum_confirmed = bool(code) and not parse_uscc(code).checksum_ok
        cleaned["id_type"] = ""
        cleaned["id_number"] = ""

    # Values the form derives from others: saved whenever their source changed.
    DERIVED = {
        "id_number": {"birth_date", "gender"},
        "uscc": {"uscc_checksum_confirmed"},
        "agency": {"name"},
    }

    def changed_service_data(self) -> dict:
        """Only what this user changed (and what follows from it), for edits."""
        data = self.service_data()
        changed = set(self.changed_data)
        if "kind" in changed:
            return data
        keep = set(changed)
        for name in changed:
            keep |= self.DERIVED.get(name, set())
        return {name: value for name, value in data.items() if name in keep}

    def service_data(self) -> dict:
        """The cleaned values as Party field values for the services."""
        data = {name: self.cleaned_data.get(name) for name in PARTY_FIELDS}
        data["birth_date"] = self.cleaned_data.get("birth_date") or self.instance.birth_date
        data["uscc_checksum_confirmed"] = self.instance.uscc_checksum_confirmed
        for name, value in list(data.items()):
            if value is None and name not in ("agency", "willing_to_mediate", "birth_date"):
                data[name] = ""
        if data["kind"] != Party.Kind.AGENCY:
            data["agency"] = None
        return data


class ApplicantForm(PartyForm):
    """Applicants at registration: persons and organisations, never agencies."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "kinds", [Party.Kind.NATURAL_PERSON, Party.Kind.LEGAL_PERSON, Party.Kind.OTHER_ORG]
        )
        super().__init__(*args, **kwargs)


class ApplicantBaseFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": "至少需要一名申请人，请填写申请人信息。",
        "too_many_forms": "申请人最多%(num)d名；人数众多的，请推选代表人。",
    }


class ClaimBaseFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": "至少需要一项请求事项。",
        "too_many_forms": "请求事项最多%(num)d项。",
    }


ApplicantFormSet = formset_factory(
    ApplicantForm,
    formset=ApplicantBaseFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=50,
    validate_max=True,
    can_delete=True,
    can_delete_extra=True,
)


class ClaimForm(forms.Form):
    text = forms.CharField(label="请求内容", max_length=500)
    amount = forms.DecimalField(
        label="金额（元）",
        required=False,
        max_digits=14,
        decimal_places=2,
        validators=[not_negative],
    )


ClaimFormSet = formset_factory(
    ClaimForm,
    formset=ClaimBaseFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=30,
    validate_max=True,
    can_delete=True,
    can_delete_extra=True,
)


class RespondentsForm(forms.Form):
    respondents = forms.ModelMultipleChoiceField(
        label="被申请人",
        queryset=Agency.objects.filter(is_active=True),
        help_text="一般为作出行政行为的机关；复议维持的，复议机关为共同被申请人。可多选。",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


class AgentForm(TrackChangesMixin, forms.ModelForm):
    id_number = CitizenIdField(label="身份证号码", required=False)
    MASKED_FIELDS = {"id_number"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["id_number"] = self.instance.masked_id_number
            self.fields["id_number"].help_text = "显示为部分隐藏的号码；不修改则保留原号码。"

    def _clean_fields(self):
        # A masked number left as shown is not re-validated: it stands for the stored one.
        masked = (
            self.instance.pk
            and self.data.get(self.add_prefix("id_number")) == self.instance.masked_id_number
        )
        if masked:
            self.fields["id_number"] = forms.CharField(required=False, label="身份证号码")
        super()._clean_fields()
        if masked:
            self.cleaned_data["id_number"] = self.instance.id_number

    class Meta:
        model = Agent
        fields = ["name", "kind", "authority", "id_number", "organisation", "licence_no", "phone"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Agent.Kind.LAWYER:
            if not cleaned.get("licence_no"):
                self.add_error("licence_no", "律师请填写执业证号。")
            if not cleaned.get("organisation"):
                self.add_error("organisation", "律师请填写执业律师事务所。")
        return cleaned


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="材料类型", choices=Attachment.Kind.choices)
    title = forms.CharField(
        label="名称", max_length=100, required=False, help_text="不填则使用材料类型。"
    )
    file = forms.FileField(
        label="文件",
        help_text=f"可以上传：{ALLOWED_DESCRIPTION}。",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = uploadable_kinds(user)


__all__ = [
    "AgentForm",
    "ApplicantFormSet",
    "AttachmentForm",
    "CaseForm",
    "ClaimFormSet",
    "PartyForm",
    "PastDateField",
    "RespondentsForm",
    "VersionedForm",
]


class AccessPurposeForm(forms.Form):
    """Why a full ID number is shown or a file carrying one is taken out (the access log)."""

    purpose = forms.ChoiceField(
        label="查阅事由",
        choices=[("", "请选择事由"), *AccessPurpose.choices],
        error_messages={
            "required": "请选择查阅事由，查阅记录将留存备查。",
            "invalid_choice": "请从列表中选择查阅事由。",
        },
    )
    purpose_note = forms.CharField(
        label="事由说明",
        required=False,
        max_length=200,
        error_messages={"max_length": "事由说明不能超过200字（现有%(show_value)d字）。"},
    )

    def clean(self):
        cleaned = super().clean() or {}
        if (
            cleaned.get("purpose") == AccessPurpose.OTHER
            and not cleaned.get("purpose_note", "").strip()
        ):
            self.add_error("purpose_note", "选择“其他”时请说明查阅事由。")
        return cleaned
