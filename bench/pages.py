"""Benchmark: every list, search, dashboard and case page at 1,000 and 100,000 cases.

    make bench-pages BENCH_ARGS="--cases 1000,100000 --seconds 10 --database-url URL"
    (or: .venv/bin/python bench/pages.py [--cases 1000,100000] [--seconds 10] [--rounds 1]
         [--database-url postgres://…/qm_bench] [--workdir DIR] [--connections 10]
         [--reuse] [--compare earlier/pages.json])

Builds a throw-away database (SQLite by default; give --database-url for PostgreSQL,
whose database is dropped and created) with the demo data, then for each size, smallest
first: grows the demo office to that many cases (``manage.py grow_cases``), starts
gunicorn with production settings (DEBUG off, 5 sync workers, plain HTTP on a free port
of 127.0.0.1), signs in as each demo role by posting the login form, and runs wrk (or,
without wrk, a small threaded Python client) over each page for --seconds, with the
20-row baseline page (bench/site/bench_urls.py) run again every few pages. It counts
each page's queries once with Django's test client in this process, on the same
database.

It prints, per size, page · req/s · p50 · p99 · queries · KiB of HTML · ratio to the
baseline (its req/s over the mean req/s of the baseline runs just before and after it,
which saw the same load of the machine), then, when two sizes ran (or --compare gave
the pages.json of an earlier run at another size), each page's 100k/1k ratio of req/s
and of its ratios to the baseline with its queries and KiB at both sizes, and the
largest worker's resident memory after about 1,000 and 10,000 requests. The same
results go to pages.json and pages.md in the workdir.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from common import ROOT, setup

BASELINE = "20行基准页面（base.html）"
BASELINE_EVERY = 4  # the baseline page runs again after this many pages
ROLES = ("clerk", "mediator", "head", "court", "gov", "agency")


@dataclass
class Page:
    label: str
    user: str
    url: str
    queries: int | None = None
    kib: float | None = None  # the HTML's size: how much the page shows
    runs: list[dict] = field(default_factory=list)


def pages() -> list[Page]:
    """The pages to measure, with search terms and cases taken from the grown data."""
    from django.urls import reverse

    from cases.models import Case, Party, Referral
    from cases.models.case import Status

    register = reverse("cases:list")
    grown = Case.objects.order_by("-pk")
    sample = grown.filter(case_no__isnull=False).exclude(act_document_no="").first()
    # A referral signed for keeps its letter's number and has no registration number.
    registered = grown.filter(registration_no__isnull=False).first()
    assert sample is not None and registered is not None
    referral = Referral.objects.order_by("-pk").first()
    person = Party.objects.filter(kind=Party.Kind.NATURAL_PERSON, id_number__regex=r"^\d{17}")
    three = person.filter(name__regex=r"^...$").order_by("-pk").first()
    two = person.filter(name__regex=r"^..$").order_by("-pk").first()
    company = Party.objects.exclude(uscc="").order_by("-pk").first()

    def search(term: str | None) -> str:
        # An empty term would measure the whole register under a search's name.
        assert term, "the grown data has no case with this kind of number or name"
        return f"{register}?{urllib.parse.urlencode({'q': term})}"

    found = [
        Page(BASELINE, "clerk", reverse("bench_baseline")),
        Page("案件登记簿", "clerk", register),
        Page("登记簿按状态筛选（调解中）", "clerk", f"{register}?status={Status.IN_MEDIATION}"),
        Page("检索：案号", "clerk", search(sample.case_no)),
        Page("检索：登记号", "clerk", search(registered.registration_no)),
        Page("检索：委派函编号", "clerk", search(referral and referral.letter_no)),
        Page("检索：行政行为文号", "clerk", search(sample.act_document_no)),
        Page("检索：身份证号码", "clerk", search(three and three.id_number)),
        Page("检索：统一社会信用代码", "clerk", search(company and company.uscc)),
        Page("检索：三字姓名", "clerk", search(three and three.name)),
        Page("检索：两字姓名", "clerk", search(two and two.name)),
        Page("调解日程", "mediator", reverse("cases:agenda")),
        Page("期限提醒", "head", reverse("deadlines")),
        Page("协议履行", "clerk", reverse("agreements:performance")),
        Page("法院：委派案件", "court", reverse("cases:referrals")),
        Page("法院：司法确认申请", "court", reverse("agreements:confirmations")),
        Page("法院：终止调解报告", "court", reverse("cases:court_reports")),
        Page("行政诉讼台账（司法局）", "gov", reverse("liaison:lawsuits")),
        Page("司法建议台账（司法局）", "gov", reverse("liaison:suggestions")),
        Page("督察督办（司法局）", "gov", reverse("liaison:supervision_list")),
        Page("行政诉讼台账（机关）", "agency", reverse("liaison:lawsuits")),
    ]
    for role in ROLES:
        found.append(Page(f"首页（{role}）", role, reverse("home")))
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
            found.append(Page(f"案件页面（{status.label}）", "clerk", case.get_absolute_url()))
    return found


def count_queries(found: list[Page]) -> None:
    """Each page's queries, once, through Django's test client on the same database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    clients = {}
    for page in found:
        if page.user not in clients:
            clients[page.user] = Client()
            clients[page.user].force_login(User.objects.get(username=page.user))
        client = clients[page.user]
        client.get(page.url)  # warm the caches a worker would have warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url)
        page.queries = len(queries) if response.status_code == 200 else None
        page.kib = round(len(response.content) / 1024, 1) if response.status_code == 200 else None


