"""Roster import (名册导入): staff upload an Excel roster, every row is checked, a preview shows what
would change, and applying it seats every deputy of the file at once, or nobody.

The life of an import (``RosterImportStatus``)::

    UPLOADED → VALIDATING → INVALID | VALIDATED | FAILED
    VALIDATED → APPLYING → APPLIED | INVALID (the registry changed meanwhile) | FAILED
    anything but APPLIED → CANCELLED (an in-progress one only when its job was interrupted)

Checking and applying run in the background (``deputies.tasks``, queued with
``lvzhi.core.queue.enqueue`` after commit); their progress is in ``lvzhi.core.progress``.
Callers: ``deputies.import_views``, ``deputies.tasks``, the ``import_roster`` command and
``bench/roster_import.py``. Only the deputy-affairs office may upload or apply
(``accounts.roles.can_import_roster``).
"""

import logging
import os
import re
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from io import BytesIO

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history

from lvzhi.accounts.roles import can_import_roster
from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.core.progress import progress_set
from lvzhi.core.queue import enqueue
from lvzhi.core.text import normalize_code, normalize_id_number, normalize_phone, pinyin_full, pinyin_initials
from lvzhi.organizations.models import DeputyGroup, ElectoralUnit, ExpertiseField

from .choices import Composition, Gender, MandateEventType, MandateStatus, Party, RosterImportStatus
from .models import Mandate, MandateEvent, Person, RosterImport

logger = logging.getLogger(__name__)

PROGRESS_KIND = "roster_import"
PROGRESS_EVERY = 100  # rows between two progress updates
SAMPLE_SIZE = 50  # rows shown in the preview
MAX_ROWS = 20_000
MAX_COLUMNS = 100
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # settings.LVZHI_ROSTER_IMPORT_MAX_BYTES overrides it
DB_CHUNK = 500  # ids per IN (...) query: well under SQLite's limit on query parameters

DATA_SHEET = "代表名册"
HELP_SHEET = "填写说明"
CHOICES_SHEET = "可选值"
TEMPLATE_ROWS = 5000  # rows of the data sheet that carry the drop-down lists

STATUS = RosterImportStatus
IN_PROGRESS = frozenset({STATUS.UPLOADED, STATUS.VALIDATING, STATUS.APPLYING})
FINISHED = frozenset({STATUS.INVALID, STATUS.APPLIED, STATUS.FAILED, STATUS.CANCELLED})
# A job still "in progress" after this long was interrupted (e.g. the server restarted).
STALE_AFTER = timedelta(minutes=10)


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
DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
LIST_SEPARATORS = re.compile(r"[、，,；;\s]+")


def _labels(choices) -> dict[str, str]:
    """Chinese label → stored value of a ``TextChoices``."""
    return {str(label): value for value, label in choices.choices}


def _error(row: int | None, column: str, message) -> dict:
    return {"row": row, "column": column, "message": str(message)}


