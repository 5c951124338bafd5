"""``lvzhi recompute_deadlines``: compute the working-day deadlines that waited for holiday data.

Marking a year complete on the calendar page does this in the background; run it by hand after
entering a year some other way, or to see what still waits. Every module that registered its
deadlines with ``lvzhi.core.calendar`` takes part (suggestions: ``suggestions.deadlines``).
Idempotent: a second run computes nothing.
"""

from django.core.management.base import BaseCommand

from lvzhi.core.calendar import deadlines_recompute, deadlines_recompute_describe


class Command(BaseCommand):
    help = "补录节假日数据后，计算此前因缺少节假日数据而未能计算的工作日期限。"

    def handle(self, *args, **options):
        result = deadlines_recompute()
        if result.computed:
            self.stdout.write(
                f"已计算 {result.computed} 个待补录的期限：{deadlines_recompute_describe(result)}。"
            )
        else:
            self.stdout.write("没有可以计算的期限。")
        if result.still_flagged:
            self.stdout.write(
                self.style.WARNING(
                    f"仍有 {result.still_flagged} 条记录的期限落在节假日安排尚未录入完整的年份，"
                    "请在工作日历页面录入并标记录入完整。"
                )
            )
