from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("tools/deadline/", views.deadline_calculator, name="deadline_calculator"),
    path("reference/agencies/", views.agency_list, name="agency_list"),
    path("reference/calendar/", views.calendar, name="calendar"),
]
