"""Benchmark-only settings: the product's, plus the 20-row baseline page of bench_urls."""

from qianjiang_mediation.settings import *  # noqa: F403
from qianjiang_mediation.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench_urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "site" / "templates"]
