"""``lvzhi calendar_seed [--year 2026 ...]``: bring the installed chinesecalendar package's holidays
and adjusted working days into the working-day calendar, and mark those years complete.

A fresh database is seeded by migration ``core.0002_calendar_seed``; run this after upgrading the
package (e.g. to a release that knows the next year). Idempotent; rows the office entered or
changed are never overwritten.
"""

from django.core.management.base import BaseCommand

from lvzhi.core.calendar import calendar_seed_from_package


class Command(BaseCommand):
    help = "从节假日数据包（chinesecalendar）导入节假日和调休上班日期，并将这些年份标记为录入完整。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help="只导入这一年（可重复）；默认导入数据包支持的全部年份。",
        )

    def handle(self, *args, years=None, **options):
        result = calendar_seed_from_package(years=years)
        seeded = result["years"]
        span = f"{seeded[0]}–{seeded[-1]}年" if seeded else "无"
        self.stdout.write(
            f"数据包年份：{span}；新增 {result['created']} 天，更新 {result['updated']} 天，"
            f"删除 {result['deleted']} 天，保留人工录入 {result['kept']} 天，"
            f"新标记录入完整 {result['marked_complete']} 年。"
        )
        if result["unsupported"]:
            missing = "、".join(str(year) for year in result["unsupported"])
            self.stdout.write(
                self.style.WARNING(f"数据包不含以下年份，请在工作日历页面人工录入：{missing}。")
            )
