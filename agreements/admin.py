from django.contrib import admin

from agreements.models import Agreement, Confirmation


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """Read-only overview for IT: case content stays on the case pages."""

    list_display = ["__str__", "status", "effective_on", "created_at"]
    list_filter = ["status"]
    list_select_related = ["case", "case__referral"]
    search_fields = ["case__case_no", "case__registration_no"]
    fields = ["case", "version", "status", "effective_on", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Confirmation)
class ConfirmationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "court", "applied_on", "status", "outcome", "court_case_no"]
    list_filter = ["status", "outcome", "court"]
    list_select_related = ["agreement__case", "agreement__case__referral", "court"]
    search_fields = ["court_case_no", "agreement__case__case_no"]
    fields = [
        "agreement",
        "court",
        "applied_on",
        "status",
        "outcome",
        "court_case_no",
        "decided_on",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
