from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """Each role's landing page: who they are and the work areas they can open."""
    return render(request, "accounts/home.html", {"page": "home"})
