"""Load the demo office, courts, agencies and one user per role. Safe to run again."""

import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.reminders import send_case_reminders
from demo import accounts as demo_accounts
from demo import cases as demo_cases
from demo import liaison as demo_liaison
from liaison.reminders import send_register_reminders


def _pad(text: str, width: int) -> str:
    """Left-align text in a terminal, counting CJK characters as two columns."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 0)


class Command(BaseCommand):
    help = (
        "创建演示数据：工作室、法院、行政机关名录、每个角色一个演示账号、演示案件和府院联动台账"
        "（可重复执行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-cases",
            action="store_true",
            help="只创建机构、名录和账号，不生成演示案件。",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="在 DEBUG 关闭（生产配置）时也创建演示账号。"
            "演示账号使用公开的密码，切勿用于生产。",
        )

    def handle(self, *args, force: bool = False, without_cases: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG 已关闭，拒绝创建使用公开密码的演示账号。确需在此环境演示，请加 --force。"
            )
        office, court = demo_accounts.seed_reference()
        users = demo_accounts.seed_users(office, court)
        demo_accounts.seed_roster()
        made = 0 if without_cases else demo_cases.seed_cases(office, court)
        if made:
            reminders, _ = send_case_reminders(timezone.localdate())
            self.stdout.write(f"已生成演示案件 {made} 件，期限提醒 {reminders} 条。")
        lawsuits = 0 if without_cases else demo_liaison.seed_registers(today=timezone.localdate())
        if lawsuits:
            sent = send_register_reminders(timezone.localdate())
            self.stdout.write(
                f"已生成府院联动台账：行政诉讼案件 {lawsuits} 件及其司法建议、督办事项，提醒 {sent} 条。"
            )
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {demo_accounts.DEMO_PASSWORD}）：")
        for user in users:
            where = user.organisation or "—"
            self.stdout.write(
                f"  {_pad(user.username, 10)}{_pad(user.get_role_display(), 16)}"
                f"{_pad(user.name, 8)}{where}"
            )
