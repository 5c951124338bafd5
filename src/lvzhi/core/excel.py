"""Excel export: one sheet, a bold header row, column widths that fit Chinese text."""

from collections.abc import Iterable, Sequence
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) * 2 + 2 for h in headers]
    for row in rows:
        values = ["" if value is None else value for value in row]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                # Text that Excel would run as a formula (CSV/formula injection): keep it text.
                cell.data_type = "s"
                cell.quotePrefix = True
        for index, value in enumerate(values):
            widths[index] = min(max(widths[index], len(str(value)) * 2 + 2), 60)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
