"""Template context every page needs about the signed-in user."""

from django.http import HttpRequest

from qianjiang_mediation.navigation import work_areas


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"work_areas": work_areas(user)}
