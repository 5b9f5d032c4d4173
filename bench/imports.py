"""Benchmark: importing the court's spreadsheet of 5,000 lawsuits.

    make bench-import     (or: .venv/bin/python bench/imports.py [--rows N] [--database-url URL])

Builds a throw-away database (SQLite by default; give --database-url for PostgreSQL,
whose database is dropped and created), writes an .xlsx of N rows in the template's
columns, then times the preview (reading and checking every row, nothing written) and
the confirmed import (every row through the lawsuit services, in one transaction), and
a second preview of the same sheet, which must find every row unchanged. The target is
"well under a minute" for 5,000 rows; the script exits non-zero when it is missed.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from common import setup

TARGET_SECONDS = 60.0


def sheet(rows: int) -> bytes:
    from openpyxl import Workbook

    from cases.models import Agency
    from liaison.spreadsheet import COLUMNS

    agencies = list(Agency.objects.values_list("name", flat=True))
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("行政诉讼案件")
    ws.append([c.header for c in COLUMNS])
    start = date(2021, 1, 4)
    for n in range(1, rows + 1):
        filed = start + timedelta(days=n % 1400)
        decided = n % 3 == 0
        values = {
            "案号": f"（{filed.year}）鄂9005行初{n}号",
            "审级": "一审",
            "审理法院": "潜江市人民法院",
            "被告": agencies[n % len(agencies)],
            "原告": f"原告{n}号",
            "原告类型": "自然人",
            "争议类别": "行政处罚",
            "被诉行政行为": "行政处罚决定",
            "立案日期": filed.isoformat(),
            "裁判结果": "驳回诉讼请求" if decided else "",
            "审结日期": (filed + timedelta(days=60)).isoformat() if decided else "",
        }
        ws.append([values.get(c.header, "") for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--database-url", help="a PostgreSQL database to use (dropped first)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp), args.database_url, seed_args=("--without-cases",))
        from django.core.files.uploadedfile import SimpleUploadedFile

        from accounts.models import User
        from liaison.models import Lawsuit
        from liaison.services.imports import import_apply, import_preview

        gov = User.objects.get(username="gov")
        content = sheet(args.rows)
        print(f"{args.rows} rows, {len(content) / 1024:.0f} KiB")

        def upload() -> SimpleUploadedFile:
            return SimpleUploadedFile("清单.xlsx", content)

        start = time.perf_counter()
        batch = import_preview(actor=gov, upload=upload())
        preview = time.perf_counter() - start
        print(f"preview (read and check every row): {preview:.1f} s  {batch.summary}")
        start = time.perf_counter()
        batch = import_apply(batch=batch, actor=gov)
        applied = time.perf_counter() - start
        print(f"confirmed import (one transaction):  {applied:.1f} s  {batch.summary}")
        start = time.perf_counter()
        again = import_preview(actor=gov, upload=upload())
        second = time.perf_counter() - start
        print(f"second preview of the same sheet:    {second:.1f} s  {again.summary}")
        total = preview + applied
        ok = (
            total < TARGET_SECONDS
            and Lawsuit.objects.count() == args.rows
            and again.summary["unchanged"] == args.rows
        )
        print(
            f"preview + import: {total:.1f} s (target < {TARGET_SECONDS:.0f} s): "
            f"{'ok' if ok else 'TOO SLOW OR WRONG'}"
        )
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
