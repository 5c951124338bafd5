"""Report pages (DOMAIN §5.10): the handling report of a year (page, Excel, Word), the units'
ratings (page, Excel) and the public page of released replies (Art. 51), open to everybody.

The report and the ratings are for the office and the standing committee's leaders; anybody else
gets 404, as for anything they may not see. ``?congress=`` picks the congress; without it, the
city congress the office mostly works for.
"""

from io import BytesIO
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Font

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.core.excel import FORMULA_PREFIXES, xlsx_response
from lvzhi.organizations.choices import CongressLevel
from lvzhi.organizations.models import Congress

from . import reports
from .rules import rules_for

PUBLIC_PAGE_SIZE = 20
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# GB/T 9704 (党政机关公文格式): title in 小标宋 二号, body in 仿宋 三号; 宋体 where those are missing.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = "宋体"


def _require_reader(user) -> None:
    if not (is_office(user) or getattr(user, "role", None) == Role.LEADER):
        raise Http404(_("未找到该页面，或您无权访问。"))


def _congress(request) -> Congress:
    value = request.GET.get("congress", "")
    congresses = Congress.objects.order_by("order", "id")
    if value.isdigit():
        congress = congresses.filter(pk=int(value)).first()
    else:
        congress = congresses.filter(level=CongressLevel.CITY).first() or congresses.first()
    if congress is None:
        raise Http404(_("未找到该人大。"))
    return congress


def _percent(rate: reports.Rate):
    """A rate for a spreadsheet cell: the percentage, or empty when there is nothing to rate."""
    return "" if rate.percent is None else rate.percent


# -- The handling report -----------------------------------------------------------------------------


@login_required
def handling_report_view(request, year: int):
    """The handling report of a year; ``?export=xlsx`` or ``?export=docx`` downloads it."""
    _require_reader(request.user)
    congress = _congress(request)
    report = reports.handling_report(congress=congress, year=year)
    export = request.GET.get("export")
    if export in ("xlsx", "docx"):
        ratings = {r.unit_id: r for r in reports.unit_ratings(congress=congress, year=year)}
        title = _("关于{year}年代表建议办理情况的报告").format(year=year)
        if export == "xlsx":
            return xlsx_response(_report_workbook(report, ratings), f"{title}.xlsx")
        return _docx_response(_report_document(report, ratings), f"{title}.docx")
    chart = {
        "labels": [row.label for row in report.by_result_class],
        "values": [row.count for row in report.by_result_class],
    }
    context = {
        "report": report,
        "congress": congress,
        "year": year,
        "chart": chart,
        "years": reports.report_years(congress),
    }
    return render(request, "suggestions/report_handling.html", context)


