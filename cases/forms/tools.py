from datetime import date

from django import forms

from cases.deadline_engine import Period, Unit
from cases.deadlines import CATALOGUE, RULES_BY_CODE, DeadlineRule
from cases.forms.common import DateInput

CUSTOM = "custom"
UNIT_CHOICES = [
    (Unit.DAYS.value, "日（自然日）"),
    (Unit.WORKING_DAYS.value, "工作日"),
    (Unit.MONTHS.value, "个月"),
    (Unit.YEARS.value, "年"),
]


class DeadlineCalculatorForm(forms.Form):
    rule = forms.ChoiceField(
        label="期限种类",
        choices=[(r.code, f"{r.label}（{r.period}）") for r in CATALOGUE]
        + [(CUSTOM, "自定义期间")],
    )
    start = forms.DateField(label="起算日", widget=DateInput, help_text="起算日当天不计入期间。")
    amount = forms.IntegerField(
        label="期间长度",
        min_value=1,
        max_value=9999,
        required=False,
        help_text="仅“自定义期间”需要填写。",
    )
    unit = forms.ChoiceField(label="单位", choices=UNIT_CHOICES, required=False)

    def clean_start(self) -> date:
        start = self.cleaned_data["start"]
        if not date(1950, 1, 1) <= start <= date(2100, 12, 31):
            raise forms.ValidationError("起算日应在1950年至2100年之间。")
        return start

    # Longer than any legal period, short enough to stay within the calendar.
    LIMITS = {
        Unit.DAYS.value: 3660,
        Unit.WORKING_DAYS.value: 1000,
        Unit.MONTHS.value: 600,
        Unit.YEARS.value: 50,
    }

    def clean(self):
        cleaned = super().clean()
        unit, amount = cleaned.get("unit"), cleaned.get("amount")
        if unit in self.LIMITS and amount and amount > self.LIMITS[unit]:
            label = dict(UNIT_CHOICES)[unit]
            self.add_error("amount", f"按“{label}”计算的期间最长为{self.LIMITS[unit]}。")
        if cleaned.get("rule") == CUSTOM:
            if not cleaned.get("amount"):
                self.add_error("amount", "自定义期间请填写期间长度。")
            if not cleaned.get("unit"):
                self.add_error("unit", "自定义期间请选择单位。")
        return cleaned

    def deadline_rule(self) -> DeadlineRule:
        code = self.cleaned_data["rule"]
        if code != CUSTOM:
            return RULES_BY_CODE[code]
        return DeadlineRule(
            CUSTOM,
            "自定义期间",
            Period(self.cleaned_data["amount"], Unit(self.cleaned_data["unit"])),
            "",
            "",
        )
