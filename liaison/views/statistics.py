"""统计分析: the indicators of a period and scope, year on year, per agency, per field and
per court, with charts; every number opens the list of the records it counts, and every
table and list exports to Excel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import Court, Office, User
from cases.models import Agency
from cases.views.common import query_date
from liaison import exports
from liaison.indicators import (
    CITY,
    GOVERNMENT,
    INDICATORS,
    OFFICE,
    Figure,
    Period,
    Scope,
    definition_of_loss,
    figure,
    rounding_note,
)
from liaison.permissions import sees_government_figures, sees_office_figures, statistics_scope
from liaison.statistics import AGENCY_SORTS, by_agency, by_court, by_field, trend

PAGE = "statistics"
RECORDS_PER_PAGE = 50
PERIOD_KINDS = ("year", "quarter", "custom")


def _int(value: str, low: int, high: int) -> int | None:
    if value.isascii() and value.isdigit() and len(value) <= 4:
        number = int(value)
        if low <= number <= high:
            return number
    return None


def period_from(request: HttpRequest) -> Period:
    """The period asked for in the query string; a bad value shows this year with a message."""
    today = timezone.localdate()
    kind = request.GET.get("period", "year")
    year = _int(request.GET.get("year", ""), 2000, 2099)
    if kind == "quarter":
        quarter = _int(request.GET.get("quarter", ""), 1, 4)
        if year and quarter:
            return Period.quarter(year, quarter)
    elif kind == "custom":
        start = query_date(
            request, "start", date(today.year, 1, 1), what="起始日期", shown="本年1月1日起的数据"
        )
        end = query_date(request, "end", today, what="截止日期", shown="截至今天的数据")
        if start <= end:
            return Period(start, end)
        # Both as typed (a date put in place of a bad one has had its message).
        if [request.GET.get(n, "").strip() for n in ("start", "end")] == [
            start.isoformat(),
            end.isoformat(),
        ]:
            messages.warning(request, f"截止日期早于起始日期，已显示{today.year}年。")
        return Period.year(today.year)
    elif year:
        return Period.year(year)
    if request.GET.get("period") or request.GET.get("year"):
        messages.warning(request, f"统计期间不正确，已显示{today.year}年。")
    return Period.year(today.year)


def scope_from(request: HttpRequest) -> Scope:
    """The scope asked for, narrowed to what the user may see (404 for anything else)."""
    kind = request.GET.get("scope", "city")
    pk = _int(request.GET.get("id", "0"), 0, 10**9) if request.GET.get("id") else 0
    if kind not in ("city", "agency", "court", "office") or pk is None:
        raise Http404("没有这个统计范围")
    allowed = statistics_scope(request.user, kind, pk or 0)
    if allowed is None:
        raise PermissionDenied("您没有查看统计分析的权限。")
    kind, pk = allowed
    if kind == "city":
        return CITY
    model: Any = {"agency": Agency, "court": Court, "office": Office}[kind]
    record = model.objects.filter(pk=pk).first()
    if record is None:
        raise Http404("没有这个统计范围")
    return Scope(kind, pk, record.name)


def _query(period: Period, scope: Scope, **extra: Any) -> str:
    return urlencode({**period.query(), **scope.query(), **extra})


def records_url(
    code: str, period: Period, scope: Scope, part: str = "numerator", **extra: Any
) -> str:
    return (
        reverse("liaison:statistics_records")
        + "?"
        + _query(period, scope, indicator=code, part=part, **extra)
    )


def _change(now: Figure, before: Figure) -> str:
    """The change on the year before: percentage points for rates, a count otherwise."""
    if now.kind == "rate":
        if now.value is None or before.value is None or now.small_sample or before.small_sample:
            return "—"
        points = now.value - before.value
        return f"{points:+.2f}个百分点"
    if now.kind == "count":
        return f"{now.numerator - before.numerator:+d}"
    if now.kind == "days" and now.value is not None and before.value is not None:
        return f"{now.value - before.value:+}日"
    return "—"


def _volumes_url(period: Period, user: User | AnonymousUser) -> str:
    """The page of the justice bureau's quarterly returns of the period's year, which
    lists the quarters a volume indicator adds up among the year's others; none for a
    period across years, or for a user who may not read the returns."""
    if period.start.year != period.end.year or not user.has_perm(
        "liaison.view_reconsiderationvolume"
    ):
        return ""
    return reverse("liaison:reconsideration") + "?" + urlencode({"year": period.start.year})


def _rows(
    codes: list[str], period: Period, scope: Scope, user: User | AnonymousUser
) -> list[dict[str, Any]]:
    before = period.year_before()
    rows = []
    for code in codes:
        now = figure(code, period, scope)
        earlier = figure(code, before, scope)
        indicator = INDICATORS[code]
        if not now.applicable:
            numerator_url = denominator_url = ""
        elif indicator.kind == "volume":
            # Counted from the quarterly returns, not from records the register holds.
            numerator_url = denominator_url = _volumes_url(period, user)
        else:
            numerator_url = records_url(code, period, scope)
            denominator_url = (
                records_url(code, period, scope, "denominator") if indicator.kind == "rate" else ""
            )
        rows.append(
            {
                "figure": now,
                "before": earlier,
                "change": _change(now, earlier),
                "numerator_url": numerator_url,
                "denominator_url": denominator_url,
            }
        )
    return rows


LINKS = {
    "filed": ("filed", "numerator"),
    "concluded": ("concluded", "numerator"),
    "lost": ("lost", "numerator"),
    "head_rate_denominator": ("head_rate", "denominator"),
    "head_rate": ("head_rate", "numerator"),
    "principal_rate": ("principal_rate", "numerator"),
    "head_rate_rest": ("head_rate", "rest"),
    "late_replies": ("late_replies", "numerator"),
}


def _attach_links(row: Any, period: Period) -> None:
    """Each count of a table row opens the records it counts."""
    row.links = {
        key: records_url(code, period, row.scope, part) for key, (code, part) in LINKS.items()
    }


def _chart_data(period: Period, scope: Scope, years: list, agencies: list) -> dict[str, Any]:
    def number(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    return {
        "trend": {
            "years": [f"{y.year}年" for y in years],
            "filed": [y.filed for y in years],
            "concluded": [y.concluded for y in years],
            "lost": [y.lost for y in years],
            "loss_rate": [number(y.loss_rate.value) for y in years],
        },
        "losses": {
            "agencies": [r.label for r in agencies if r.counts["lost"]],
            "lost": [r.counts["lost"] for r in agencies if r.counts["lost"]],
        },
        "heads": {
            "agencies": [r.label for r in agencies if r.counts["hearings"]],
            "rate": [number(r.head_rate.value) for r in agencies if r.counts["hearings"]],
        },
    }


def statistics(request: HttpRequest) -> HttpResponse:
    government = sees_government_figures(request.user)
    office = sees_office_figures(request.user)
    if not (government or office):
        raise PermissionDenied("您没有查看统计分析的权限。")
    period = period_from(request)
    scope = scope_from(request)
    today = timezone.localdate()
    sort = request.GET.get("sort", "lost")
    sort = sort if sort in AGENCY_SORTS else "lost"
    context: dict[str, Any] = {
        "page": PAGE,
        "period": period,
        "scope": scope,
        "before": period.year_before(),
        "query": _query(period, scope),
        "sort": sort,
        "rounding": rounding_note(),
        "definitions": definition_of_loss(),
        "years": range(today.year, 2015, -1),
        "quarters": ((1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")),
        "period_quarter": (period.start.month - 1) // 3 + 1,
    }
    government_scope = scope.kind in ("city", "agency", "court")
    if government and government_scope:
        agencies = by_agency(
            period, today, only=scope.pk if scope.kind == "agency" else None, sort=sort
        )
        years = trend(period.end.year, scope)
        for row in agencies:
            _attach_links(row, period)
        courts = by_court(period) if scope.kind == "city" else []
        for row in courts:
            _attach_links(row, period)
        context.update(
            government_rows=_rows(GOVERNMENT, period, scope, request.user),
            agency_rows=agencies,
            fields=by_field(period, scope),
            courts=courts,
            trend=years,
            charts=_chart_data(period, scope, years, agencies),
        )
    if office and scope.kind in ("city", "office"):
        context["office_rows"] = _rows(OFFICE, period, scope, request.user)
    can_choose = statistics_scope(request.user, "city", 0) == ("city", 0)
    if can_choose:
        context.update(
            scope_agencies=Agency.objects.filter(is_active=True).only("pk", "name"),
            scope_courts=Court.objects.only("pk", "name"),
            scope_offices=Office.objects.only("pk", "name"),
        )
    context["can_choose_scope"] = can_choose
    return render(request, "liaison/statistics.html", context)


# --- Drill-down ------------------------------------------------------------------------------

PARTS = {"numerator": "计入分子的记录", "denominator": "计入分母的记录", "rest": "未计入分子的记录"}


def records_for(request: HttpRequest) -> tuple[Any, Period, Scope, str, Any]:
    code = request.GET.get("indicator", "")
    part = request.GET.get("part", "numerator")
    if code not in INDICATORS or part not in PARTS:
        raise Http404("没有这个指标")
    indicator = INDICATORS[code]
    period = period_from(request)
    scope = scope_from(request)
    if indicator.side == "office" and not sees_office_figures(request.user):
        raise PermissionDenied("您没有查看工作室办案统计的权限。")
    if indicator.side == "government" and not sees_government_figures(request.user):
        raise PermissionDenied("您没有查看府院联动统计的权限。")
    if indicator.kind in ("volume",) or not indicator.applies_to(scope):
        raise Http404("这个指标没有逐条记录")
    if part == "numerator":
        records = indicator.numerator_records(period, scope)
    elif part == "denominator":
        records = indicator.denominator_records(period, scope)
    else:
        if indicator.condition is None:
            raise Http404("这个指标没有分子")
        records = indicator.denominator_records(period, scope).exclude(indicator.condition)
    category = _int(request.GET.get("category", ""), 1, 10**9)
    if category and indicator.records == "lawsuit":
        records = records.filter(category_id=category)
    return indicator, period, scope, part, exports.with_columns(indicator.records, records)


def statistics_records(request: HttpRequest) -> HttpResponse:
    indicator, period, scope, part, records = records_for(request)
    page = Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "liaison/statistics_records.html",
        {
            "page": PAGE,
            "indicator": indicator,
            "figure": figure(indicator.code, period, scope),
            "period": period,
            "scope": scope,
            "part": PARTS[part],
            "part_code": part,
            "page_obj": page,
            "rows": list(
                zip(
                    exports.links_for(indicator.records, list(page), request.user),
                    [exports.row_of(indicator.records, record) for record in page],
                    strict=True,
                )
            ),
            "headers": exports.headers(indicator.records),
            "back": reverse("liaison:statistics") + "?" + _query(period, scope),
            "export": reverse("liaison:statistics_export")
            + "?"
            + request.GET.urlencode()
            + "&table=records",
        },
    )


def statistics_export(request: HttpRequest) -> HttpResponse:
    """Any table of the page, or any drill-down list, as an Excel workbook."""
    table = request.GET.get("table", "")
    if table == "records":
        indicator, period, scope, part, records = records_for(request)
        content = exports.records_workbook(indicator, period, scope, PARTS[part], records)
        name = f"{indicator.name}{PARTS[part]}"
    elif table in ("indicators", "agencies", "fields", "courts", "trend"):
        if not (sees_government_figures(request.user) or sees_office_figures(request.user)):
            raise PermissionDenied("您没有查看统计分析的权限。")
        if table != "indicators" and not sees_government_figures(request.user):
            raise PermissionDenied("您没有查看府院联动统计的权限。")
        period = period_from(request)
        scope = scope_from(request)
        content, name = exports.table_workbook(table, period, scope, request.user)
    else:
        raise Http404("没有这个表格")
    return exports.xlsx_response(content, f"{name}_{period.label}_{scope.label}")
