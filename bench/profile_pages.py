"""Profile: where the time of the register and the case pages goes, in one process.

    .venv/bin/python bench/profile_pages.py [--cases 1000] [--runs 30] [--top 25]
        [--database-url postgres://…/qm_profile] [--workdir DIR] [--reuse]
        [--only register|case:agreed|…] [--page ROLE:URL …] [--save-html DIR]

Builds a throw-away database (SQLite under --workdir, bench/results/profile/ by default,
or the PostgreSQL database of --database-url, dropped and created) with the demo data
grown to --cases cases (``manage.py seed_demo``, ``manage.py grow_cases``); --reuse keeps
the database of an earlier run. Then, with production settings (DEBUG off, so the cached
template loader; the benchmark's settings of bench/site/ for the 20-row baseline page of
base.html), it loads the baseline, the register and the case page of the newest case in
each state (the cases bench/pages.py loads) through Django's test client as the demo
clerk (``--page mediator:/cases/agenda/`` profiles any other page as the demo user of that
role instead), and for each page:

* runs it --runs times (after two warm-up requests) and prints the median ms per request
  (wall clock; the mean too) and the median CPU ms of this process, the ms spent in SQL
  (every query, timed by a connection wrapper; on SQLite the rows are read after that, so
  PostgreSQL gives the truer split), the ms spent rendering templates (the page's and
  every panel's, with the SQL those templates run) and the template ms without that SQL;
  the number of queries; and the baseline's ms over the page's (about the share of the
  baseline's req/s a worker would serve);
* runs it --runs times more under cProfile and prints, per request: the templates and
  blocks by their own time (what their nodes cost without the templates they include and
  the blocks they render; a block counts for the template that defines it), the project's
  functions by cumulative time (views, selectors, panels, template tags and filters such
  as ``case_ui.py:due_cell``, context processors) and all functions by their own time.

A machine shared with other work makes the wall clock noisy: compare the CPU column, or
runs made one after the other. --save-html DIR writes each page's HTML (CSRF tokens and
CSP nonces blanked) to DIR, to diff the pages before and after a change on the same
database.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from common import ROOT, setup


@dataclass
class Timing:
    """What the instruments saw during the requests of one page."""

    sql_ms: float = 0.0
    template_sql_ms: float = 0.0
    template_ms: float = 0.0
    queries: int = 0
    # template name -> own ms (without the templates it includes or extends)
    own: dict[str, float] = field(default_factory=lambda: defaultdict(float))


class Instruments:
    """Times SQL through a connection wrapper and templates by wrapping
    ``Template._render`` (includes render through it, an extending template renders its
    parent's ``_render``)."""

    def __init__(self) -> None:
        self.current = Timing()
        self.stack: list[list[float]] = []  # [start, time of nested templates]

    def install(self) -> None:
        from django.db import connection
        from django.template import base, loader_tags

        original = base.Template._render
        instruments = self

        def timed_render(template, context):
            entry = [time.perf_counter(), 0.0]
            instruments.stack.append(entry)
            try:
                return original(template, context)
            finally:
                instruments.stack.pop()
                spent = time.perf_counter() - entry[0]
                name = template.origin.template_name or template.origin.name
                instruments.current.own[str(name)] += (spent - entry[1]) * 1000
                if instruments.stack:
                    instruments.stack[-1][1] += spent
                else:
                    instruments.current.template_ms += spent * 1000

        base.Template._render = timed_render  # type: ignore[method-assign]

        # A child template's blocks render inside its parent's _render: time each block
        # as its own frame, named after the template that defines it.
        original_block = loader_tags.BlockNode.render

        def timed_block(node, context):
            entry = [time.perf_counter(), 0.0]
            instruments.stack.append(entry)
            try:
                return original_block(node, context)
            finally:
                instruments.stack.pop()
                spent = time.perf_counter() - entry[0]
                block = context.render_context.get(loader_tags.BLOCK_CONTEXT_KEY)
                shown = block.get_block(node.name) if block is not None else None
                origin = getattr(shown or node, "origin", None)
                name = f"{getattr(origin, 'template_name', '?')} {{% block {node.name} %}}"
                instruments.current.own[name] += (spent - entry[1]) * 1000
                instruments.stack[-1][1] += spent

        loader_tags.BlockNode.render = timed_block  # type: ignore[method-assign]

        def timed_sql(execute, sql, params, many, context):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent = (time.perf_counter() - start) * 1000
                instruments.current.sql_ms += spent
                instruments.current.queries += 1
                if instruments.stack:
                    instruments.current.template_sql_ms += spent

        connection.execute_wrappers.append(timed_sql)


def pages() -> list[tuple[str, str]]:
    """(label, url): the baseline, the register and a case page per state."""
    from django.urls import reverse

    from cases.models import Case
    from cases.models.case import Status

    found = [("baseline", reverse("bench_baseline")), ("register", reverse("cases:list"))]
    grown = Case.objects.order_by("-pk")
    for status in (
        Status.REGISTERED,
        Status.REFERRAL_PENDING,
        Status.IN_MEDIATION,
        Status.AGREED,
        Status.CLOSED,
        Status.ARCHIVED,
    ):
        case = grown.filter(status=status).first()
        if case:
            found.append((f"case:{status.value}", case.get_absolute_url()))
    return found


VOLATILE = [
    (
        re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'),
        'name="csrfmiddlewaretoken" value=""',
    ),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="cases to grow the demo to")
    parser.add_argument("--runs", type=int, default=30, help="requests per page and pass")
    parser.add_argument("--top", type=int, default=25, help="functions listed per page")
    parser.add_argument("--database-url", help="a PostgreSQL database to use (dropped first)")
    parser.add_argument("--reuse", action="store_true", help="keep an earlier run's database")
    parser.add_argument("--save-html", type=Path, help="write each page's HTML to this folder")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=ROOT / "bench" / "results" / "profile",
        help="where the SQLite database and the static files go",
    )
    parser.add_argument(
        "--only", help="profile only this page (and the baseline): register, case:agreed …"
    )
    parser.add_argument(
        "--page",
        action="append",
        default=[],
        metavar="ROLE:URL",
        help="profile this page as this demo user instead (repeatable): mediator:/cases/agenda/",
    )
    args = parser.parse_args()
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    sys.path.append(str(ROOT / "bench" / "site"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["DJANGO_STATIC_ROOT"] = str(workdir / "static")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"
    reuse = args.reuse and (args.database_url or (workdir / "bench.sqlite3").exists())
    if reuse:
        # The database is there: only point Django at it.
        sys.path.insert(0, str(ROOT))
        os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
        os.environ["DJANGO_PRIVATE_FILES_ROOT"] = str(workdir / "private")
        os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
        os.environ.setdefault("DJANGO_DEBUG", "false")
        os.environ["DJANGO_DEMO"] = "true"
        os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
        import django

        django.setup()
    else:
        if not args.database_url:
            (workdir / "bench.sqlite3").unlink(missing_ok=True)
        print("setting up the database and the demo data …", flush=True)
        setup(workdir, args.database_url)
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User

    call_command("grow_cases", cases=args.cases, verbosity=0)
    if not (workdir / "static" / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    loaders = settings.TEMPLATES[0]["OPTIONS"].get("loaders", "default (cached when DEBUG off)")
    print(
        f"DEBUG={settings.DEBUG}, database {engine}, template loaders: {loaders}; "
        f"{args.runs} requests per page and pass",
        flush=True,
    )

    instruments = Instruments()
    instruments.install()
    clients: dict[str, Client] = {}

    def client_of(role: str) -> Client:
        if role not in clients:
            clients[role] = Client()
            clients[role].force_login(User.objects.get(username=role))
        return clients[role]

    found = [(label, url, "clerk") for label, url in pages()]
    if args.only:
        found = [page for page in found if page[0] in ("baseline", args.only)]
    if args.page:
        found = found[:1] + [
            (page, page.partition(":")[2], page.partition(":")[0]) for page in args.page
        ]
    if args.save_html:
        args.save_html.mkdir(parents=True, exist_ok=True)

    summary = []
    for label, url, role in found:
        client = client_of(role)
        for _ in range(2):  # warm the caches a worker would have warm
            response = client.get(url)
            assert response.status_code == 200, (label, url, response.status_code)
        if args.save_html:
            html = response.content.decode()
            for pattern, blank in VOLATILE:
                html = pattern.sub(blank, html)
            name = re.sub(r"[^\w]+", "-", label).strip("-")  # court:/referrals/?status=x
            (args.save_html / f"{name}.html").write_text(html, encoding="utf-8")

        instruments.current = Timing()
        walls, cpus = [], []
        for _ in range(args.runs):
            wall, cpu = time.perf_counter(), time.process_time()
            client.get(url)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        timing = instruments.current
        row = {
            "label": label,
            "url": url,
            # The median resists the other load of a shared machine better than the mean.
            "total": statistics.median(walls),
            "mean": statistics.mean(walls),
            "cpu": statistics.median(cpus),
            "sql": timing.sql_ms / args.runs,
            "template": timing.template_ms / args.runs,
            "template_sql": timing.template_sql_ms / args.runs,
            "queries": timing.queries / args.runs,
        }
        summary.append(row)

        instruments.current = Timing()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            client.get(url)
        profiler.disable()
        own = instruments.current.own
        print(f"\n=== {label}  {url}")
        print(
            f"    {row['total']:.1f} ms/request (median; mean {row['mean']:.1f}, CPU "
            f"{row['cpu']:.1f}), SQL {row['sql']:.1f} ms ({row['queries']:.0f} "
            f"queries), templates {row['template']:.1f} ms "
            f"(of which SQL {row['template_sql']:.1f} ms)"
        )
        print("    templates by own time, ms per request (under the profiler):")
        for name, ms in sorted(own.items(), key=lambda item: -item[1])[:12]:
            print(f"      {ms / args.runs:7.2f}  {name}")
        stats = pstats.Stats(profiler)
        entries = []
        for (filename, line, name), (_, calls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
            short = filename.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
            entries.append((cumtime, tottime, calls, short, f"{short}:{line}:{name}"))
        # The project's own functions (views, selectors, panels, template tags, context
        # processors) by cumulative time, leaving out the middleware every page passes.
        ours = [
            e
            for e in entries
            if not e[3].startswith(("/", "<", "{", "~", "django/", "bench/"))
            and "middleware" not in e[3]
            and not e[4].endswith("__call__")
        ]
        print("    the project's functions by cumulative time, ms per request (profiler on):")
        for cumtime, tottime, calls, _, where in sorted(ours, reverse=True)[: args.top]:
            print(
                f"      {cumtime * 1000 / args.runs:7.2f} cum {tottime * 1000 / args.runs:6.2f} "
                f"own {calls / args.runs:6.0f}x  {where}"
            )
        print("    all functions by own time, ms per request (profiler on):")
        for cumtime, tottime, calls, _, where in sorted(entries, key=lambda e: -e[1])[: args.top]:
            print(
                f"      {tottime * 1000 / args.runs:7.2f} own {cumtime * 1000 / args.runs:7.2f} "
                f"cum {calls / args.runs:6.0f}x  {where}"
            )

    baseline = next((r for r in summary if r["label"] == "baseline"), None)
    print(
        "\npage                      ms/req   CPU ms   SQL ms  tmpl ms  tmpl-SQL  queries"
        "  baseline/page"
    )
    for row in summary:
        ratio = baseline["total"] / row["total"] if baseline else float("nan")
        print(
            f"{row['label']:<24} {row['total']:8.1f} {row['cpu']:8.1f} {row['sql']:8.1f} "
            f"{row['template']:8.1f} "
            f"{row['template'] - row['template_sql']:9.1f} {row['queries']:8.0f} {ratio:13.0%}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
