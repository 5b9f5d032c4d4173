"""Forms of what the referring court may read. The services apply the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from cases.forms.common import PastDateField
from cases.forms.mediation import file_field
from cases.models import Attachment, TranscriptAccess


class TranscriptAccessForm(forms.Form):
    basis = forms.ChoiceField(
        label="依据", choices=TranscriptAccess.Basis.choices, widget=forms.RadioSelect
    )
    dated_on = PastDateField(label="日期", help_text="当事人书面同意或法院调取函的日期。")
    reference = forms.CharField(
        label="文号或说明",
        max_length=300,
        help_text="如法院调取函的文号，或当事人同意的方式（书面同意书、笔录签字）。",
    )
    file = file_field("同意书或调取函（扫描件）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dated_on"].initial = timezone.localdate()


class WithdrawAccessForm(forms.Form):
    note = forms.CharField(
        label="撤销原因",
        max_length=300,
        help_text="如当事人撤回同意，或登记有误。",
    )


class AttachmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, attachment: Attachment) -> str:
        return f"{attachment.label}（{attachment.get_kind_display()}）"


class TransferPackageForm(forms.Form):
    attachments = AttachmentChoiceField(
        label="移送法院的材料",
        queryset=Attachment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "请至少选择一项移送法院的材料。",
            "invalid_choice": "所选材料不在本案可移送的范围内，请重新选择。",
        },
        help_text="法院只能查阅、下载这里选定的材料，以及委派材料、终止调解情况报告、"
        "调解协议和司法确认申请书。调解笔录不随材料移送。",
    )

    def __init__(self, *args, choices: list[Attachment], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attachments"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Attachment.objects.filter(pk__in=[a.pk for a in choices]).order_by(
            "uploaded_at", "id"
        )