def _chunks(items: list, size: int = DB_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _require_importer(actor) -> None:
    if not can_import_roster(actor):
        raise ForbiddenError(_("您没有导入代表名册的权限。"))


# --- reading the workbook -------------------------------------------------------------------


class RosterFileError(Exception):
    """The file cannot be read as a roster: one Chinese message, the import is INVALID."""

    def __init__(self, message, *, row: int | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.row = row


@dataclass
class RosterSheet:
    """The data sheet as read: the header row and the non-empty data rows with their Excel numbers."""

    header: list[str]
    rows: list[tuple[int, tuple]]


def _header_text(value) -> str:
    # Headers may carry a required mark ("姓名*", "姓名（必填）") or stray spaces.
    text = re.sub(r"\s+", "", str(value or ""))
    return text.replace("（必填）", "").replace("(必填)", "").rstrip("*＊")


def _is_blank(values: Iterable) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def read_roster_sheet(data: bytes) -> RosterSheet:
    """Read the roster's data sheet (openpyxl read-only): header row 1, data from row 2.

    Raises ``RosterFileError`` for anything that is not a readable .xlsx or has too many rows.
    """
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise RosterFileError(_("无法读取该文件：请上传用导入模板填写的 .xlsx 格式 Excel 文件。")) from exc
    try:
        sheet = workbook[DATA_SHEET] if DATA_SHEET in workbook.sheetnames else workbook.worksheets[0]
        first = next(sheet.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS, values_only=True), ())
        header = [_header_text(value) for value in first]
        while header and not header[-1]:
            header.pop()
        rows = []
        if header:
            for number, values in enumerate(
                sheet.iter_rows(min_row=2, max_col=len(header), values_only=True), start=2
            ):
                if _is_blank(values):
                    continue
                rows.append((number, values))
                if len(rows) > MAX_ROWS:
                    raise RosterFileError(_("文件超过{limit}行，请分批导入。").format(limit=MAX_ROWS))
    except RosterFileError:
        raise
    except Exception as exc:
        raise RosterFileError(_("无法读取该文件：请上传用导入模板填写的 .xlsx 格式 Excel 文件。")) from exc
    finally:
        workbook.close()
    return RosterSheet(header=header, rows=rows)


def _header_map(header: list[str]) -> tuple[dict[str, int], list[dict]]:
    """Map each known column to its index in the file; report missing, duplicate and unknown columns."""
    by_name = {}
    for column in COLUMNS:
        for name in (column.header, *column.aliases):
            by_name[name] = column
    positions: dict[str, int] = {}
    errors = []
    for index, text in enumerate(header):
        if not text or text in IGNORED_HEADERS:
            continue
        column = by_name.get(text)
        if column is None:
            errors.append(
                _error(1, text, _("无法识别的列“{name}”：请使用导入模板中的列名。").format(name=text))
            )
        elif column.key in positions:
            errors.append(
                _error(1, column.header, _("“{name}”列出现了不止一次。").format(name=column.header))
            )
        else:
            positions[column.key] = index
    missing = [column.header for column in COLUMNS if column.required and column.key not in positions]
    if missing:
        errors.insert(
            0,
            _error(
                1,
                "",
                _("表头缺少必填列：{columns}。请使用下载的导入模板，表头在第1行。").format(
                    columns="、".join(missing)
                ),
            ),
        )
    return positions, errors


# --- checking the rows ------------------------------------------------------------------------


@dataclass
class RosterRow:
    """One row as it will be created (once the file has no error at all)."""

    row: int
    person: dict = field(default_factory=dict)
    card_number: str = ""
    electoral_unit: ElectoralUnit | None = None
    composition: str = ""
    is_grassroots: bool = False
    start_date: date | None = None
    by_election: bool = False
    fields: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    existing_person_id: int | None = None


@dataclass
class CheckResult:
    errors: list[dict]
    rows: list[RosterRow]
    preview: dict


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_date(value) -> date:
    """A date from an Excel date cell or text like 2022-01-06, 2022/1/6, 2022年1月6日, 20220106.

    Raises ``ValueError`` for anything else.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(value)
    text = normalize_code(_cell_text(value))
    match = DATE_TEXT.match(text) or DATE_DIGITS.match(text)
    if not match:
        raise ValueError(value)
    year, month, day = (int(part) for part in match.groups())
    return date(year, month, day)


def _split_names(text: str) -> list[str]:
    names = []
    for name in LIST_SEPARATORS.split(text):
        if name and name not in names:
            names.append(name)
    return names


def _quoted(names: Iterable[str]) -> str:
    return "、".join(f"“{name}”" for name in names)


class RosterChecker:
    """Checks a roster against the structure and the registry of one congress and term.

    The reference data (units, fields, groups) is loaded once; the registry is asked in a few
    ``IN`` queries for the whole file, never once per row.
    """

    def __init__(self, *, congress, term):
        self.congress = congress
        self.term = term
        self.errors: list[dict] = []
        self.units = {}
        for unit in ElectoralUnit.objects.filter(congress=congress).order_by("order", "id"):
            for name in (unit.name, unit.delegation_name, unit.code):
                if name:
                    self.units.setdefault(name, unit)
        self.fields = {item.name: item for item in ExpertiseField.objects.all()}
        self.groups = {item.name: item for item in DeputyGroup.objects.filter(congress=congress)}
        self.genders = _labels(Gender)
        self.parties = _labels(Party)
        self.compositions = _labels(Composition)

    def error(self, row: RosterRow, key: str, message) -> None:
        self.errors.append(_error(row.row, COLUMN_BY_KEY[key].header, message))

    # One row, cell by cell -----------------------------------------------------------------

    def parse(self, number: int, cells: dict[str, object]) -> RosterRow:
        row = RosterRow(row=number)
        text = {key: _cell_text(value) for key, value in cells.items()}
        for column in COLUMNS:
            if column.required and not text.get(column.key):
                self.error(row, column.key, _("{column}不能为空。").format(column=column.header))

        self._parse_person(row, cells, text)
        if text.get("card_number"):
            card_number = normalize_code(text["card_number"])
            if len(card_number) > Mandate._meta.get_field("card_number").max_length:
                self.error(row, "card_number", _("代表证号不能超过30个字符。"))
            row.card_number = card_number
        if text.get("electoral_unit"):
            unit = self.units.get(re.sub(r"\s+", "", text["electoral_unit"]))
            if unit is None:
                self.error(
                    row,
                    "electoral_unit",
                    _("{congress}没有选举单位“{name}”。").format(
                        congress=self.congress.name, name=text["electoral_unit"]
                    ),
                )
            row.electoral_unit = unit
        if text.get("composition"):
            row.composition = self._choice(row, "composition", text["composition"], self.compositions)
        if text.get("is_grassroots"):
            row.is_grassroots = self._yes_no(row, "is_grassroots", text["is_grassroots"])
        if text.get("by_election"):
            row.by_election = self._yes_no(row, "by_election", text["by_election"])
        if text.get("start_date"):
            row.start_date = self._date(row, "start_date", cells["start_date"], text["start_date"])
            if row.start_date and not self._in_term(row.start_date):
                self.error(row, "start_date", self._term_message())
        if text.get("fields"):
            row.fields, unknown = self._lookup(text["fields"], self.fields)
            if unknown:
                self.error(row, "fields", _("未找到专业领域：{names}。").format(names=_quoted(unknown)))
        if text.get("groups"):
            row.groups, unknown = self._lookup(text["groups"], self.groups)
            if unknown:
                self.error(
                    row,
                    "groups",
                    _("{congress}没有代表小组：{names}。").format(
                        congress=self.congress.name, names=_quoted(unknown)
                    ),
                )
        return row

    def _parse_person(self, row: RosterRow, cells: dict, text: dict) -> None:
        person = row.person
        # Rosters pad two-character names to align them ("张　三"): spaces are never part of a name.
        person["name"] = re.sub(r"\s+", "", text.get("name", ""))
        person["ethnicity"] = text.get("ethnicity") or "汉族"
        for key in ("education", "workplace", "address"):
            person[key] = text.get(key, "")
        for key in PERSON_TEXT_FIELDS:
            limit = Person._meta.get_field(key).max_length
            if len(person[key]) > limit:
                header = COLUMN_BY_KEY[key].header
                self.error(row, key, _("{column}不能超过{limit}个字。").format(column=header, limit=limit))
        person["gender"] = (
            self._choice(row, "gender", text["gender"], self.genders) if text.get("gender") else ""
        )
        person["party"] = (
            self._choice(row, "party", text["party"], self.parties) if text.get("party") else Party.MASSES
        )
        person["birth_date"] = None
        if text.get("birth_date"):
            birth_date = self._date(row, "birth_date", cells["birth_date"], text["birth_date"])
            if birth_date and not date(1900, 1, 1) <= birth_date <= timezone.localdate():
                self.error(row, "birth_date", _("出生日期不合理，请检查。"))
            person["birth_date"] = birth_date
        person["id_number"] = self._id_number(row, cells.get("id_number"), text.get("id_number", ""))
        person["phone"] = self._phone(row, text.get("phone", ""))
        person["email"] = text.get("email", "")
        if person["email"]:
            try:
                validate_email(person["email"])
            except ValidationError:
                self.error(row, "email", _("电子邮箱格式不正确。"))

    def _choice(self, row: RosterRow, key: str, value: str, labels: dict[str, str]) -> str:
        choice = labels.get(re.sub(r"\s+", "", value))
        if choice is None:
            header = COLUMN_BY_KEY[key].header
            self.error(
                row,
                key,
                _("“{value}”不是有效的{column}，可选值：{choices}。").format(
                    value=value, column=header, choices="、".join(labels)
                ),
            )
            return ""
        return choice

    def _yes_no(self, row: RosterRow, key: str, value: str) -> bool:
        value = value.strip()
        if value not in (YES, NO):
            header = COLUMN_BY_KEY[key].header
            self.error(row, key, _("{column}请填写“是”或“否”。").format(column=header))
        return value == YES

    def _date(self, row: RosterRow, key: str, value, text: str) -> date | None:
        try:
            return parse_date(value)
        except ValueError:
            self.error(
                row,
                key,
                _("“{value}”不是有效的日期，请按 2022-01-06、2022/1/6 或 2022年1月6日 的格式填写。").format(
                    value=text
                ),
            )
            return None

    def _in_term(self, on: date) -> bool:
        return self.term.start_date <= on and (self.term.end_date is None or on <= self.term.end_date)

    def _term_message(self) -> str:
        if self.term.end_date:
            period = _("{start}至{end}").format(start=self.term.start_date, end=self.term.end_date)
        else:
            period = _("{start}起").format(start=self.term.start_date)
        return _("当选日期不在{term}的任期内（{period}）。").format(term=self.term, period=period)

    def _id_number(self, row: RosterRow, value, text: str) -> str:
        if not text:
            return ""
        if isinstance(value, float):
            # Excel keeps 15 significant digits: an ID typed as a number has lost its last ones.
            self.error(row, "id_number", _("公民身份号码请以文本格式填写：数字格式会丢失末几位。"))
            return ""
        id_number = normalize_id_number(text)
        if id_number is None:
            self.error(row, "id_number", _("公民身份号码应为18位：前17位是数字，末位是数字或X。"))
            return ""
        return id_number

    def _phone(self, row: RosterRow, text: str) -> str:
        if not text:
            return ""
        phone = normalize_phone(text)
        if phone is None:
            self.error(row, "phone", _("手机号码格式不正确：应为11位手机号码或带区号的固定电话。"))
            return ""
        return phone

    @staticmethod
    def _lookup(text: str, known: dict) -> tuple[list, list[str]]:
        """The known items named in a cell ("甲、乙") and the names that match nothing."""
        names = _split_names(text)
        return [known[name] for name in names if name in known], [name for name in names if name not in known]

    # The whole file against itself and the registry ------------------------------------------

    def cross_check(self, rows: list[RosterRow]) -> None:
        first_card: dict[str, int] = {}
        first_person: dict[str, int] = {}
        first_name_birth: dict[tuple, int] = {}
        for row in rows:
            if row.card_number:
                if row.card_number in first_card:
                    self.error(
                        row,
                        "card_number",
                        _("代表证号“{number}”与第{other}行重复。").format(
                            number=row.card_number, other=first_card[row.card_number]
                        ),
                    )
                else:
                    first_card[row.card_number] = row.row
            id_number = row.person.get("id_number")
            if id_number:
                if id_number in first_person:
                    self.error(
                        row,
                        "id_number",
                        _("与第{other}行是同一人员（公民身份号码相同）。").format(
                            other=first_person[id_number]
                        ),
                    )
                else:
                    first_person[id_number] = row.row
            elif row.person.get("name") and row.person.get("birth_date"):
                key = (row.person["name"], row.person["birth_date"])
                if key in first_name_birth:
                    self.error(
                        row,
                        "name",
                        _("与第{other}行姓名、出生日期相同，疑为同一人员。").format(
                            other=first_name_birth[key]
                        ),
                    )
                else:
                    first_name_birth[key] = row.row

        used_cards = set()
        for chunk in _chunks(list(first_card)):
            used_cards.update(
                Mandate.objects.filter(
                    congress=self.congress, term=self.term, card_number__in=chunk
                ).values_list("card_number", flat=True)
            )
        existing: dict[str, tuple[int, str]] = {}
        for chunk in _chunks(list(first_person)):
            for pk, id_number, name in Person.objects.filter(id_number__in=chunk).values_list(
                "pk", "id_number", "name"
            ):
                existing[id_number] = (pk, name)
        holders: dict[int, str] = {}
        for chunk in _chunks([pk for pk, _name in existing.values()]):
            holders.update(
                Mandate.objects.filter(
                    congress=self.congress, term=self.term, person_id__in=chunk
                ).values_list("person_id", "card_number")
            )
        for row in rows:
            if row.card_number in used_cards:
                self.error(
                    row,
                    "card_number",
                    _("代表证号“{number}”在{term}中已被使用。").format(
                        number=row.card_number, term=self.term
                    ),
                )
            match = existing.get(row.person.get("id_number"))
            if match is None:
                continue
            person_id, name = match
            if row.person["name"] and name != row.person["name"]:
                self.error(
                    row,
                    "id_number",
                    _("该公民身份号码已登记在“{name}”名下，与本行姓名不一致。").format(name=name),
                )
            elif person_id in holders:
                self.error(
                    row,
                    "id_number",
                    _("该人员已是{term}代表（代表证号{number}）。").format(
                        term=self.term, number=holders[person_id]
                    ),
                )
            row.existing_person_id = person_id

    def preview(self, rows: list[RosterRow]) -> dict:
        """What applying would create: counts, counts per electoral unit, the first rows."""
        by_unit = Counter(row.electoral_unit.pk for row in rows)
        units = {row.electoral_unit.pk: row.electoral_unit for row in rows}
        by_composition = Counter(row.composition for row in rows)
        existing = sum(1 for row in rows if row.existing_person_id)
        return {
            "rows": len(rows),
            "new_persons": len(rows) - existing,
            "existing_persons": existing,
            "grassroots": sum(1 for row in rows if row.is_grassroots),
            "by_election": sum(1 for row in rows if row.by_election),
            "by_electoral_unit": [
                {"name": unit.name, "count": by_unit[unit.pk]}
                for unit in sorted(units.values(), key=lambda unit: (unit.order, unit.pk))
            ],
            "by_composition": [
                {"name": str(Composition(value).label), "count": count}
                for value, count in by_composition.most_common()
            ],
            "sample": [_sample(row) for row in rows[:SAMPLE_SIZE]],
        }


def _sample(row: RosterRow) -> dict:
    return {
        "row": row.row,
        "card_number": row.card_number,
        "name": row.person["name"],
        "gender": str(Gender(row.person["gender"]).label),
        "party": str(Party(row.person["party"]).label),
        "electoral_unit": row.electoral_unit.name,
        "composition": str(Composition(row.composition).label),
        "is_grassroots": row.is_grassroots,
        "start_date": row.start_date.isoformat(),
        "event": str(
            MandateEventType.BY_ELECTION.label if row.by_election else MandateEventType.ELECTION.label
        ),
        "fields": [item.name for item in row.fields],
        "groups": [item.name for item in row.groups],
        "is_existing_person": bool(row.existing_person_id),
    }


def check_roster(
    *, data: bytes, congress, term, progress_id: int | None = None, stage: str = ""
) -> CheckResult:
    """Check a roster file against ``congress`` and ``term``: every problem of every row, in Chinese,
    with its Excel row and column. ``preview`` is filled only when there is no error."""
    stage = stage or str(_("校验"))
    if progress_id:
        progress_set(PROGRESS_KIND, progress_id, done=0, total=0, stage=str(_("读取文件")))
    try:
        sheet = read_roster_sheet(data)
    except RosterFileError as exc:
        return CheckResult(errors=[_error(exc.row, "", exc.message)], rows=[], preview={})
    if not sheet.header and not sheet.rows:
        return CheckResult(
            errors=[_error(None, "", _("文件是空的：请使用导入模板填写。"))], rows=[], preview={}
        )
    positions, header_errors = _header_map(sheet.header)
    if header_errors:
        return CheckResult(errors=header_errors, rows=[], preview={})
    # A row with nothing in the roster's own columns (only a 序号, say) is no row.
    data_rows = []
    for number, values in sheet.rows:
        cells = {key: values[index] for key, index in positions.items()}
        if not _is_blank(cells.values()):
            data_rows.append((number, cells))
    if not data_rows:
        return CheckResult(
            errors=[_error(2, "", _("文件中没有代表数据：请从第2行起逐行填写。"))], rows=[], preview={}
        )

    checker = RosterChecker(congress=congress, term=term)
    total = len(data_rows)
    rows = []
    for done, (number, cells) in enumerate(data_rows, start=1):
        rows.append(checker.parse(number, cells))
        if progress_id and done % PROGRESS_EVERY == 0:
            progress_set(PROGRESS_KIND, progress_id, done=done, total=total, stage=stage)
    checker.cross_check(rows)
    if progress_id:
        progress_set(PROGRESS_KIND, progress_id, done=total, total=total, stage=stage)
    errors = sorted(checker.errors, key=lambda item: (item["row"] or 0, COLUMN_ORDER.get(item["column"], 0)))
    return CheckResult(errors=errors, rows=rows, preview={} if errors else checker.preview(rows))


# --- the template -----------------------------------------------------------------------------


def roster_template_bytes(*, congress) -> bytes:
    """The Excel template staff fill in: sheet 代表名册 (the header row, drop-down lists for the
    enumerations), 填写说明 (every column, whether required, how to fill it, an example row) and
    可选值 (the allowed values, with ``congress``'s electoral units and deputy groups).
    ``congress`` may be None (no units or groups are listed). Anyone may read it: it holds no data."""
    units = list(ElectoralUnit.objects.filter(congress=congress).order_by("order", "id")) if congress else []
    groups = list(DeputyGroup.objects.filter(congress=congress).order_by("kind", "id")) if congress else []
    choices = {
        "gender": [str(label) for label in Gender.labels],
        "party": [str(label) for label in Party.labels],
        "composition": [str(label) for label in Composition.labels],
        "is_grassroots": [YES, NO],
        "by_election": [YES, NO],
        "electoral_unit": [unit.name for unit in units],
        "fields": [item.name for item in ExpertiseField.objects.order_by("order", "id")],
        "groups": [group.name for group in groups],
    }

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    bold = Font(bold=True)
    required_font = Font(bold=True, color="C00000")
    header_fill = PatternFill("solid", fgColor="F2F2F2")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = required_font if column.required else bold
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center")
        if column.help:
            cell.comment = Comment(("必填。" if column.required else "") + str(column.help), "lvzhi")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key in ("card_number", "id_number", "phone"):
            sheet.column_dimensions[letter].number_format = "@"  # text: keeps leading zeros and all digits
    sheet.freeze_panes = "A2"

    values_sheet = workbook.create_sheet(CHOICES_SHEET)
    for index, (key, values) in enumerate(choices.items(), start=1):
        values_sheet.cell(row=1, column=index, value=COLUMN_BY_KEY[key].header).font = bold
        values_sheet.column_dimensions[get_column_letter(index)].width = 18
        for offset, value in enumerate(values, start=2):
            values_sheet.cell(row=offset, column=index, value=value)
        if key in ("fields", "groups") or not values:
            continue  # several values per cell: no drop-down
        source_letter = get_column_letter(index)
        validation = DataValidation(
            type="list",
            formula1=f"'{CHOICES_SHEET}'!${source_letter}$2:${source_letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=str(_("填写有误")),
            error=str(_("请从下拉列表中选择。")),
        )
        target_letter = get_column_letter([column.key for column in COLUMNS].index(key) + 1)
        validation.add(f"{target_letter}2:{target_letter}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)

    help_sheet = workbook.create_sheet(HELP_SHEET, 1)
    help_sheet.append([str(_("代表名册导入模板")) + (f"（{congress.name}）" if congress else "")])
    help_sheet["A1"].font = Font(bold=True, size=14)
    help_sheet.append(
        [str(_("在“代表名册”表第2行起每行填写一名代表；红色列名为必填项。请勿修改第1行的列名。"))]
    )
    help_sheet.append([str(_("任何一行有误时整个文件都不会导入；系统会列出每个问题所在的行和列。"))])
    help_sheet.append([])
    help_sheet.append([str(_("列名")), str(_("是否必填")), str(_("填写要求"))])
    for cell in help_sheet[5]:
        cell.font = bold
    for column in COLUMNS:
        help_sheet.append([column.header, YES if column.required else NO, str(column.help)])
    help_sheet.append([])
    help_sheet.append([str(_("填写示例（仅供参考，请勿复制到“代表名册”表）"))])
    help_sheet.cell(row=help_sheet.max_row, column=1).font = bold
    example = _example_row(units, choices)
    help_sheet.append([column.header for column in COLUMNS])
    help_sheet.append([example.get(column.key, "") for column in COLUMNS])
    help_sheet.column_dimensions["A"].width = 16
    help_sheet.column_dimensions["B"].width = 10
    help_sheet.column_dimensions["C"].width = 80

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _example_row(units: list, choices: dict) -> dict:
    return {
        "card_number": "160001",
        "name": "张示例",
        "gender": "男",
        "ethnicity": "汉族",
        "birth_date": "1975-03-12",
        "party": str(Party.CPC.label),
        "education": "大学",
        "workplace": "福州市某某公司技术员",
        "electoral_unit": units[0].name if units else "鼓楼区",
        "composition": str(Composition.WORKER.label),
        "is_grassroots": YES,
        "start_date": "2022-01-06",
        "by_election": NO,
        "fields": "、".join(choices["fields"][:2]),
        "groups": choices["groups"][0] if choices["groups"] else "",
        "id_number": "35010219750312001X",
        "phone": "13900000000",
        "email": "zhangshili@example.org",
        "address": "福州市鼓楼区某某路1号",
    }


# --- services ---------------------------------------------------------------------------------


def _max_bytes() -> int:
    return int(getattr(settings, "LVZHI_ROSTER_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def roster_import_create(*, file, congress, term, actor, run_inline: bool = False) -> RosterImport:
    """Store an uploaded roster and queue its check (``roster_import_validate``) after commit.

    Only the deputy-affairs office may call it (``ForbiddenError`` otherwise). Refused with a
    Chinese ``DomainError`` when the file is not .xlsx, is empty or too large, or the term is not
    the congress's. ``run_inline`` checks it before returning, in this process (the command line,
    the benchmark); otherwise the check runs in the background (``lvzhi.core.queue``).
    """
    _require_importer(actor)
    if term.congress_id != congress.pk:
        raise DomainError(_("所选届次不属于所选人大。"), field="term")
    original_name = os.path.basename(getattr(file, "name", "") or "")
    if not original_name.lower().endswith(".xlsx"):
        raise DomainError(
            _("仅支持 .xlsx 格式的 Excel 文件；.xls 或 WPS 文件请先另存为 .xlsx。"), field="file"
        )
    size = file.size or 0
    if size == 0:
        raise DomainError(_("上传的文件是空的。"), field="file")
    if size > _max_bytes():
        raise DomainError(
            _("文件超过{limit}MB，请分批导入。").format(limit=_max_bytes() // (1024 * 1024)), field="file"
        )
    with transaction.atomic():
        roster_import = RosterImport(
            original_name=original_name[:200],
            congress=congress,
            term=term,
            created_by=actor,
            status=STATUS.UPLOADED,
        )
        # A generated name on disk: the original (often Chinese, with spaces) stays in ``original_name``.
        content = file if isinstance(file, File) else File(file, name=original_name)
        roster_import.file.save(f"{uuid.uuid4().hex}.xlsx", content, save=False)
        roster_import.save()
        progress_set(PROGRESS_KIND, roster_import.pk, done=0, total=0, stage=str(_("等待校验")))
        if not run_inline:
            enqueue("lvzhi.deputies.tasks.roster_import_validate", roster_import.pk)
    if run_inline:
        return roster_import_validate(import_id=roster_import.pk)
    return roster_import


def _read_file(roster_import: RosterImport) -> bytes:
    with roster_import.file.open("rb") as handle:
        return handle.read()


def _finish(roster_import: RosterImport, status: str, *, expected: str, **values) -> RosterImport:
    """Move the import from ``expected`` to ``status`` (with ``values``), only if it is still in
    ``expected``: a check that ends after the import was cancelled leaves it cancelled."""
    now = timezone.now()
    values.update(status=status, updated_at=now)
    if status in FINISHED:
        values["finished_at"] = now
    RosterImport.objects.filter(pk=roster_import.pk, status=expected).update(**values)
    roster_import.refresh_from_db()
    return roster_import


def _unexpected(message) -> list[dict]:
    return [_error(None, "", message)]


def roster_import_validate(*, import_id: int) -> RosterImport:
    """Check an uploaded roster row by row; INVALID with every problem or VALIDATED with a preview.

    Run by the task ``roster_import_validate`` (no actor: the upload was authorised). Idempotent:
    an import that is no longer UPLOADED or VALIDATING is returned unchanged.
    """
    roster_import = RosterImport.objects.select_related("congress", "term__congress").get(pk=import_id)
    started = RosterImport.objects.filter(
        pk=import_id, status__in=(STATUS.UPLOADED, STATUS.VALIDATING)
    ).update(status=STATUS.VALIDATING, updated_at=timezone.now())
    if not started:
        return roster_import
    try:
        result = check_roster(
            data=_read_file(roster_import),
            congress=roster_import.congress,
            term=roster_import.term,
            progress_id=roster_import.pk,
            stage=str(_("逐行校验")),
        )
    except Exception:
        logger.exception("roster import %s: validation failed", import_id)
        return _finish(
            roster_import,
            STATUS.FAILED,
            expected=STATUS.VALIDATING,
            errors=_unexpected(_("校验时发生意外错误，请联系系统管理员。")),
        )
    if result.errors:
        return _finish(
            roster_import,
            STATUS.INVALID,
            expected=STATUS.VALIDATING,
            errors=result.errors,
            preview={},
            row_count=len(result.rows),
        )
    return _finish(
        roster_import,
        STATUS.VALIDATED,
        expected=STATUS.VALIDATING,
        errors=[],
        preview=result.preview,
        row_count=len(result.rows),
    )


def roster_import_apply(*, import_id: int, actor, run_inline: bool = False) -> RosterImport:
    """Confirm a VALIDATED import: it becomes APPLYING and ``roster_import_run_apply`` is queued
    after commit (``run_inline``: run in this process before returning).

    Only the deputy-affairs office may call it (``ForbiddenError``); refused with a Chinese
    ``DomainError`` in any other state, e.g. a second click once it is applying or applied.
    """
    _require_importer(actor)
    with transaction.atomic():
        roster_import = RosterImport.objects.select_for_update().get(pk=import_id)
        if roster_import.status != STATUS.VALIDATED:
            raise DomainError(
                _("该名册导入当前为“{status}”，只有“{validated}”的名册才能确认导入。").format(
                    status=roster_import.get_status_display(), validated=STATUS.VALIDATED.label
                )
            )
        roster_import.status = STATUS.APPLYING
        roster_import.applied_by = actor
        roster_import.save(update_fields=["status", "applied_by", "updated_at"])
        progress_set(
            PROGRESS_KIND, roster_import.pk, done=0, total=roster_import.row_count, stage=str(_("等待导入"))
        )
        if not run_inline:
            enqueue("lvzhi.deputies.tasks.roster_import_apply", roster_import.pk)
    if run_inline:
        return roster_import_run_apply(import_id=roster_import.pk)
    return roster_import


def roster_import_run_apply(*, import_id: int) -> RosterImport:
    """Apply an APPLYING import in one transaction: check the file again against the registry as it
    is now, then create every person, mandate, election event and field/group link in bulk.

    If anything is now wrong (a card number taken meanwhile…) nothing is created and the import
    becomes INVALID with the problems; an unexpected error leaves nothing behind and makes it
    FAILED. Run by the task ``roster_import_apply``; idempotent (any other state: unchanged).
    """
    try:
        with transaction.atomic():
            roster_import = (
                # ``of``: PostgreSQL cannot lock the nullable side of the outer join to applied_by.
                RosterImport.objects.select_for_update(of=("self",))
                .select_related("congress", "term__congress", "applied_by")
                .get(pk=import_id)
            )
            if roster_import.status != STATUS.APPLYING:
                return roster_import
            result = check_roster(
                data=_read_file(roster_import),
                congress=roster_import.congress,
                term=roster_import.term,
                progress_id=roster_import.pk,
                stage=str(_("导入前复核")),
            )
            if result.errors:
                return _finish(
                    roster_import, STATUS.INVALID, expected=STATUS.APPLYING, errors=result.errors, preview={}
                )
            created = _create_deputies(roster_import, result.rows)
            return _finish(
                roster_import,
                STATUS.APPLIED,
                expected=STATUS.APPLYING,
                errors=[],
                created_count=created,
                row_count=len(result.rows),
            )
    except Exception:
        logger.exception("roster import %s: apply failed, nothing imported", import_id)
        RosterImport.objects.filter(pk=import_id, status=STATUS.APPLYING).update(
            status=STATUS.FAILED,
            errors=_unexpected(_("导入时发生意外错误，未导入任何数据。请重新上传校验，或联系系统管理员。")),
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        return RosterImport.objects.get(pk=import_id)


def _create_deputies(roster_import: RosterImport, rows: list[RosterRow]) -> int:
    """Bulk-create what ``rows`` describe, with row history for persons and mandates."""
    actor = roster_import.applied_by
    now = timezone.now()
    reason = str(_("名册导入：{name}").format(name=roster_import.original_name))[:100]
    history = {
        "batch_size": DB_CHUNK,
        "default_user": actor,
        "default_change_reason": reason,
        "default_date": now,
    }
    total = len(rows)
    stage = str(_("写入数据库"))
    progress_set(PROGRESS_KIND, roster_import.pk, done=0, total=total, stage=stage)

    new_rows = [row for row in rows if row.existing_person_id is None]
    persons = [
        Person(
            **row.person,
            name_pinyin=pinyin_full(row.person["name"]),
            name_initials=pinyin_initials(row.person["name"]),
        )
        for row in new_rows
    ]
    persons = bulk_create_with_history(persons, Person, **history)
    for row, person in zip(new_rows, persons, strict=True):
        row.existing_person_id = person.pk
    progress_set(PROGRESS_KIND, roster_import.pk, done=total // 3, total=total, stage=stage)

    mandates = [
        Mandate(
            person_id=row.existing_person_id,
            congress=roster_import.congress,
            term=roster_import.term,
            card_number=row.card_number,
            electoral_unit=row.electoral_unit,
            composition=row.composition,
            is_grassroots=row.is_grassroots,
            start_date=row.start_date,
            status=MandateStatus.ACTIVE,
            status_since=row.start_date,
        )
        for row in rows
    ]
    mandates = bulk_create_with_history(mandates, Mandate, **history)
    progress_set(PROGRESS_KIND, roster_import.pk, done=total * 2 // 3, total=total, stage=stage)

    MandateEvent.objects.bulk_create(
        [
            MandateEvent(
                mandate=mandate,
                type=MandateEventType.BY_ELECTION if row.by_election else MandateEventType.ELECTION,
                date=row.start_date,
                reason=reason,
                actor=actor,
            )
            for row, mandate in zip(rows, mandates, strict=True)
        ],
        batch_size=DB_CHUNK,
    )
    _link_many(mandates, rows, "fields")
    _link_many(mandates, rows, "groups")
    progress_set(PROGRESS_KIND, roster_import.pk, done=total, total=total, stage=stage)
    return len(mandates)


def _link_many(mandates: list[Mandate], rows: list[RosterRow], name: str) -> None:
    """Create the m2m links ``name`` (fields or groups) in bulk, and their row history on each
    mandate's creation record, as ``fields.set()`` would have recorded them one by one."""
    relation = Mandate._meta.get_field(name)
    through = relation.remote_field.through
    own, other = relation.m2m_field_name(), relation.m2m_reverse_field_name()
    links = through.objects.bulk_create(
        [
            through(**{f"{own}_id": mandate.pk, f"{other}_id": item.pk})
            for mandate, row in zip(mandates, rows, strict=True)
            for item in getattr(row, name)
        ],
        batch_size=DB_CHUNK,
    )
    if not links:
        return
    historical = Mandate.history.model
    creation = {}
    for chunk in _chunks([mandate.pk for mandate in mandates]):
        creation.update(
            historical.objects.filter(id__in=chunk, history_type="+").values_list("id", "history_id")
        )
    link_history = apps.get_model(historical._meta.app_label, f"{historical.__name__}_{name}")
    link_history.objects.bulk_create(
        [
            link_history(
                history_id=creation[getattr(link, f"{own}_id")],
                id=link.pk,
                **{f"{own}_id": getattr(link, f"{own}_id"), f"{other}_id": getattr(link, f"{other}_id")},
            )
            for link in links
        ],
        batch_size=DB_CHUNK,
    )


@transaction.atomic
def roster_import_cancel(*, import_id: int, actor) -> RosterImport:
    """Drop an import that will not be applied: it becomes CANCELLED and nothing is imported.

    From VALIDATED, INVALID or FAILED; also from UPLOADED, VALIDATING or APPLYING, for a job
    interrupted by a restart (a running apply holds the row lock, so it finishes first and the
    cancel is then refused). Only the deputy-affairs office may call it; refused once APPLIED.
    """
    _require_importer(actor)
    roster_import = RosterImport.objects.select_for_update().get(pk=import_id)
    if roster_import.status in (STATUS.APPLIED, STATUS.CANCELLED):
        raise DomainError(
            _("该名册导入当前为“{status}”，不能取消。").format(status=roster_import.get_status_display())
        )
    return _finish(roster_import, STATUS.CANCELLED, expected=roster_import.status)
