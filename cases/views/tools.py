from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases.deadlines import load_work_calendar
from cases.forms.tools import DeadlineCalculatorForm
from cases.models import Agency, CalendarDay
from cases.views.common import query_text, query_year

AGENCY_PAGE_SIZE = 50


@permission_required("cases.view_calendarday", raise_exception=True)
def deadline_calculator(request: HttpRequest) -> HttpResponse:
    deadline = None
    if "start" in request.GET:
        form = DeadlineCalculatorForm(request.GET)
        if form.is_valid():
            deadline = form.deadline_rule().compute(
                form.cleaned_data["start"], load_work_calendar()
            )
    else:
        form = DeadlineCalculatorForm(initial={"start": timezone.localdate()})
    return render(
        request,
        "cases/deadline_calculator.html",
        {"page": "deadline_calculator", "form": form, "deadline": deadline},
    )


@permission_required("cases.view_agency", raise_exception=True)
def agency_list(request: HttpRequest) -> HttpResponse:
    query = query_text(request, "q", 50)
    agencies = Agency.objects.filter(is_active=True)
    if query:
        agencies = agencies.filter(
            Q(name__icontains=query) | Q(short_name__icontains=query) | Q(uscc=query.upper())
        )
    page = Paginator(agencies, AGENCY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/agency_list.html",
        {"page": "agencies", "page_obj": page, "query": query},
    )


@permission_required("cases.view_calendarday", raise_exception=True)
def calendar(request: HttpRequest) -> HttpResponse:
    years = sorted({d.year for d in CalendarDay.objects.dates("date", "year")}, reverse=True)
    year = query_year(request, "year", timezone.localdate().year)
    days = CalendarDay.objects.filter(date__year=year)
    return render(
        request,
        "cases/calendar.html",
        {"page": "calendar", "year": year, "years": years, "days": days},
    )
