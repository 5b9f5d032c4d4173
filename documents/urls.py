from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("cases/<int:pk>/documents/make/", views.generate, name="generate"),
    path(
        "cases/<int:pk>/documents/<int:document_pk>/<str:fmt>/",
        views.download,
        name="download",
    ),
]
