"""The case register's filters, search and sort order."""

from __future__ import annotations

from django import forms

from accounts.models import Court
from cases.forms.common import DateInput, FilterChoiceField, SearchField
from cases.models import Agency, DisputeCategory, Source, Status

SORT_CHOICES = [
    ("-received", "收到日期（新→旧）"),
    ("received", "收到日期（旧→新）"),
    ("deadline", "最近期限（急→缓）"),
    ("number", "登记号"),
    ("-updated", "最近更新"),
]


class CaseFilterForm(forms.Form):
    q = SearchField(placeholder="案号、登记号、当事人、身份证号码、文号")
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *Status.choices]
    )
    source = forms.ChoiceField(
        label="来源", required=False, choices=[("", "全部"), *Source.choices]
    )
    category = FilterChoiceField(
        label="争议类别",
        required=False,
        queryset=DisputeCategory.objects.all(),
        empty_label="全部",
        label_field="label",
    )
    agency = FilterChoiceField(
        label="被申请机关", required=False, queryset=Agency.objects.all(), empty_label="全部"
    )
    court = FilterChoiceField(
        label="委派法院", required=False, queryset=Court.objects.all(), empty_label="全部"
    )
    received_from = forms.DateField(label="收到日期自", required=False, widget=DateInput)
    received_to = forms.DateField(label="至", required=False, widget=DateInput)
    deadline = forms.ChoiceField(
        label="期限",
        required=False,
        choices=[
            ("", "全部"),
            ("overdue", "已超期"),
            ("near", "3日内到期"),
            ("running", "有期限在运行"),
        ],
    )
    sort = forms.ChoiceField(label="排序", required=False, choices=SORT_CHOICES)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", "结束日期不能早于开始日期。")
        return cleaned
