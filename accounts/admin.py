from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from accounts import audit
from accounts.forms import AdminPasswordResetForm
from accounts.models import Court, Office, User
from accounts.services import user_sync_role


class AuditedAdmin(SimpleHistoryAdmin):
    """The admin of an audited model: its 历史 page lists every change with who, when,
    from which address and the old and new values (accounts/audit.py)."""

    history_list_display = ["history_address"]

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each row's changes in words (choices by label, related records by name), the
        same as on the 审计日志 page."""
        rows = list(historical_records)
        if not rows:
            return
        historical = type(rows[0])
        pairs = [
            (historical, row, rows[i + 1] if i + 1 < len(rows) else row.prev_record)
            for i, row in enumerate(rows)
        ]
        for row, changes in zip(rows, audit.describe(pairs), strict=True):
            row.history_delta_changes = changes


@admin.register(Office)
class OfficeAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "self_accepted_mediation_days", "phone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "address", "phone", "is_active"]}),
        (
            "编号与期限",
            {
                "fields": [
                    "registration_number_pattern",
                    "case_number_pattern",
                    "self_accepted_mediation_days",
                    "acceptance_review_working_days",
                ]
            },
        ),
    ]


@admin.register(Court)
class CourtAdmin(AuditedAdmin):
    list_display = ["name", "code", "level", "phone", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "code"]


class UserCreateForm(UserCreationForm):
    # The stubs leave out the forms' Meta, which Django's own forms do define.
    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = ["username", "name", "role", "office", "court", "agency"]


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]  # as above
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    list_display = [
        "username",
        "name",
        "role",
        "office",
        "court",
        "agency",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "office", "court", "is_active"]
    list_select_related = ["office", "court", "agency"]
    # The agency directory has hundreds of entries: search it instead of a long drop-down.
    autocomplete_fields = ["agency"]
    search_fields = ["username", "name", "email"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["name", "email", "phone"]}),
        (
            "角色与所属机构",
            {
                "fields": ["role", "office", "court", "agency"],
                "description": "登记员、调解员、工作室负责人属于工作室；法院联络员属于法院；"
                "机关应诉联络员属于一个行政机关；司法局联络员和系统管理员不属于任何机构。"
                "权限由角色决定。",
            },
        ),
        (
            "状态",
            {
                "fields": [
                    "is_active",
                    "must_change_password",
                    "is_superuser",
                    "last_login",
                    "date_joined",
                ]
            },
        ),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "name",
                    "role",
                    "office",
                    "court",
                    "agency",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    change_password_form = AdminPasswordResetForm
    actions = ["reset_two_factor"]

    @admin.action(description="重置双重验证（下次登录时重新设置身份验证器）")
    def reset_two_factor(self, request, queryset):
        users = list(queryset)
        TOTPDevice.objects.filter(user__in=users).delete()
        StaticDevice.objects.filter(user__in=users).delete()
        self.message_user(
            request,
            f"已重置{len(users)}个用户的双重验证，他们下次登录时须重新设置。",
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        if not change:
            # The administrator chose the first password: the user replaces it.
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if not request.user.is_superuser:
            users = users.filter(is_superuser=False)
        return users

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Only a superuser may hand out superuser rights; an administrator
        # must not be able to promote themselves past their role.
        if not request.user.is_superuser:
            fields.append("is_superuser")
        return fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_sync_role(user=form.instance)


# The second factor's devices are managed through the user list's action above, in
# Chinese; django-otp's own device pages are not shown.
for device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device):
        admin.site.unregister(device)
