"""What every page needs about the signed-in user: their work areas and unread notices."""

from django.http import HttpRequest

from cases.models import Notification
from qianjiang_mediation.navigation import work_areas


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # One indexed count per request, however many templates (page, panels) render.
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = Notification.objects.filter(
            recipient=user, read_at__isnull=True
        ).count()
    # The page and each panel of it (rendered with the request) ask again: the areas are
    # worked out once per request.
    if not hasattr(request, "_work_areas"):
        request._work_areas = work_areas(user)
    return {
        "work_areas": request._work_areas,
        "unread_notifications": request._unread_notifications,
    }
