"""Grow the demo office to N cases in bulk (for benchmarks). Safe to run again."""

import time

from django.core.management.base import BaseCommand, CommandError

from demo.grow import DOCUMENTS, OPEN_SHARE, grow_cases


class Command(BaseCommand):
    help = (
        "把演示工作室的案件批量扩充到指定件数（复制演示案件及其全部记录，日期分布在近六年），"
        "供性能基准测试使用；再次执行只补足差额。须先运行 seed_demo。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="扩充后的案件总数。")
        parser.add_argument(
            "--open-share",
            type=float,
            default=OPEN_SHARE,
            help=f"复制自未办结案件的比例（默认 {OPEN_SHARE}）。",
        )

        parser.add_argument(
            "--documents",
            type=int,
            default=DOCUMENTS,
            help=f"先为演示案件制作的文书份数，随案件一并复制（默认 {DOCUMENTS}；0 为不制作）。",
        )

    def handle(self, *args, cases: int, open_share: float, documents: int, **options):
        start = time.perf_counter()
        try:
            added = grow_cases(cases, open_share=open_share, documents=documents)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"新增案件 {added} 件，用时 {time.perf_counter() - start:.0f} 秒；共 {cases} 件。"
            if added
            else f"已有不少于 {cases} 件案件，未新增。"
        )
