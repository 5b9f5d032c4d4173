from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from accounts import audit_views, two_factor
from accounts import views as account_views
from accounts.forms import OwnPasswordChangeForm
from qianjiang_mediation import health
from qianjiang_mediation import views as project_views

admin.site.site_header = "潜江市行政争议化解工作室 · 系统管理"
admin.site.site_title = "系统管理"
admin.site.index_title = "基础数据与用户"

handler500 = "qianjiang_mediation.errors.server_error"


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on every page, the admin included."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    # Answered by HealthCheckMiddleware before the other middlewares; named here to reverse it.
    path("healthz", health.healthz, name="healthz"),
    path("", project_views.home, name="home"),
    path("deadlines/", project_views.deadlines, name="deadlines"),
    path("notifications/", project_views.notifications, name="notifications"),
    path("notifications/read/", project_views.notifications_read, name="notifications_read"),
    path(
        "notifications/<int:pk>/read/",
        project_views.notification_read,
        name="notification_read",
    ),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/session/", account_views.session_status, name="session_status"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("accounts/two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("accounts/two-factor/", two_factor.verify, name="two_factor_verify"),
    path(
        "accounts/two-factor/recovery-codes/",
        two_factor.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(form_class=OwnPasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("cases.urls")),
    path("", include("agreements.urls")),
    path("", include("documents.urls")),
    path("liaison/", include("liaison.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
