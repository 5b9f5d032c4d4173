from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("cases/<int:pk>/agreements/new/", views.agreement_new, name="new"),
    path("cases/<int:pk>/agreements/<int:agreement_pk>/", views.agreement_page, name="detail"),
    path("cases/<int:pk>/agreements/<int:agreement_pk>/edit/", views.agreement_edit, name="edit"),
    path(
        "cases/<int:pk>/agreements/<int:agreement_pk>/checklist/",
        views.checklist,
        name="checklist",
    ),
    path(
        "cases/<int:pk>/agreements/<int:agreement_pk>/sign/<int:party_pk>/",
        views.signature_new,
        name="sign",
    ),
    path(
        "cases/<int:pk>/agreements/<int:agreement_pk>/mediator-sign/",
        views.mediator_sign,
        name="mediator_sign",
    ),
    path("cases/<int:pk>/agreements/<int:agreement_pk>/seal/", views.office_seal, name="seal"),
    path(
        "cases/<int:pk>/agreements/<int:agreement_pk>/court-filing/",
        views.court_filing,
        name="court_filing",
    ),
    path("cases/<int:pk>/agreements/<int:agreement_pk>/revise/", views.revise, name="revise"),
    path(
        "cases/<int:pk>/agreements/<int:agreement_pk>/confirmation/",
        views.confirmation_new,
        name="confirmation_new",
    ),
    path(
        "cases/<int:pk>/agreements/<int:agreement_pk>/nonperformance/",
        views.nonperformance,
        name="nonperformance",
    ),
    path(
        "cases/<int:pk>/obligations/<int:obligation_pk>/perform/",
        views.obligation_perform,
        name="perform",
    ),
    path("court/confirmations/", views.confirmations, name="confirmations"),
    path(
        "court/confirmations/<int:confirmation_pk>/",
        views.confirmation_outcome,
        name="outcome",
    ),
    path("performance/", views.performance, name="performance"),
]
