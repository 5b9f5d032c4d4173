"""Every list, dashboard and home page's queries, with their EXPLAIN ANALYZE time.

    DATABASE_URL=postgres://…/qm_big .venv/bin/python bench/explain_pages.py
        [--match 首页] [--all] [--top 5] [--plans 5.0]

Runs on the database as it is (grow it first with ``manage.py grow_cases --cases N``;
nothing is created or dropped). For each page of bench/pages.py (the list, dashboard and
home pages; ``--all`` adds the searches and the case pages) it signs in as the page's demo
user with Django's test client, loads the page once to warm the caches, captures the
queries of a second load and runs ``EXPLAIN (ANALYZE, BUFFERS)`` on each of them. It
prints each page's total query time and its slowest queries (``--top``), and the whole
plan of every query slower than ``--plans`` milliseconds, so a query whose cost grows
with the data shows what it reads. PostgreSQL only (SQLite has no EXPLAIN ANALYZE).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.append(str(ROOT / "bench" / "site"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["DJANGO_DEMO"] = "true"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,testserver")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    # Production's template caching (DEBUG off), without the collected static files'
    # manifest the default storage would need.
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault(
        "DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    import django

    django.setup()


def explain(sql: str) -> tuple[float, int, str]:
    """(execution ms, shared buffers read or hit, the plan as text) of one query."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        (plan,) = cursor.fetchone()
        if isinstance(plan, str):
            plan = json.loads(plan)
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        text = "\n".join(row[0] for row in cursor.fetchall())
    top = plan[0]
    node = top["Plan"]
    buffers = node.get("Shared Hit Blocks", 0) + node.get("Shared Read Blocks", 0)
    return top["Execution Time"], buffers, text


def variants() -> list:
    """Other tabs and filters of the same pages: each reads its own window too."""
    from django.urls import reverse
    from pages import Page

    from cases.models.case import Status

    register = reverse("cases:list")
    referrals = reverse("cases:referrals")
    return [
        Page("登记簿按期限排序", "clerk", f"{register}?sort=deadline"),
        Page("登记簿：已超期", "clerk", f"{register}?deadline=overdue"),
        Page("登记簿：最后一页", "clerk", f"{register}?page=last"),
        Page("期限提醒（我的）", "mediator", reverse("deadlines") + "?mine=1"),
        Page("协议履行（全部）", "clerk", reverse("agreements:performance") + "?show=all"),
        Page("法院：委派案件（已签收）", "court", f"{referrals}?status=signed"),
        Page("法院：委派案件（被退回）", "court", f"{referrals}?status={Status.REFERRAL_RETURNED}"),
        Page("法院：终止调解报告（全部）", "court", reverse("cases:court_reports") + "?show=all"),
        Page(
            "法院：司法确认申请（全部）", "court", reverse("agreements:confirmations") + "?show=all"
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--match", default="", help="only pages whose label contains this")
    parser.add_argument("--all", action="store_true", help="also the searches and case pages")
    parser.add_argument("--top", type=int, default=5, help="slowest queries shown per page")
    parser.add_argument(
        "--plans", type=float, default=None, help="print the plan of queries slower (ms)"
    )
    parser.add_argument("--width", type=int, default=160, help="characters of SQL shown")
    parser.add_argument(
        "--time",
        type=int,
        default=0,
        help="also load each page this many times and print its mean time beside the baseline's",
    )
    parser.add_argument(
        "--variants",
        action="store_true",
        help="also the pages' other tabs and filters (VARIANTS), which bench/pages.py skips",
    )
    args = parser.parse_args()
    setup()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    sys.path.insert(0, str(ROOT / "bench"))
    from pages import BASELINE, pages

    from cases.models import Case

    if connection.vendor != "postgresql":
        print("EXPLAIN ANALYZE needs PostgreSQL: set DATABASE_URL.", file=sys.stderr)
        return 2
    print(f"{Case.objects.count():,} cases\n")
    found = [
        p
        for p in pages()
        if p.label != BASELINE
        and (args.all or not (p.label.startswith("检索") or p.label.startswith("案件页面")))
        and args.match in p.label
    ]
    if args.variants:
        found += [p for p in variants() if args.match in p.label]
    clients: dict[str, Client] = {}
    summary = []
    timings: dict[str, float] = {}

    def timed(page) -> float:
        """Mean milliseconds of ``--time`` loads (the queries and the rendering)."""
        client = clients[page.user]
        start = time.perf_counter()
        for _ in range(args.time):
            client.get(page.url)
        return (time.perf_counter() - start) * 1000 / args.time

    if args.time:
        baseline = next(p for p in pages() if p.label == BASELINE)
        clients[baseline.user] = Client()
        clients[baseline.user].force_login(User.objects.get(username=baseline.user))
        clients[baseline.user].get(baseline.url)
        timings[BASELINE] = timed(baseline)
    for page in found:
        if page.user not in clients:
            clients[page.user] = Client()
            clients[page.user].force_login(User.objects.get(username=page.user))
        client = clients[page.user]
        client.get(page.url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.url)
        count = len(captured)  # before another request resets the connection's query log
        rows = []
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            ms, buffers, text = explain(sql)
            rows.append((ms, buffers, sql, text))
        if args.time:
            timings[page.label] = timed(page)
        rows.sort(key=lambda r: -r[0])
        total = sum(r[0] for r in rows)
        summary.append((page.label, page.user, total, count, response.status_code))
        print(
            f"== {page.label} ({page.user}, {page.url}) · HTTP {response.status_code} · "
            f"{count} queries · {total:.1f} ms"
        )
        for ms, buffers, sql, _ in rows[: args.top]:
            print(f"  {ms:8.2f} ms {buffers:7d} buf  {' '.join(sql.split())[: args.width]}")
        if args.plans is not None:
            for ms, _, sql, text in rows:
                if ms >= args.plans:
                    print(f"\n  -- {ms:.2f} ms\n  {sql}\n")
                    print("\n".join("    " + line for line in text.splitlines()))
        print()
    print("== summary: page · user · queries · total EXPLAIN ANALYZE ms")
    for label, user, total, n, status in sorted(summary, key=lambda s: -s[2]):
        print(f"  {total:9.1f} ms  {n:3d} q  {label} ({user}){'' if status == 200 else status}")
    if timings:
        base = timings[BASELINE]
        print(f"\n== mean time of {args.time} loads (test client, one process) · baseline/page")
        print(f"  {base:8.1f} ms         {BASELINE}")
        for label, ms in sorted(timings.items(), key=lambda t: -t[1]):
            if label != BASELINE:
                print(f"  {ms:8.1f} ms  {base / ms:5.2f}  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
