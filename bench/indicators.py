"""Benchmark: the statistics pages and the annual report over 100,000 mediation cases and
20,000 lawsuits.

    make bench-statistics   (or: .venv/bin/python bench/indicators.py
                             [--cases N] [--lawsuits N] [--database-url URL])

Builds a throw-away database (SQLite by default; give --database-url for PostgreSQL,
whose database is dropped and created) with the demo users and reference data, then
writes the volume directly in bulk, spread over 2021-2026: closed mediation cases, half
of them with an effective agreement and its obligation, the event that ended mediation,
some suspensions and confirmations; lawsuits with their defendant, a hearing and who
appeared, some outcomes, performances, judicial suggestions and replies. It then times
each page as the browser gets it (the whole request, as the bureau or the office head)
and issuing the annual report, counting queries. The target is under a second a page,
under five seconds to issue the report (it stores the id and label of every record
counted, so it reads rows, not only counts), and as many queries as at a tenth of the
volume; the script exits non-zero when one is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from common import setup

TARGET_SECONDS = 1.0
ISSUE_TARGET_SECONDS = 5.0
YEARS = range(2021, 2027)
BATCH = 5000


def build(cases: range, lawsuits: range) -> None:
    """Write the cases and lawsuits numbered in these ranges, in bulk (the services would
    take an hour; the figures only read the rows)."""
    from django.db import transaction

    from accounts.models import Court, Office, User
    from agreements.models import Agreement, Confirmation, Obligation
    from cases.models import Agency, Case, CaseEvent, DisputeCategory, Party, Suspension
    from cases.models.case import ActType, Source, Status
    from liaison.models import (
        Appearance,
        Defendant,
        Hearing,
        JudicialSuggestion,
        Lawsuit,
        Performance,
        Recipient,
        ResultType,
    )

    offices = list(Office.objects.all())
    courts = list(Court.objects.all())
    agencies = list(Agency.objects.all())
    categories = list(DisputeCategory.objects.all())
    results = list(ResultType.objects.filter(code__in=["revoked", "dismissed_claims", "withdrawn"]))
    clerk = User.objects.get(username="clerk")
    gov = User.objects.get(username="gov")
    days = (date(2026, 11, 30) - date(2021, 1, 4)).days

    def day(n: int) -> date:
        return date(2021, 1, 4) + timedelta(days=(n * 37) % days)

    with transaction.atomic():
        for start in range(cases.start, cases.stop, BATCH):
            rows = []
            for n in range(start, min(start + BATCH, cases.stop)):
                received = day(n)
                rows.append(
                    Case(
                        office=offices[n % len(offices)],
                        source=Source.SELF,
                        status=Status.CLOSED,
                        registration_no=f"潜争调登〔B{n}〕号",
                        received_date=received,
                        accepted_on=received + timedelta(days=3),
                        mediation_due=received + timedelta(days=33),
                        closed_on=received + timedelta(days=20 + n % 30),
                        category=categories[n % len(categories)],
                        act_type=ActType.PENALTY,
                        agency=agencies[n % len(agencies)],
                        facts_and_reasons="请求撤销处罚决定。",
                        created_by=clerk,
                    )
                )
            made = Case.objects.bulk_create(rows)
            agreed = [c for i, c in enumerate(made) if i % 2 == 0]
            agreements = Agreement.objects.bulk_create(
                Agreement(
                    case=c,
                    version=1,
                    parties_info="申请人、被申请人",
                    facts="事实",
                    result="协议",
                    effective_on=c.closed_on,
                    created_by=clerk,
                )
                for c in agreed
            )
            obligors = Party.objects.bulk_create(
                Party(case=c, role="respondent", kind="agency", name=c.agency.name, agency=c.agency)
                for c in agreed
            )
            Obligation.objects.bulk_create(
                Obligation(
                    agreement=a,
                    number=1,
                    obligor=obligor,
                    kind="payment",
                    description="退还罚款",
                    method="银行转账",
                    due_date=a.effective_on + timedelta(days=10),
                    status=Obligation.Status.PERFORMED if i % 5 else Obligation.Status.OVERDUE,
                )
                for i, (a, obligor) in enumerate(zip(agreements, obligors, strict=True))
            )
            Confirmation.objects.bulk_create(
                Confirmation(
                    agreement=a,
                    court=courts[0],
                    applied_on=a.effective_on + timedelta(days=5),
                    status=Confirmation.Status.CONFIRMED,
                    recorded_by=clerk,
                )
                for i, a in enumerate(agreements)
                if i % 4 == 0
            )
            CaseEvent.objects.bulk_create(
                CaseEvent(
                    case=c,
                    kind=CaseEvent.Kind.AGREEMENT_REACHED,
                    from_status=Status.IN_MEDIATION,
                    to_status=Status.AGREED,
                    data={"mediation_due": f"{c.mediation_due:%Y-%m-%d}"},
                )
                for c in agreed
            )
            Suspension.objects.bulk_create(
                Suspension(
                    case=c,
                    reason=Suspension.Reason.APPRAISAL,
                    started_on=c.accepted_on + timedelta(days=2),
                    ended_on=c.accepted_on + timedelta(days=7),
                    started_by=clerk,
                )
                for i, c in enumerate(made)
                if i % 10 == 0
            )
        for start in range(lawsuits.start, lawsuits.stop, BATCH):
            rows = []
            for n in range(start, min(start + BATCH, lawsuits.stop)):
                filed = day(n * 3)
                decided = n % 4 != 0
                result = results[n % len(results)] if decided else None
                rows.append(
                    Lawsuit(
                        court_case_no=f"（{filed.year}）鄂9005行初B{n}号",
                        number_key=f"b{n}",
                        instance="first",
                        court=courts[n % len(courts)],
                        category=categories[n % len(categories)],
                        act_in_dispute="行政处罚决定",
                        filed_on=filed,
                        result_type=result,
                        concluded_on=filed + timedelta(days=90) if decided else None,
                        status=Lawsuit.Status.DECIDED if decided else Lawsuit.Status.PENDING,
                        created_by=gov,
                    )
                )
            made = Lawsuit.objects.bulk_create(rows)
            Defendant.objects.bulk_create(
                Defendant(
                    lawsuit=s,
                    agency=agencies[i % len(agencies)],
                    part="defendant",
                    defence_due=s.filed_on + timedelta(days=20),
                )
                for i, s in enumerate(made)
            )
            hearings = Hearing.objects.bulk_create(
                Hearing(lawsuit=s, held_on=s.filed_on + timedelta(days=40), created_by=gov)
                for s in made
            )
            Appearance.objects.bulk_create(
                Appearance(
                    hearing=h,
                    agency=agencies[i % len(agencies)],
                    head_appeared=i % 3 != 0,
                    head_rank="deputy" if i % 3 else "",
                    head_spoke=i % 3 != 0,
                    recorded_at=h.created_at,
                )
                for i, h in enumerate(hearings)
            )
            Performance.objects.bulk_create(
                Performance(
                    lawsuit=s,
                    agency=agencies[i % len(agencies)],
                    duty="重新作出决定",
                    due_on=s.concluded_on + timedelta(days=60),
                    performed_on=s.concluded_on + timedelta(days=30) if i % 5 else None,
                    status=Performance.Status.PERFORMED if i % 5 else Performance.Status.OVERDUE,
                    created_by=gov,
                )
                for i, s in enumerate(made)
                if s.result_type and s.result_type.counts_as_loss
            )
        suggestions = JudicialSuggestion.objects.bulk_create(
            JudicialSuggestion(
                number=f"潜法建〔{day(n).year}〕B{n}号",
                number_key=f"jb{n}",
                court=courts[0],
                kind="case",
                subject="关于规范执法程序的司法建议",
                content="建议规范调查程序。",
                issued_on=day(n * 5),
                created_by=gov,
            )
            for n in range(lawsuits.start // 20, lawsuits.stop // 20)
        )
        Recipient.objects.bulk_create(
            Recipient(
                suggestion=s,
                agency=agencies[i % len(agencies)],
                received_on=s.issued_on + timedelta(days=2),
                reply_due=s.issued_on + timedelta(days=62),
                replied_on=s.issued_on + timedelta(days=50 if i % 4 else 70),
                status=Recipient.Status.REPLIED,
            )
            for i, s in enumerate(suggestions)
        )


def timed(action, rounds: int) -> tuple[float, int]:
    """The median seconds of ``rounds`` runs, and the queries of one run."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        action()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(queries)


