"""The Excel template staff fill in: the data sheet with drop-down lists, the instructions and the
allowed values."""

from io import BytesIO

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lvzhi.organizations.models import DeputyGroup, ElectoralUnit, ExpertiseField

from ..choices import Composition, Gender, Party
from .columns import CHOICES_SHEET, COLUMN_BY_KEY, COLUMNS, DATA_SHEET, HELP_SHEET, NO, TEMPLATE_ROWS, YES


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
