"""Checking a roster: every cell of every row against the congress's structure, then the whole
file against itself and the registry; every problem in Chinese with its Excel row and column."""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.core.progress import progress_set
from lvzhi.core.text import normalize_code, normalize_id_number, normalize_phone
from lvzhi.organizations.models import DeputyGroup, ElectoralUnit, ExpertiseField

from ..choices import Composition, Gender, MandateEventType, Party
from ..models import Mandate, Person
from .columns import (
    COLUMN_BY_KEY,
    COLUMN_ORDER,
    COLUMNS,
    NO,
    PERSON_TEXT_FIELDS,
    PROGRESS_EVERY,
    PROGRESS_KIND,
    YES,
    chunks,
    row_error,
)
from .workbook import RosterFileError, header_map, is_blank, read_roster_sheet

SAMPLE_SIZE = 50  # rows shown in the preview
DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
LIST_SEPARATORS = re.compile(r"[、，,；;\s]+")


def _labels(choices) -> dict[str, str]:
    """Chinese label → stored value of a ``TextChoices``."""
    return {str(label): value for value, label in choices.choices}


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
    document_reference: str = ""
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
        self.errors.append(row_error(row.row, COLUMN_BY_KEY[key].header, message))

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
        self._parse_event(row, text)
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

    def _parse_event(self, row: RosterRow, text: dict) -> None:
        """The election event's kind and the document it rests on: a by-election names its
        announcement (DOMAIN §2); an election defaults to the roster itself."""
        if text.get("by_election"):
            row.by_election = self._yes_no(row, "by_election", text["by_election"])
        row.document_reference = text.get("document_reference", "")
        if len(row.document_reference) > 200:
            self.error(row, "document_reference", _("文件依据不能超过200个字符。"))
        if row.by_election and not row.document_reference:
            self.error(row, "document_reference", _("补选当选的代表须填写文件依据（如补选结果公告文号）。"))

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
        for chunk in chunks(list(first_card)):
            used_cards.update(
                Mandate.objects.filter(
                    congress=self.congress, term=self.term, card_number__in=chunk
                ).values_list("card_number", flat=True)
            )
        existing: dict[str, tuple[int, str]] = {}
        for chunk in chunks(list(first_person)):
            for pk, id_number, name in Person.objects.filter(id_number__in=chunk).values_list(
                "pk", "id_number", "name"
            ):
                existing[id_number] = (pk, name)
        holders: dict[int, str] = {}
        for chunk in chunks([pk for pk, _name in existing.values()]):
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
        return CheckResult(errors=[row_error(exc.row, "", exc.message)], rows=[], preview={})
    if not sheet.header and not sheet.rows:
        return CheckResult(
            errors=[row_error(None, "", _("文件是空的：请使用导入模板填写。"))], rows=[], preview={}
        )
    positions, header_errors = header_map(sheet.header)
    if header_errors:
        return CheckResult(errors=header_errors, rows=[], preview={})
    # A row with nothing in the roster's own columns (only a 序号, say) is no row.
    data_rows = []
    for number, values in sheet.rows:
        cells = {key: values[index] for key, index in positions.items()}
        if not is_blank(cells.values()):
            data_rows.append((number, cells))
    if not data_rows:
        return CheckResult(
            errors=[row_error(2, "", _("文件中没有代表数据：请从第2行起逐行填写。"))], rows=[], preview={}
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
