"""The roster's file format: its columns (the Chinese headers are the format, never translated),
its sheets, and what the importer's modules share (progress, error rows, query chunks)."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

PROGRESS_KIND = "roster_import"
PROGRESS_EVERY = 100  # rows between two progress updates
DB_CHUNK = 500  # ids per IN (...) query: well under SQLite's limit on query parameters

DATA_SHEET = "代表名册"
HELP_SHEET = "填写说明"
CHOICES_SHEET = "可选值"
TEMPLATE_ROWS = 5000  # rows of the data sheet that carry the drop-down lists


@dataclass(frozen=True)
class Column:
    """One column of the roster: its key in the parsed row and its Chinese header."""

    key: str
    header: str
    required: bool = False
    help: str = ""
    aliases: tuple[str, ...] = ()
    width: int = 14


# The headers are the file format, the same in every language: they are not translated.
COLUMNS: tuple[Column, ...] = (
    Column("card_number", "代表证号", True, _("本届内不得重复。"), width=12),
    Column("name", "姓名", True, _("姓名中的空格会被去掉。"), width=10),
    Column("gender", "性别", True, _("男 或 女。"), width=8),
    Column("ethnicity", "民族", False, _("不填视为汉族。"), width=8),
    Column("birth_date", "出生日期", False, _("日期格式见“当选日期”。")),
    Column("party", "政治面貌", False, _("见“可选值”表；不填视为群众。"), width=12),
    Column("education", "学历", False, "", width=10),
    Column("workplace", "工作单位及职务", False, "", ("工作单位",), width=30),
    Column(
        "electoral_unit", "选举单位", True, _("须是本人大的选举单位，见“可选值”表。"), ("代表团",), width=12
    ),
    Column("composition", "构成类别", True, _("见“可选值”表。"), width=14),
    Column("is_grassroots", "是否基层代表", True, _("是 或 否。"), ("基层代表",), width=12),
    Column(
        "start_date",
        "当选日期",
        True,
        _("须在所选届次的任期内；可填 2022-01-06、2022/1/6 或 2022年1月6日，也可用 Excel 日期。"),
        width=12,
    ),
    Column(
        "by_election", "是否补选", False, _("是 或 否；补选当选的填“是”，不填视为否。"), ("补选",), width=10
    ),
    Column(
        "document_reference",
        "文件依据",
        False,
        _("补选当选的必填（如补选结果公告文号）；当选的不填则记为本名册文件。"),
        ("依据文件",),
        width=24,
    ),
    Column("fields", "专业领域", False, _("可填多个，用“、”或“，”分隔；见“可选值”表。"), width=20),
    Column("groups", "代表小组", False, _("可填多个，用“、”或“，”分隔；见“可选值”表。"), width=20),
    Column(
        "id_number",
        "公民身份号码",
        False,
        _("18位，末位可为X；请用文本格式填写。已登记的人员按此号码匹配，新增一项代表资格。"),
        ("身份证号", "身份证号码"),
        width=22,
    ),
    Column("phone", "手机", False, _("11位手机号码或带区号的固定电话。"), ("手机号码", "联系电话"), width=14),
    Column("email", "电子邮箱", False, "", ("邮箱",), width=22),
    Column("address", "通讯地址", False, "", width=30),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
COLUMN_ORDER = {column.header: index for index, column in enumerate(COLUMNS)}
# Columns people often add to a roster; they are read past, not reported.
IGNORED_HEADERS = frozenset({"序号", "备注"})
PERSON_TEXT_FIELDS = ("name", "ethnicity", "education", "workplace", "address")

YES, NO = "是", "否"


def row_error(row: int | None, column: str, message) -> dict:
    return {"row": row, "column": column, "message": str(message)}


def chunks(items: list, size: int = DB_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
