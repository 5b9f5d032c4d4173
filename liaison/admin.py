"""The registers' reference tables in the admin. The registers themselves are case-like
content and are kept in the app, not here."""

from django.contrib import admin

from accounts.admin import AuditedAdmin
from liaison.models import LossCause, ResultType


@admin.register(ResultType)
class ResultTypeAdmin(AuditedAdmin):
    list_display = [
        "label",
        "code",
        "form",
        "appealable",
        "counts_as_loss",
        "counts_as_concluded",
        "sort_order",
        "is_active",
    ]
    list_filter = ["form", "appealable", "counts_as_loss", "counts_as_concluded", "is_active"]
    list_editable = ["sort_order"]
    search_fields = ["label", "code"]

    def get_readonly_fields(self, request, obj=None):
        # The statistics tell result types apart by code: it does not change once used.
        return ["code"] if obj is not None else []


@admin.register(LossCause)
class LossCauseAdmin(AuditedAdmin):
    list_display = ["label", "code", "sort_order", "is_active"]
    list_filter = ["is_active"]
    list_editable = ["sort_order"]
    search_fields = ["label", "code"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        # A cause used in an analysis is deactivated, not deleted.
        return False