# --- the server ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(workdir: Path, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DJANGO_DEBUG": "false",
        # A demo installation: elsewhere the demo accounts' public password never signs in.
        "DJANGO_DEMO": "true",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        # Plain HTTP on the loopback: no redirect to HTTPS, cookies without Secure.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SESSION_COOKIE_SECURE": "false",
        "DJANGO_CSRF_COOKIE_SECURE": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "qianjiang_mediation.wsgi",
            "--chdir",
            str(ROOT),
            "--pythonpath",
            str(ROOT / "bench" / "site"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=open(workdir / "gunicorn.log", "ab"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _, _ = request(port, "GET", "/healthz")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise RuntimeError(f"gunicorn did not start; see {workdir / 'gunicorn.log'}")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def worker_rss(server: subprocess.Popen) -> list[int]:
    """The resident memory (KiB) of each worker of the gunicorn master."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{server.pid}$", text, re.M):
            match = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
            if match:
                found.append(int(match[1]))
    return sorted(found)


def request(port: int, method: str, path: str, headers=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def cookies(headers) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            found[key.strip()] = rest.split(";", 1)[0]
    return found


def sign_in(port: int, username: str) -> str:
    """Post the login form as a browser does; returns the Cookie header to send."""
    from accounts.passwords import DEMO_PASSWORD

    status, headers, body = request(port, "GET", "/accounts/login/")
    csrf = cookies(headers)["csrftoken"]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert status == 200 and token, "no login form"
    form = urllib.parse.urlencode(
        {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token[1].decode()}
    )
    status, headers, _ = request(
        port,
        "POST",
        "/accounts/login/",
        {
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
        form,
    )
    session = cookies(headers).get("sessionid")
    if status != 302 or not session:
        # The form refused (a lockout, a changed sign-in flow): a session made as the
        # test client makes one, in the same database, still measures the pages.
        from django.test import Client

        from accounts.models import User

        print(
            f"  signing in as {username} through the form failed ({status}); "
            "using a session made directly",
            flush=True,
        )
        client = Client()
        client.force_login(User.objects.get(username=username))
        session = client.cookies["sessionid"].value
    return f"sessionid={session}; csrftoken={csrf}"


# --- the load tool ---------------------------------------------------------------------


def load(port: int, path: str, cookie: str, seconds: float, connections: int) -> dict:
    if shutil.which("wrk"):
        return wrk(port, path, cookie, seconds, connections)
    return python_client(port, path, cookie, seconds, connections)


def wrk(port: int, path: str, cookie: str, seconds: float, connections: int) -> dict:
    threads = min(2, connections)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "60s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
        if not match:
            return float("nan")
        scale = {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[match[2]]
        return float(match[1]) * scale

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    done = re.search(r"(\d+) requests in", out)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": float(rps[1]) if rps else 0.0,
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "requests": int(done[1]) if done else 0,
        "errors": int(errors[1]) if errors else 0,
    }


def python_client(port: int, path: str, cookie: str, seconds: float, connections: int) -> dict:
    """What wrk measures, with one thread and keep-alive connection per connection."""
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        while time.monotonic() < stop:
            start = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            with lock:
                times.append(time.perf_counter() - start)
                if response.status >= 400:
                    errors[0] += 1
        conn.close()

    began = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    times.sort()

    def pct(p: float) -> float:
        return times[min(len(times) - 1, int(p * len(times)))] * 1000 if times else float("nan")

    return {
        "rps": len(times) / elapsed,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "requests": len(times),
        "errors": errors[0],
    }


# --- one size ------------------------------------------------------------------------


def run_size(workdir: Path, cases: int, args: argparse.Namespace) -> dict:
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("grow_cases", cases=cases, verbosity=0)
    grown = time.perf_counter() - start
    print(f"\n== {cases:,} cases (grown in {grown:.0f} s) ==", flush=True)
    found = pages()
    count_queries(found)
    port = free_port()
    server = start_server(workdir, port, args.workers)
    memory: list[tuple[int, int]] = []  # (requests served so far, largest worker KiB)
    try:
        sessions = {role: sign_in(port, role) for role in ROLES}
        for page in found:  # every page answers 200 before it is timed
            status, _, _ = request(port, "GET", page.url, {"Cookie": sessions[page.user]})
            if status != 200:
                print(f"  {page.label}: HTTP {status}, left out", flush=True)
                page.queries = None
        timed = [p for p in found if p.label != BASELINE and p.queries is not None]
        baseline = found[0]
        served = 0
        sequence: list[tuple[Page, dict]] = []  # every run, in the order it ran
        for _ in range(args.rounds):
            for index, page in enumerate(timed):
                todo = [page]
                if index % BASELINE_EVERY == 0:
                    todo.insert(0, baseline)
                for each in todo:
                    result = load(
                        port, each.url, sessions[each.user], args.seconds, args.connections
                    )
                    each.runs.append(result)
                    sequence.append((each, result))
                    served += result["requests"]
                    memory.append((served, max(worker_rss(server) or [0])))
                    print(
                        f"  {pad(each.label, 30)} {result['rps']:8.1f} req/s  "
                        f"p50 {result['p50_ms']:7.0f} ms  p99 {result['p99_ms']:7.0f} ms"
                        + (f"  {result['errors']} errors" if result["errors"] else ""),
                        flush=True,
                    )
            last = load(port, baseline.url, sessions["clerk"], args.seconds, args.connections)
            baseline.runs.append(last)
            sequence.append((baseline, last))
    finally:
        stop_server(server)
    # Each run against the baseline runs just before and after it: the load of a shared
    # machine drifts, and the neighbours saw the same drift.
    for index, (page, result) in enumerate(sequence):
        if page is baseline:
            result["ratio"] = 1.0
            continue
        before = next(r for p, r in reversed(sequence[:index]) if p is baseline)
        after = next(r for p, r in sequence[index:] if p is baseline)
        result["ratio"] = result["rps"] / ((before["rps"] + after["rps"]) / 2 or 1)
    rows = []
    for page in [baseline, *timed]:
        rows.append(
            {
                "page": page.label,
                "url": page.url,
                "user": page.user,
                "rps": statistics.median(r["rps"] for r in page.runs),
                "p50_ms": statistics.median(r["p50_ms"] for r in page.runs),
                "p99_ms": statistics.median(r["p99_ms"] for r in page.runs),
                "errors": sum(r["errors"] for r in page.runs),
                "requests": sum(r["requests"] for r in page.runs),
                "queries": page.queries,
                "kib": page.kib,
                "ratio": statistics.median(r["ratio"] for r in page.runs),
            }
        )

    def rss_after(requests: int) -> int | None:
        return next((kib for n, kib in memory if n >= requests), None)

    return {
        "cases": cases,
        "grow_seconds": round(grown, 1),
        "baseline_rps": [round(r["rps"], 1) for r in baseline.runs],
        "rows": rows,
        "worker_rss_kib": {
            "after_1000": rss_after(1000),
            "after_10000": rss_after(10000),
            "at_end": memory[-1][1] if memory else None,
            "requests": served,
        },
    }


def pad(text: str, width: int) -> str:
    """Left-align text in a terminal, counting CJK characters as two columns."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 0)


# --- report --------------------------------------------------------------------------


def table(results: list[dict], earlier: Sequence[dict] = ()) -> str:
    """One table per size of ``results``, then the growth from the smallest to the largest
    size of those and of ``earlier`` (the results of another run, not printed again)."""
    lines = []
    for result in results:
        lines += [
            f"### {result['cases']:,} cases",
            "",
            "| page | req/s | p50 ms | p99 ms | queries | KiB | ÷ baseline |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for row in result["rows"]:
            queries = row["queries"] if row["queries"] is not None else "—"
            kib = row.get("kib") or "—"
            if not row["requests"]:  # not one answer within the round: make it longer
                lines.append(
                    f"| {row['page']} | 0 | — | — | {queries} | {kib} | 0 | no answer in time"
                )
                continue
            lines.append(
                f"| {row['page']} | {row['rps']:.1f} | {row['p50_ms']:.0f} | {row['p99_ms']:.0f}"
                f" | {queries} | {kib} | {row['ratio']:.2f} |"
                + (f" {row['errors']} errors" if row["errors"] else "")
            )
        rss = result["worker_rss_kib"]
        mib = {k: f"{v / 1024:.0f} MiB" if v else "—" for k, v in rss.items() if k != "requests"}
        lines += [
            "",
            f"Baseline req/s over the run: {', '.join(map(str, result['baseline_rps']))}. "
            f"Largest worker's memory after 1,000 requests {mib['after_1000']}, after 10,000 "
            f"{mib['after_10000']}, at the end {mib['at_end']} ({rss['requests']:,} requests).",
            "",
        ]
    sizes = sorted([*earlier, *results], key=lambda result: result["cases"])
    if len(sizes) >= 2:
        lines += growth(sizes[0], sizes[-1])
    return "\n".join(lines)


def growth(small: dict, large: dict) -> list[str]:
    """Each page's req/s at the larger size over the smaller; the same of its ratios to the
    baseline, which takes out how fast the machine was during each size's run; and what
    the page read and showed at each size (queries, KiB of HTML: a list whose window
    holds more rows at the larger size shows, and costs, more)."""
    before = {r["page"]: r for r in small["rows"]}
    sizes = f"{small['cases']:,} → {large['cases']:,}"
    lines = [
        f"### {large['cases']:,} ÷ {small['cases']:,} cases",
        "",
        f"| page | req/s {small['cases']:,} | req/s {large['cases']:,} | ratio"
        f" | ÷ baseline {sizes} | ratio of those | queries {sizes} | KiB {sizes} |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in large["rows"]:
        old = before.get(row["page"])
        if not (old and old["rps"] and old["ratio"]):
            continue
        lines.append(
            f"| {row['page']} | {old['rps']:.1f} | {row['rps']:.1f} "
            f"| {row['rps'] / old['rps']:.2f} | {old['ratio']:.2f} → {row['ratio']:.2f} "
            f"| {row['ratio'] / old['ratio']:.2f} | {old['queries']} → {row['queries']} "
            f"| {old.get('kib') or '—'} → {row.get('kib') or '—'} |"
        )
    lines.append("")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="1000,100000", help="sizes, comma-separated")
    parser.add_argument("--seconds", type=float, default=10, help="seconds of load per page")
    parser.add_argument("--rounds", type=int, default=1, help="times every page is run")
    parser.add_argument("--connections", type=int, default=10, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument("--database-url", help="a PostgreSQL database to use (dropped first)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database of an earlier run and only grow it (saves minutes at 100,000)",
    )
    parser.add_argument(
        "--compare",
        type=Path,
        help="the pages.json of an earlier run at other sizes, for the growth table",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=ROOT / "bench" / "results" / "pages",
        help="where the SQLite database, static files, gunicorn.log and results go",
    )
    args = parser.parse_args()
    sizes = sorted(int(n.replace("_", "")) for n in args.cases.split(","))
    # Read before the run, not after its minutes: a wrong path fails at once.
    earlier = (
        json.loads(args.compare.read_text(encoding="utf-8"))["results"] if args.compare else []
    )
    workdir = args.workdir.resolve()
    if workdir.exists() and not args.database_url and not args.reuse:
        (workdir / "bench.sqlite3").unlink(missing_ok=True)
    workdir.mkdir(parents=True, exist_ok=True)
    # The benchmark's settings and URLs, apart from bench/'s scripts (bench/documents.py
    # would hide the documents app).
    sys.path.append(str(ROOT / "bench" / "site"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["DJANGO_STATIC_ROOT"] = str(workdir / "static")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"
    print("setting up the database and the demo data …", flush=True)
    setup(workdir, args.database_url, fresh=not args.reuse)
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    tool = "wrk" if shutil.which("wrk") else "the Python client (wrk not installed)"
    print(
        f"load: {tool}, {args.connections} connections, {args.seconds:g} s per page, "
        f"{args.rounds} round(s), gunicorn {args.workers} sync workers",
        flush=True,
    )
    results = [run_size(workdir, size, args) for size in sizes]
    report = table(results, earlier)
    print()
    print(report)
    (workdir / "pages.json").write_text(
        json.dumps(
            {"seconds": args.seconds, "rounds": args.rounds, "tool": tool, "results": results},
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    (workdir / "pages.md").write_text(report, encoding="utf-8")
    print(f"written to {workdir / 'pages.md'} and pages.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
