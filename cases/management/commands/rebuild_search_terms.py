"""Write the case register's search terms of every case afresh (cases.models.search).

The terms are kept current on every save; this is for rows written around the models'
save(), such as a restore of part of a table or an import by SQL.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from cases.models.search import rebuild_terms


class Command(BaseCommand):
    help = "重建案件登记簿的检索词（编号、当事人名称、证件号码）。"

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            written = rebuild_terms()
        self.stdout.write(f"已写入检索词 {written} 条。")
