"""Reading a roster workbook: the data sheet's header and non-empty rows, and which column is where."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from .columns import COLUMNS, DATA_SHEET, IGNORED_HEADERS, row_error

MAX_ROWS = 20_000
MAX_COLUMNS = 100


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


def is_blank(values: Iterable) -> bool:
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
                if is_blank(values):
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


def header_map(header: list[str]) -> tuple[dict[str, int], list[dict]]:
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
                row_error(1, text, _("无法识别的列“{name}”：请使用导入模板中的列名。").format(name=text))
            )
        elif column.key in positions:
            errors.append(
                row_error(1, column.header, _("“{name}”列出现了不止一次。").format(name=column.header))
            )
        else:
            positions[column.key] = index
    missing = [column.header for column in COLUMNS if column.required and column.key not in positions]
    if missing:
        errors.insert(
            0,
            row_error(
                1,
                "",
                _("表头缺少必填列：{columns}。请使用下载的导入模板，表头在第1行。").format(
                    columns="、".join(missing)
                ),
            ),
        )
    return positions, errors
