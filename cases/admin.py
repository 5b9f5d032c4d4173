from django import forms
from django.contrib import admin

from accounts.models import Role, User
from cases.identifiers import parse_uscc
from cases.models import Agency, CalendarDay, DisputeCategory, Mediator
from cases.validators import UsccField


class AgencyAdminForm(forms.ModelForm):
    uscc = UsccField(required=False)

    class Meta:
        model = Agency
        fields = [
            "name",
            "short_name",
            "uscc",
            "level",
            "principal_name",
            "principal_title",
            "address",
            "phone",
            "is_active",
        ]

    def clean(self):
        cleaned = super().clean()
        # The box in the code field is ticked only to accept a check-character
        # mismatch; record that the code was checked against the certificate.
        code = cleaned.get("uscc")
        self.instance.uscc_checksum_confirmed = bool(code) and not parse_uscc(code).checksum_ok
        return cleaned


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    form = AgencyAdminForm
    list_display = ["name", "short_name", "level", "uscc", "principal_name", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "short_name", "uscc"]


@admin.register(DisputeCategory)
class DisputeCategoryAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "code",
        "cause_of_action",
        "field",
        "art60_mediable",
        "reconsideration_first",
        "sort_order",
        "is_active",
    ]
    list_filter = ["art60_mediable", "reconsideration_first", "is_active"]
    list_editable = ["sort_order"]
    search_fields = ["code", "label", "cause_of_action"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name", "note"]
    list_filter = ["kind", "name"]
    search_fields = ["name", "note"]
    date_hierarchy = "date"

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return "星期" + "一二三四五六日"[obj.date.weekday()]


class MediatorAdminForm(forms.ModelForm):
    class Meta:
        model = Mediator
        fields = [
            "user",
            "specialities",
            "categories",
            "certificate_no",
            "trained_on",
            "status",
            "status_reason",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Mediators and heads of an office can be on its roster; large user lists stay bounded.
        self.fields["user"].queryset = User.objects.filter(
            role__in=[Role.MEDIATOR, Role.HEAD], office__isnull=False, is_active=True
        ).select_related("office")

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status and status != Mediator.Status.ACTIVE and not cleaned.get("status_reason"):
            self.add_error("status_reason", "暂停或除名的，请写明原因。")
        if cleaned.get("user"):
            # The roster entry belongs to the office of the user.
            self.instance.office = cleaned["user"].office
        return cleaned


@admin.register(Mediator)
class MediatorAdmin(admin.ModelAdmin):
    form = MediatorAdminForm
    list_display = ["__str__", "office", "specialities", "certificate_no", "trained_on", "status"]
    list_filter = ["status", "office", "categories"]
    list_select_related = ["user", "office"]
    search_fields = ["user__name", "user__username", "specialities", "certificate_no"]
    filter_horizontal = ["categories"]