def _append(sheet, values) -> None:
    sheet.append(["" if value is None else value for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"  # text that Excel would run as a formula stays text
            cell.quotePrefix = True


def _sheet(workbook, title: str, headers, rows, *, first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    _append(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        _append(sheet, row)
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column) * 2 + 2
        sheet.column_dimensions[column[0].column_letter].width = min(max(width, 10), 60)
    return sheet


def _report_workbook(report: reports.HandlingReport, ratings: dict) -> bytes:
    workbook = Workbook()
    overview = [[_("建议总数"), report.total]]
    overview += [[_("状态：{label}").format(label=row.label), row.count] for row in report.by_status]
    overview += [
        [_("办理结果：{label}").format(label=row.label), row.count] for row in report.by_result_class
    ]
    overview += [
        [_("代表评价：{label}").format(label=row.label), row.count, _percent(share)]
        for row, share in report.satisfaction
    ]
    overview += [
        [_("按时签收率"), report.receipt_on_time.numerator, _percent(report.receipt_on_time)],
        [_("按时答复率"), report.reply_on_time.numerator, _percent(report.reply_on_time)],
        [_("答复前沟通率"), report.contact_before_reply.numerator, _percent(report.contact_before_reply)],
        [_("重点督办件"), len(report.key_items)],
    ]
    _sheet(workbook, _("总体"), [_("项目"), _("件数"), _("比例（%）")], overview, first=True)
    unit_rows = []
    for row in report.by_unit:
        rating = ratings.get(row.key)
        rates = rating.rates if rating else {}
        unit_rows.append(
            [row.label, row.count]
            + [_percent(rates[key]) if key in rates else "" for key in reports.RATING_LABELS]
            + [rating.score if rating and rating.score is not None else ""]
        )
    headers = [_("承办单位"), _("主办（分办）件数")]
    headers += [_("{label}（%）").format(label=label) for label in reports.RATING_LABELS.values()]
    _sheet(workbook, _("按单位"), [*headers, _("综合得分")], unit_rows)
    _sheet(workbook, _("按领域"), [_("领域"), _("件数")], [[row.label, row.count] for row in report.by_field])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _set_font(run, name: str, size: float, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word picks the Chinese font from w:eastAsia, not from w:ascii.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(document, text: str, *, font=BODY_FONT, size=16, bold=False, center=False, indent=True):
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.line_spacing = Pt(28)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)  # two characters
    _set_font(paragraph.add_run(text), font, size, bold=bold)
    return paragraph


def _report_document(report: reports.HandlingReport, ratings: dict) -> Document:
    document = Document()
    section = document.sections[0]
    # GB/T 9704: A4, margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right.
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    _paragraph(
        document,
        _("关于{year}年代表建议办理情况的报告").format(year=report.year),
        font=TITLE_FONT,
        size=22,
        center=True,
    )
    _paragraph(document, str(report.congress), size=16, center=True)
    classes = "，".join(
        _("{label}{count}件").format(label=row.label, count=row.count) for row in report.by_result_class
    )
    satisfaction = "，".join(
        _("{label}{count}件（{share}）").format(label=row.label, count=row.count, share=share)
        for row, share in report.satisfaction
    )
    _paragraph(document, _("一、总体情况"), font="黑体", indent=True)
    _paragraph(
        document,
        _(
            "{year}年共立案代表建议{total}件，交由{units}个单位主办（分办）。已答复{replied}件，其中{classes}。"
        ).format(
            year=report.year,
            total=report.total,
            units=len(report.by_unit),
            replied=report.replied,
            classes=classes or _("无"),
        ),
    )
    _paragraph(
        document,
        _("按时签收率{receipt}，按时答复率{reply}，答复前与代表沟通率{contact}。").format(
            receipt=report.receipt_on_time, reply=report.reply_on_time, contact=report.contact_before_reply
        ),
    )
    _paragraph(
        document,
        _("代表对答复共评价{count}次：{satisfaction}。").format(
            count=report.evaluations, satisfaction=satisfaction
        ),
    )
    if report.key_items:
        titles = "；".join(
            f"{item.suggestion.number_label}{item.suggestion.title}" for item in report.key_items
        )
        _paragraph(
            document,
            _("常委会确定重点督办建议{count}件：{titles}。").format(
                count=len(report.key_items), titles=titles
            ),
        )
    _paragraph(document, _("二、各承办单位办理情况"), font="黑体")
    headers = [_("承办单位"), _("件数"), _("按时答复率"), _("满意率"), _("解决率"), _("综合得分")]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _set_font(cell.paragraphs[0].add_run(text), TABLE_FONT, 12, bold=True)
    for row in report.by_unit:
        rating = ratings.get(row.key)
        values = [row.label, str(row.count)]
        if rating:
            values += [str(rating.rates[key]) for key in ("reply", "satisfaction", "solved")]
            values.append("—" if rating.score is None else f"{rating.score:.1f}")
        else:
            values += ["—"] * 4
        for cell, text in zip(table.add_row().cells, values, strict=True):
            _set_font(cell.paragraphs[0].add_run(text), TABLE_FONT, 12)
    return document


def _docx_response(document: Document, filename: str) -> HttpResponse:
    buffer = BytesIO()
    document.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# -- Unit ratings ----------------------------------------------------------------------------------


@login_required
def unit_ratings_view(request, year: int):
    """The units' ratings of a year with the weights and the formula; ``?export=xlsx``."""
    _require_reader(request.user)
    congress = _congress(request)
    weights = reports.rating_weights()
    ratings = reports.unit_ratings(congress=congress, year=year, weights=weights)
    formula = reports.rating_formula(weights)
    if request.GET.get("export") == "xlsx":
        workbook = Workbook()
        headers = [_("排名"), _("承办单位")]
        headers += [_("{label}（%）").format(label=label) for label in reports.RATING_LABELS.values()]
        rows = [
            [index if rating.is_ranked else _("不足以排名"), rating.unit_name]
            + [_percent(rating.rates[key]) for key in reports.RATING_LABELS]
            + ["" if rating.score is None else rating.score]
            for index, rating in enumerate(ratings, start=1)
        ]
        _sheet(workbook, _("绩效考评"), [*headers, _("综合得分")], rows, first=True)
        _sheet(
            workbook,
            _("权重"),
            [_("指标"), _("权重")],
            [[str(reports.RATING_LABELS[key]), weight] for key, weight in weights.items()] + [[formula]],
        )
        buffer = BytesIO()
        workbook.save(buffer)
        title = _("{year}年承办单位绩效考评").format(year=year)
        return xlsx_response(buffer.getvalue(), f"{title}.xlsx")
    rows = [(rating, [rating.rates[key] for key in reports.RATING_LABELS]) for rating in ratings]
    context = {
        "congress": congress,
        "year": year,
        "years": reports.report_years(congress),
        "ratings": [row for row in rows if row[0].is_ranked],
        "unranked": [row for row in rows if not row[0].is_ranked],
        "minimum_cases": rules_for(congress).rating_minimum_cases,
        "labels": list(reports.RATING_LABELS.values()),
        "weights": [(reports.RATING_LABELS[key], weight) for key, weight in weights.items()],
        "formula": formula,
        "stage_label": rules_for(congress).stage_label("unit_rating"),
    }
    return render(request, "suggestions/report_ratings.html", context)


# -- Publication (Art. 51) ----------------------------------------------------------------------------


def public_replies_view(request, year: int):
    """The handling report of a year and its published replies (Art. 51): open to everybody, no
    login. The report's figures come from the same selector as the office's report; the page shows
    no unit ratings and no personal data."""
    congress = _congress(request)
    rules = rules_for(congress)
    page = Paginator(reports.public_replies(congress=congress, year=year), PUBLIC_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "number": row["assignment__suggestion__number_label"],
            "title": row["assignment__suggestion__title"],
            "unit": row["assignment__unit__name"],
            "result_class": row["result_class"],
            "result_label": rules.result_class_label(row["result_class"]),
            "body": row["body"],
            "released_at": row["released_at"],
        }
        for row in page.object_list
    ]
    context = {
        "congress": congress,
        "year": year,
        "years": reports.report_years(congress),
        "report": reports.handling_report(congress=congress, year=year),
        "page": page,
        "rows": rows,
    }
    return render(request, "suggestions/report_public.html", context)
