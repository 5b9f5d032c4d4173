"""Send deadline reminders. Meant for cron; running it again sends nothing new."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agreements.services.performance import mark_overdue
from cases.reminders import send_case_reminders
from liaison.reminders import send_register_reminders
from liaison.services.judgments import mark_overdue as mark_judgments_overdue
from qianjiang_mediation.locks import busy_message, one_host_at_a_time


class Command(BaseCommand):
    help = "发送期限提醒（站内提醒，配置后同时发送邮件）。可以重复执行，已发送的提醒不会重复发送。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="按指定日期（YYYY-MM-DD）计算，默认今天。用于补发或核对。"
        )

    def handle(self, *args, date: str | None = None, **options):
        try:
            today = date_value(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{date}") from exc
        # Started on every app host by its timer: one host runs, the others skip.
        with one_host_at_a_time("send_reminders") as acquired:
            if not acquired:
                self.stdout.write(busy_message("send_reminders"))
                return
            self._send(today)

    def _send(self, today) -> None:
        overdue = mark_overdue(today)
        created, cases = send_case_reminders(today)
        self.stdout.write(
            f"{today:%Y-%m-%d}：新增逾期义务 {overdue} 项；发送提醒 {created} 条，涉及案件 {cases} 件。"
        )
        judgments = mark_judgments_overdue(today)
        register = send_register_reminders(today)
        self.stdout.write(
            f"府院联动台账：新增逾期未履行的生效裁判 {judgments} 项；发送提醒 {register} 条。"
        )


def date_value(text: str):
    return date.fromisoformat(text)
