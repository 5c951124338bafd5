"""``lvzhi demo_accounts``: print the demo accounts that exist, as a table. `lvzhi run` calls it."""

import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand

from lvzhi.demo.accounts import demo_account_rows

HEADERS = ("用户名", "角色", "姓名", "可见范围", "密码")


def display_width(text: str) -> int:
    """Columns a terminal gives ``text``: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def format_table(rows: list[tuple[str, ...]]) -> list[str]:
    """Rows as left-aligned columns separated by two spaces, with a rule under the header."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


class Command(BaseCommand):
    help = "列出演示账户（用户名、角色、可见范围、密码）。生产环境不输出任何账户。"

    def handle(self, *args, **options):
        if not settings.LVZHI_ALLOW_DEMO:
            # Production: no demo accounts exist and no password is ever printed.
            self.stdout.write("本环境未启用演示数据，没有演示账户。")
            return
        accounts = demo_account_rows()
        if not accounts:
            self.stdout.write("尚无演示账户：运行 lvzhi seed_demo 载入演示数据。")
            return
        password = settings.LVZHI_DEMO_PASSWORD
        rows = [HEADERS] + [(a.username, a.role, a.display_name, a.scope, password) for a in accounts]
        self.stdout.write("演示账户（仅供演示，切勿用于生产环境）：")
        for line in format_table(rows):
            self.stdout.write(line)
