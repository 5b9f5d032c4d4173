"""The page benchmark's report: each size's table and the growth from the smaller size."""

import importlib
import json
import sys

import pytest

from qianjiang_mediation.settings import BASE_DIR


@pytest.fixture(scope="module")
def pages():
    sys.path.insert(0, str(BASE_DIR / "bench"))
    try:
        yield importlib.import_module("pages")
    finally:
        sys.path.remove(str(BASE_DIR / "bench"))


def result(cases: int, baseline_rps: float, rows: list[tuple[str, float, int, float]]) -> dict:
    """A size's results as run_size returns them: (page, req/s, queries, KiB) per row."""
    return {
        "cases": cases,
        "grow_seconds": 1.0,
        "baseline_rps": [baseline_rps],
        "rows": [
            {
                "page": page,
                "url": "/",
                "user": "clerk",
                "rps": rps,
                "p50_ms": 50.0,
                "p99_ms": 90.0,
                "errors": 0,
                "requests": 1000,
                "queries": queries,
                "kib": kib,
                "ratio": rps / baseline_rps,
            }
            for page, rps, queries, kib in [("基准", baseline_rps, 5, 8.0), *rows]
        ],
        "worker_rss_kib": {
            "after_1000": 90112,
            "after_10000": 91136,
            "at_end": 91136,
            "requests": 12000,
        },
    }


SMALL = result(1000, 200.0, [("协议履行", 100.0, 7, 12.1)])
# The machine ran slower during the larger size: the baseline too.
LARGE = result(100000, 160.0, [("协议履行", 64.0, 7, 26.9)])


def test_each_size_shows_its_pages_size_beside_its_queries(pages):
    report = pages.table([SMALL])

    assert "| page | req/s | p50 ms | p99 ms | queries | KiB | ÷ baseline |" in report
    assert "| 协议履行 | 100.0 | 50 | 90 | 7 | 12.1 | 0.50 |" in report
    assert "### 100,000 ÷ 1,000 cases" not in report


def test_the_growth_takes_the_machines_speed_out_through_the_baseline(pages):
    report = pages.table([SMALL, LARGE])

    # 64 ÷ 100 req/s, but the baseline fell from 200 to 160: 0.40 ÷ 0.50 of it.
    assert "| 协议履行 | 100.0 | 64.0 | 0.64 | 0.50 → 0.40 | 0.80 | 7 → 7 | 12.1 → 26.9 |" in report


def test_the_growth_reads_the_other_size_from_an_earlier_run(pages):
    report = pages.table([LARGE], earlier=[SMALL])

    assert report.count("### 1,000 cases") == 0
    assert "| 协议履行 | 100.0 | 64.0 | 0.64 | 0.50 → 0.40 | 0.80 | 7 → 7 | 12.1 → 26.9 |" in report


def test_an_earlier_runs_results_without_sizes_shown_say_so(pages):
    older = json.loads(json.dumps(SMALL))
    for row in older["rows"]:
        del row["kib"]  # results written before the sizes were recorded

    report = pages.table([LARGE], earlier=[older])

    assert "| 7 → 7 | — → 26.9 |" in report
