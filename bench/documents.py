"""Benchmark: how long making each document takes, and the memory it needs.

    make bench            (or: .venv/bin/python bench/documents.py [--rounds N])

Builds a throw-away SQLite database with the demo data, then for each document
type times (a) rendering alone, from the stored data, and (b) the whole
``generate`` service: reading the case, rendering PDF and DOCX, storing both.
The target of the product is "well under a second" per document; the script
exits non-zero when a median misses TARGET_SECONDS.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import setup

TARGET_SECONDS = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed runs per document type")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp))
        from pypdf import PdfReader

        from accounts.models import User
        from cases.models import Case
        from documents import services
        from documents.content import SPECS, MissingData
        from documents.models import Document
        from documents.rendering import render

        clerk = User.objects.get(username="clerk")
        # One realistic case per type: the most recent that can have it.
        samples = {}
        for case in Case.objects.order_by("-id").iterator():
            for spec, subjects in services.available(case):
                if spec.kind.value in samples:
                    continue
                for subject in subjects:
                    try:
                        spec.build(case, subject)
                    except MissingData:  # this case lacks data for it: try another
                        continue
                    samples[spec.kind.value] = (case, subject)
                    break
            if len(samples) == len(SPECS):
                break

        # Warm up: the first render in a process loads fonts (~0.5 s once).
        case, subject = next(iter(samples.values()))
        first_kind = next(iter(samples))
        start = time.perf_counter()
        render(
            services.template_for(first_kind),
            SPECS[first_kind].title,
            SPECS[first_kind].build(case, subject),
        )
        warmup = time.perf_counter() - start

        print(f"first render in the process (fonts loading): {warmup:.2f} s")
        print(
            f"{'document':<28}{'pages':>6}{'render median':>15}{'generate median':>17}{'max':>8}{'PDF KiB':>9}{'DOCX KiB':>10}"
        )
        worst = 0.0
        for kind, (case, subject) in samples.items():
            spec = SPECS[kind]
            data = spec.build(case, subject)
            template = services.template_for(kind)
            renders, generates = [], []
            rendered = None
            for _ in range(args.rounds):
                start = time.perf_counter()
                rendered = render(template, spec.title, data)
                renders.append(time.perf_counter() - start)
            for _ in range(args.rounds):
                # Unchanged data gives no new version; forget the digests so each round
                # does the whole work (render, store two files, record the event).
                Document.objects.filter(case=case, kind=kind, subject=subject.key).update(
                    data_sha256=""
                )
                start = time.perf_counter()
                services.generate(case=case, actor=clerk, kind=kind, subject=subject.key)
                generates.append(time.perf_counter() - start)
            pages = len(PdfReader(io.BytesIO(rendered.pdf)).pages)
            median = statistics.median(generates)
            worst = max(worst, median)
            print(
                f"{spec.title:<24}{pages:>6}{statistics.median(renders):>14.3f}s"
                f"{median:>16.3f}s{max(generates):>7.2f}s{len(rendered.pdf) / 1024:>9.0f}{len(rendered.docx) / 1024:>10.0f}"
            )
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory of the process: {peak_mib:.0f} MiB")
        verdict = "ok" if worst < TARGET_SECONDS else "TOO SLOW"
        print(
            f"slowest median generate: {worst:.3f} s (target < {TARGET_SECONDS:.1f} s): {verdict}"
        )
        return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
