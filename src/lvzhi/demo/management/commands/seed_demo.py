"""``lvzhi seed_demo``: load the demo data (see ``lvzhi.demo``). Refused in production."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lvzhi.demo.seed import seed_demo
from lvzhi.demo.suggestions import adopt_for_demo_deputy, seed_suggestions
from lvzhi.demo.supervision import seed_supervision_demo

REFUSAL = (
    "本环境不允许载入演示数据（LVZHI_ALLOW_DEMO 未开启）：演示账户的密码是公开的，生产环境严禁使用。\n"
    "Refused: demo data needs settings.LVZHI_ALLOW_DEMO = True; production settings never allow it."
)


class Command(BaseCommand):
    help = "载入演示数据：福州市人大及其代表、承办单位、委员会和各角色演示账户。可重复运行，已有数据不变。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--suggestions",
            type=int,
            default=0,
            help="同时生成的演示建议数量（市人大应有的总数，已有的计入；默认不生成）。",
        )

    def handle(self, *args, suggestions=0, **options):
        # Demo accounts have a published password: refuse before touching the database.
        if not settings.LVZHI_ALLOW_DEMO:
            raise CommandError(REFUSAL)
        started = time.perf_counter()
        report = seed_demo()
        if report.changed:
            counts = "，".join(f"{label} {count}" for label, count in report.created.items() if count)
            self.stdout.write(self.style.SUCCESS(f"已载入演示数据：{counts}。"))
        else:
            self.stdout.write("演示数据已存在，未做任何修改。")
        for note in report.notes:
            self.stdout.write(note)
        if suggestions:
            self._seed_suggestions(suggestions)
        self.stderr.write(f"seed_demo: {time.perf_counter() - started:.1f} s")

    def _seed_suggestions(self, count: int) -> None:
        """A year's worth of suggestions at every step, the demo deputy's own among them, and the
        supervision of some (key items led by ``demo-leader``, a supervision month)."""
        stats = seed_suggestions(count=count)
        adopted = adopt_for_demo_deputy()
        if stats:
            self.stdout.write(
                f"已生成演示建议 {sum(stats.values())} 件（其中 demo-deputy 领衔 {adopted} 件）。"
            )
        supervision = seed_supervision_demo()
        if supervision:
            counts = "，".join(f"{label} {count}" for label, count in supervision.items())
            self.stdout.write(f"已生成演示督办数据：{counts}。")
