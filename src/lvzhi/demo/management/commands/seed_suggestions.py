"""``lvzhi seed_suggestions --count N [--year Y] [--seed S]``: generate N realistic suggestions of the
demo city congress (see ``lvzhi.demo.suggestions``), for the benchmarks (bench/README.md) and for
trying the pages with volume.

Refused unless ``settings.LVZHI_ALLOW_DEMO`` (like ``seed_demo``), and needs the demo data
(``lvzhi seed_demo``).
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lvzhi.demo.suggestions import BATCH, SEED, seed_suggestions
from lvzhi.suggestions.choices import SuggestionStatus as S

REFUSAL = (
    "本环境不允许生成演示建议（LVZHI_ALLOW_DEMO 未开启）。\n"
    "Refused: generated suggestions need settings.LVZHI_ALLOW_DEMO = True; production settings never allow it."
)


class Command(BaseCommand):
    help = (
        "生成演示建议（用于性能测试）：福州市人大的建议及其交办、答复、评价和办理记录。需先运行 seed_demo。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="市人大应有的建议总数（已有的计入）。")
        parser.add_argument(
            "--year", type=int, default=None, help="只生成该年度的建议（默认：2022-2025 各年平均）。"
        )
        parser.add_argument("--seed", type=int, default=SEED, help="随机种子（默认固定，结果可重现）。")

    def handle(self, *args, count, year, seed, **options):
        if not settings.LVZHI_ALLOW_DEMO:
            raise CommandError(REFUSAL)
        if count < 0:
            raise CommandError("--count 不能为负数。")
        started = time.perf_counter()
        verbosity = options.get("verbosity", 1)

        def progress(done, total):
            if verbosity > 1 or (verbosity and done % 20000 < BATCH):
                self.stderr.write(f"seed_suggestions: {done}/{total} ({time.perf_counter() - started:.1f} s)")

        stats = seed_suggestions(count=count, year=year, seed=seed, progress=progress)
        elapsed = time.perf_counter() - started
        if stats:
            detail = "，".join(f"{S(s).label} {n}" for s, n in sorted(stats.items()))
            self.stdout.write(self.style.SUCCESS(f"已生成建议 {sum(stats.values())} 件：{detail}。"))
        else:
            self.stdout.write(f"市人大已有不少于 {count} 件建议，未做任何修改。")
        self.stderr.write(f"seed_suggestions: {elapsed:.1f} s")
