from django.contrib import admin
from django.template import TemplateDoesNotExist

from accounts.admin import AuditedAdmin
from documents.models import DocumentTemplate
from documents.rendering import STYLESHEET, template_digest


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(AuditedAdmin):
    """Which template each document type uses. Generated documents themselves are case
    content and are not shown here."""

    list_display = ["kind", "template_name", "stylesheet", "updated_at"]
    readonly_fields = ["kind", "stylesheet", "digest", "updated_at"]
    fields = ["kind", "template_name", "stylesheet", "digest", "updated_at"]

    @admin.display(description="打印样式")
    def stylesheet(self, obj):
        return STYLESHEET

    @admin.display(description="当前模板摘要（SHA-256）")
    def digest(self, obj):
        try:
            return template_digest(obj.template_name)
        except (TemplateDoesNotExist, OSError):  # removed from disk: keep the page working
            return "（找不到模板文件）"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
