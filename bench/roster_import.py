#!/usr/bin/env python
"""Benchmark: check and apply a 5,000-row roster through the import services.

Builds a throw-away SQLite database in a temporary directory (embedded settings), creates the
city congress's structure and an office user, writes a valid 5,000-row .xlsx with the template's
columns, then times ``roster_import_create`` (check inline) + ``roster_import_apply`` (apply
inline). Prints one line on standard output, ``roster_import_5000_rows <seconds> s``; everything
else goes to standard error. The issue's bar: under 30 s.
"""

import contextlib
import os
import random
import sys
import tempfile
import time
from datetime import date
from io import BytesIO
from pathlib import Path

ROWS = 5000
UNITS = [
    "鼓楼区", "台江区", "仓山区", "晋安区", "马尾区", "长乐区", "福清市",
    "闽侯县", "连江县", "罗源县", "闽清县", "永泰县", "平潭综合实验区",
]  # fmt: skip
FIELDS = ["财政经济", "教育科技", "城建环境", "农业农村", "社会建设", "医疗卫生", "监察司法", "民族宗教"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍建国志红文辉斌宇晨思源海燕婷雪梅琳"
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def id_number(serial: int, birth: date) -> str:
    """A well-formed citizen ID number (GB 11643 check digit); generated, never a real person's."""
    body = f"350102{birth:%Y%m%d}{serial % 1000:03d}"
    return body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def roster_workbook(rng: random.Random, headers: list[str], groups: dict[str, str]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("代表名册")
    sheet.append(headers)
    compositions = (
        ["工人"] * 3 + ["农民"] * 2 + ["专业技术人员"] * 3 + ["党政领导干部"] * 2 + ["企业负责人", "其他"]
    )
    parties = ["中共党员"] * 6 + ["群众", "民盟", "民建", "九三学社", "无党派人士"]
    for n in range(1, ROWS + 1):
        unit = UNITS[n % len(UNITS)]
        birth = date(1960 + n % 35, 1 + n % 12, 1 + n % 28)
        row = {
            "代表证号": f"16{n:05d}",
            "姓名": rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if n % 3 else ""),
            "性别": "女" if n % 3 == 0 else "男",
            "民族": "汉族" if n % 20 else "畲族",
            "出生日期": birth,
            "政治面貌": rng.choice(parties),
            "学历": rng.choice(["大学", "研究生", "大专", "高中"]),
            "工作单位及职务": f"福州市第{n}测试单位职员",
            "选举单位": unit,
            "构成类别": rng.choice(compositions),
            "是否基层代表": "是" if n % 2 else "否",
            "当选日期": "2022-01-06" if n % 50 else "2023年3月1日",
            "是否补选": "否" if n % 50 else "是",
            "专业领域": "、".join(rng.sample(FIELDS, 1 + n % 2)),
            "代表小组": groups[unit],
            "公民身份号码": id_number(n, birth),
            "手机": f"139{n:08d}",
            "电子邮箱": f"deputy{n}@example.org",
            "通讯地址": f"福州市{unit}测试路{n}号",
        }
        sheet.append([row[header] for header in headers])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> int:
    workdir = tempfile.TemporaryDirectory(prefix="lvzhi-bench-roster-")
    os.environ["LVZHI_VAR_DIR"] = workdir.name
    os.environ["DJANGO_SETTINGS_MODULE"] = "lvzhi.settings.dev"
    os.environ["LVZHI_TASK_BACKEND"] = "sync"
    os.environ["LVZHI_DEBUG"] = "false"  # no query log in memory
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

    # Only the figure goes to standard output: anything a library prints goes to standard error.
    with contextlib.redirect_stdout(sys.stderr):
        import django

        django.setup()
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.core.management import call_command

        from lvzhi.accounts.choices import Role
        from lvzhi.accounts.models import User
        from lvzhi.deputies.choices import RosterImportStatus
        from lvzhi.deputies.importer import COLUMNS, roster_import_apply, roster_import_create
        from lvzhi.deputies.models import Mandate
        from lvzhi.organizations.choices import CongressLevel, DeputyGroupKind
        from lvzhi.organizations.models import Congress, DeputyGroup, ElectoralUnit, ExpertiseField, Term

        log("migrating a fresh database in", workdir.name)
        call_command("migrate", interactive=False, verbosity=0)
        congress = Congress.objects.create(
            name="福州市人民代表大会", short_name="市人大", level=CongressLevel.CITY, region="福州市"
        )
        term = Term.objects.create(
            congress=congress, number=16, start_date=date(2022, 1, 1), end_date=date(2026, 12, 31)
        )
        groups = {}
        for order, name in enumerate(UNITS, start=1):
            unit = ElectoralUnit.objects.create(
                congress=congress, name=name, delegation_name=name[:2] + "团", order=order
            )
            group = DeputyGroup.objects.create(
                congress=congress,
                name=f"{name}代表小组",
                kind=DeputyGroupKind.TERRITORIAL,
                electoral_unit=unit,
            )
            groups[name] = group.name
        for order, name in enumerate(FIELDS, start=1):
            ExpertiseField.objects.create(name=name, order=order)
        staff = User.objects.create_user("bench-staff", role=Role.DEPUTY_AFFAIRS_STAFF, password=None)

        log(f"writing a {ROWS}-row roster")
        data = roster_workbook(random.Random(2025), [column.header for column in COLUMNS], groups)
        log(f"roster: {len(data) / 1024:.0f} KiB")

        started = time.perf_counter()
        roster_import = roster_import_create(
            file=SimpleUploadedFile("代表名册.xlsx", data),
            congress=congress,
            term=term,
            actor=staff,
            run_inline=True,
        )
        checked = time.perf_counter()
        if roster_import.status != RosterImportStatus.VALIDATED:
            log("the roster did not validate:", roster_import.errors[:10])
            return 1
        roster_import = roster_import_apply(import_id=roster_import.pk, actor=staff, run_inline=True)
        finished = time.perf_counter()
        if roster_import.status != RosterImportStatus.APPLIED or Mandate.objects.count() != ROWS:
            log("the roster was not applied:", roster_import.status, roster_import.errors[:10])
            return 1
        log(f"check {checked - started:.2f} s, apply (with re-check) {finished - checked:.2f} s")

    print(f"roster_import_{ROWS}_rows {finished - started:.2f} s", flush=True)
    workdir.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