def measure(rounds: int) -> dict[str, tuple[float, int]]:
    from django.conf import settings
    from django.test import Client, override_settings
    from django.urls import reverse

    from accounts.models import User
    from liaison.models import AnnualReport
    from liaison.services.meetings import report_issue

    bureau, head = Client(), Client()
    bureau.force_login(User.objects.get(username="gov"))
    head.force_login(User.objects.get(username="head"))
    statistics_url = reverse("liaison:statistics") + "?period=year&year=2025"
    pages = {
        "统计分析（司法局，2025年，全市）": (bureau, statistics_url),
        "统计分析（工作室主任）": (head, statistics_url + "&scope=office"),
        "败诉案件清单（第一页）": (
            bureau,
            reverse("liaison:statistics_records")
            + "?period=year&year=2025&indicator=loss_rate&part=numerator",
        ),
        "法治政府建设考评指标": (bureau, reverse("liaison:scorecard") + "?year=2025"),
        "分机关统计导出（Excel）": (
            bureau,
            reverse("liaison:statistics_export") + "?period=year&year=2025&table=agencies",
        ),
    }
    results = {}
    # The pages as served, but with the static files' plain names (nothing is collected).
    plain = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    def get(client: Client, url: str) -> None:
        with override_settings(STORAGES=plain, ALLOWED_HOSTS=["testserver"]):
            # Production settings: HTTPS only, so the client asks over HTTPS.
            response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code)

    for name, (client, url) in pages.items():
        results[name] = timed(lambda client=client, url=url: get(client, url), rounds)
    # Issuing the report stores every counted record's id with its label: it reads rows,
    # not only counts, so it has its own, longer target. Reading an issued one is a page.
    gov = User.objects.get(username="gov")
    # A version over the same records first: each timed issue is compared with it.
    report_issue(actor=gov, year=2025, note="基准测试")
    results["制发2025年度通报"] = timed(
        lambda: report_issue(actor=gov, year=2025, note="基准测试"), rounds
    )
    latest = AnnualReport.objects.filter(year=2025).latest("version")
    results["年度通报页面"] = timed(lambda: get(bureau, latest.get_absolute_url()), rounds)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--lawsuits", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3, help="timed runs per page")
    parser.add_argument("--database-url", help="a PostgreSQL database to use (dropped first)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp), args.database_url)
        # A tenth of the volume first: its query counts are the ones to hold at full volume
        # (on the demo data alone some lists are empty, and an empty list prefetches nothing).
        tenth_cases, tenth_lawsuits = args.cases // 10, args.lawsuits // 10
        build(range(tenth_cases), range(tenth_lawsuits))
        baseline = measure(1)
        start = time.perf_counter()
        build(range(tenth_cases, args.cases), range(tenth_lawsuits, args.lawsuits))
        print(
            f"built {args.cases} cases and {args.lawsuits} lawsuits "
            f"in {time.perf_counter() - start:.0f} s (after a tenth of them)"
        )
        # Fresh statistics for the query planner, as PostgreSQL's autovacuum keeps them.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        ok = True
        for name, (seconds, queries) in measure(args.rounds).items():
            target = ISSUE_TARGET_SECONDS if name.startswith("制发") else TARGET_SECONDS
            same = queries == baseline[name][1]
            fast = seconds < target
            ok = ok and same and fast
            print(
                f"{name:<24} {seconds * 1000:7.0f} ms (< {target:.0f} s)  {queries:3d} queries "
                f"(a tenth of the volume: {baseline[name][1]})  "
                f"{'ok' if same and fast else 'MISSED'}"
            )
        print("queries: as many as at a tenth of the volume")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
