"""The project's URLs plus views that fail, for the error pages and the request log."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from qianjiang_mediation.urls import handler500
from qianjiang_mediation.urls import urlpatterns as project_urlpatterns

SECRET = "Traceback secret: /srv/qianjiang/private/cases/42 身份证 420983199001011234"


@login_not_required
def crash(request):
    raise RuntimeError(SECRET)


@login_not_required
def forbidden(request):
    raise PermissionDenied(SECRET)


@login_not_required
def bad(request):
    raise SuspiciousOperation(SECRET)


__all__ = ["handler500", "urlpatterns"]

urlpatterns = [
    path("boom/", crash),
    path("forbidden/", forbidden),
    path("bad/", bad),
    *project_urlpatterns,
]
