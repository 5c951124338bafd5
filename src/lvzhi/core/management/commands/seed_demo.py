"""``lvzhi seed_demo``: load the demo data (see ``lvzhi.core.demo``). Refused in production."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lvzhi.core.demo import seed_demo

REFUSAL = (
    "本环境不允许载入演示数据（LVZHI_ALLOW_DEMO 未开启）：演示账户的密码是公开的，生产环境严禁使用。\n"
    "Refused: demo data needs settings.LVZHI_ALLOW_DEMO = True; production settings never allow it."
)


class Command(BaseCommand):
    help = "载入演示数据：福州市人大及其代表、承办单位、委员会和各角色演示账户。可重复运行，已有数据不变。"

    def handle(self, *args, **options):
        # Demo accounts have a published password: refuse before touching the database.
        if not settings.LVZHI_ALLOW_DEMO:
            raise CommandError(REFUSAL)
        started = time.perf_counter()
        report = seed_demo()
        elapsed = time.perf_counter() - started
        if report.changed:
            counts = "，".join(f"{label} {count}" for label, count in report.created.items() if count)
            self.stdout.write(self.style.SUCCESS(f"已载入演示数据：{counts}。"))
        else:
            self.stdout.write("演示数据已存在，未做任何修改。")
        for note in report.notes:
            self.stdout.write(note)
        self.stderr.write(f"seed_demo: {elapsed:.1f} s")
