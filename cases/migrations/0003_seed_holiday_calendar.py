"""Seed statutory holidays and make-up working days for 2024–2026.

Taken from the State Council General Office's yearly notices on holiday
arrangements (关于…部分节假日安排的通知). Administrators enter later years in
the admin as each notice is published.
"""

from datetime import date, timedelta

from django.db import migrations

# name, first day off, last day off, make-up working days, notice
SPANS = [
    # 2024: 国务院办公厅关于2024年部分节假日安排的通知
    ('元旦', '2024-01-01', '2024-01-01', [], '国务院办公厅关于2024年部分节假日安排的通知'),
    ('春节', '2024-02-10', '2024-02-17', ['2024-02-04', '2024-02-18'], '国务院办公厅关于2024年部分节假日安排的通知'),
    ('清明节', '2024-04-04', '2024-04-06', ['2024-04-07'], '国务院办公厅关于2024年部分节假日安排的通知'),
    ('劳动节', '2024-05-01', '2024-05-05', ['2024-04-28', '2024-05-11'], '国务院办公厅关于2024年部分节假日安排的通知'),
    ('端午节', '2024-06-10', '2024-06-10', [], '国务院办公厅关于2024年部分节假日安排的通知'),
    ('中秋节', '2024-09-15', '2024-09-17', ['2024-09-14'], '国务院办公厅关于2024年部分节假日安排的通知'),
    ('国庆节', '2024-10-01', '2024-10-07', ['2024-09-29', '2024-10-12'], '国务院办公厅关于2024年部分节假日安排的通知'),
    # 2025: 国务院办公厅关于2025年部分节假日安排的通知
    ('元旦', '2025-01-01', '2025-01-01', [], '国务院办公厅关于2025年部分节假日安排的通知'),
    ('春节', '2025-01-28', '2025-02-04', ['2025-01-26', '2025-02-08'], '国务院办公厅关于2025年部分节假日安排的通知'),
    ('清明节', '2025-04-04', '2025-04-06', [], '国务院办公厅关于2025年部分节假日安排的通知'),
    ('劳动节', '2025-05-01', '2025-05-05', ['2025-04-27'], '国务院办公厅关于2025年部分节假日安排的通知'),
    ('端午节', '2025-05-31', '2025-06-02', [], '国务院办公厅关于2025年部分节假日安排的通知'),
    ('国庆节、中秋节', '2025-10-01', '2025-10-08', ['2025-09-28', '2025-10-11'], '国务院办公厅关于2025年部分节假日安排的通知'),
    # 2026: 国务院办公厅关于2026年部分节假日安排的通知
    ('元旦', '2026-01-01', '2026-01-03', ['2026-01-04'], '国务院办公厅关于2026年部分节假日安排的通知'),
    ('春节', '2026-02-15', '2026-02-23', ['2026-02-14', '2026-02-28'], '国务院办公厅关于2026年部分节假日安排的通知'),
    ('清明节', '2026-04-04', '2026-04-06', [], '国务院办公厅关于2026年部分节假日安排的通知'),
    ('劳动节', '2026-05-01', '2026-05-05', ['2026-05-09'], '国务院办公厅关于2026年部分节假日安排的通知'),
    ('端午节', '2026-06-19', '2026-06-21', [], '国务院办公厅关于2026年部分节假日安排的通知'),
    ('中秋节', '2026-09-25', '2026-09-27', [], '国务院办公厅关于2026年部分节假日安排的通知'),
    ('国庆节', '2026-10-01', '2026-10-07', ['2026-09-20', '2026-10-10'], '国务院办公厅关于2026年部分节假日安排的通知'),
]


def _days(first, last):
    d, end = date.fromisoformat(first), date.fromisoformat(last)
    while d <= end:
        yield d
        d += timedelta(days=1)


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("cases", "CalendarDay")
    for name, first, last, workdays, notice in SPANS:
        for day in _days(first, last):
            CalendarDay.objects.update_or_create(
                date=day, defaults={"kind": "holiday", "name": name, "note": notice}
            )
        for day in workdays:
            CalendarDay.objects.update_or_create(
                date=date.fromisoformat(day),
                defaults={"kind": "workday", "name": name, "note": notice},
            )


def unseed(apps, schema_editor):
    apps.get_model("cases", "CalendarDay").objects.filter(
        date__gte=date(2024, 1, 1), date__lte=date(2026, 12, 31)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_seed_dispute_categories")]

    operations = [migrations.RunPython(seed, unseed)]
