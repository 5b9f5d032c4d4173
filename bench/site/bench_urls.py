"""Benchmark-only URLs: every product URL, and a baseline page on ``base.html``.

The baseline is what any signed-in page costs without the data: the session, the user,
the menu of ``base.html`` and a 20-row table, no query of its own. The page benchmark
(bench/pages.py) measures every page against it in the same run.
"""

from django.shortcuts import render
from django.urls import path

from qianjiang_mediation.urls import urlpatterns as product_urlpatterns

ROWS = [
    {
        "number": f"（2026）潜行调字第{n}号",
        "name": f"申请人{n}",
        "status": "调解中",
        "day": f"2026-11-{n:02d}",
    }
    for n in range(1, 21)
]


def baseline(request):
    return render(request, "bench/baseline.html", {"rows": ROWS})


urlpatterns = [path("bench/baseline/", baseline, name="bench_baseline"), *product_urlpatterns]
