from django import forms
from django.contrib import admin

from accounts.admin import AuditedAdmin
from accounts.models import Role, User
from cases.identifiers import parse_uscc
from cases.models import (
    AccessRecord,
    Agency,
    CalendarDay,
    DisputeCategory,
    Mediator,
    MediatorStatusChange,
)
from cases.services.common import ServiceError
from cases.services.roster import change_mediator_status
from cases.states import available
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
class AgencyAdmin(AuditedAdmin):
    form = AgencyAdminForm
    list_display = ["name", "short_name", "level", "uscc", "principal_name", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "short_name", "uscc"]


@admin.register(DisputeCategory)
class DisputeCategoryAdmin(AuditedAdmin):
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
class CalendarDayAdmin(AuditedAdmin):
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
            "status_reason",
        ]

    # The roster's state changes only through its table (cases.states.MEDIATOR_STEPS).
    status_action = forms.ChoiceField(label="名册变动", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        steps = available(self.instance) if self.instance.pk else []
        self.fields["status_action"].choices = [("", "不变"), *((a, s.label) for a, s in steps)]
        self.fields[
            "status_action"
        ].help_text = (
            f"当前状态：{self.instance.get_status_display()}。变动时须在“状态原因”中写明原因。"
        )
        # Mediators and heads of an office can be on its roster; large user lists stay bounded.
        self.fields["user"].queryset = User.objects.filter(
            role__in=[Role.MEDIATOR, Role.HEAD], office__isnull=False, is_active=True
        ).select_related("office")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status_action") and not (cleaned.get("status_reason") or "").strip():
            self.add_error("status_reason", "暂停、恢复或除名的，请写明原因。")
        if cleaned.get("user"):
            # The roster entry belongs to the office of the user.
            self.instance.office = cleaned["user"].office
        return cleaned


class MediatorStatusChangeInline(admin.TabularInline):
    model = MediatorStatusChange
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_status", "to_status", "reason", "actor"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Mediator)
class MediatorAdmin(AuditedAdmin):
    form = MediatorAdminForm
    list_display = ["__str__", "office", "specialities", "certificate_no", "trained_on", "status"]
    list_filter = ["status", "office", "categories"]
    list_select_related = ["user", "office"]
    search_fields = ["user__name", "user__username", "specialities", "certificate_no"]
    filter_horizontal = ["categories"]
    readonly_fields = ["status"]
    inlines = [MediatorStatusChangeInline]

    def save_model(self, request, obj, form, change):
        action = form.cleaned_data.get("status_action")
        if action and obj.pk:
            # The reason is the step's; keep the one on record until the step is taken.
            obj.status_reason = Mediator.objects.get(pk=obj.pk).status_reason
        super().save_model(request, obj, form, change)
        if action:
            try:
                change_mediator_status(
                    mediator=obj,
                    actor=request.user,
                    action=action,
                    reason=form.cleaned_data["status_reason"],
                )
            except ServiceError as exc:
                self.message_user(request, exc.message, level="error")
            obj.refresh_from_db()


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """The access log, read-only: who saw a full ID number or took a file out, when,
    from where, for which case and why."""

    list_display = ["at", "actor", "address", "kind", "case_number", "subject", "purpose"]
    list_filter = ["kind", "purpose", ("at", admin.DateFieldListFilter)]
    list_select_related = ["actor", "case"]
    search_fields = ["actor__username", "actor__name", "case__case_no", "subject"]
    date_hierarchy = "at"
    fields = [
        "at",
        "actor",
        "address",
        "kind",
        "case_number",
        "subject",
        "purpose",
        "purpose_note",
    ]
    readonly_fields = fields

    @admin.display(description="案件")
    def case_number(self, record: AccessRecord) -> str:
        return record.case.display_number if record.case else "—"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Pruned only by `manage.py prune_logs`, never younger than the retention floor.
        return False
