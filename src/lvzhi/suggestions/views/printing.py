"""A suggestion printed for the archive: its text, co-signers, units, released replies with the
deputies' ratings, and its handling log, as the user may see them (``selectors.suggestion_detail``
and ``selectors.suggestion_events`` apply the visibility rule). One document, three forms: the
print page (``?format=`` absent), PDF (WeasyPrint, Noto CJK fonts) and Word (python-docx).
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core.lists import not_found

from .. import selectors, tables
from ..choices import ReplyKind, ReplyStatus
from ..models import Reply, Suggestion, SuggestionRules
from .shared import NOT_VISIBLE

PDF = "pdf"
WORD = "docx"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class PrintedReply:
    """A released reply and the ratings given on it."""

    heading: str
    meta: str
    body: str
    ratings: list[list[str]] = field(default_factory=list)


@dataclass
class PrintedSuggestion:
    """What the archive copy shows, as plain text: every form renders the same rows."""

    title: str
    facts: list[tuple[str, str]]
    body: str
    signers: list[list[str]]
    units: list[list[str]]
    replies: list[PrintedReply]
    log: list[list[str]]
    printed_at: str


SIGNER_HEADERS = (gettext_lazy("联名代表"), gettext_lazy("选举单位"), gettext_lazy("状态"))
UNIT_HEADERS = (
    gettext_lazy("承办单位"),
    gettext_lazy("承办方式"),
    gettext_lazy("状态"),
    gettext_lazy("交办日期"),
    gettext_lazy("答复期限"),
)
RATING_HEADERS = (
    gettext_lazy("代表"),
    gettext_lazy("总体评价"),
    gettext_lazy("办理过程"),
    gettext_lazy("办理结果"),
    gettext_lazy("意见"),
)
LOG_HEADERS = (
    gettext_lazy("时间"),
    gettext_lazy("事项"),
    gettext_lazy("单位"),
    gettext_lazy("操作人"),
    gettext_lazy("说明"),
)


def _date(value: date | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


def _time(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _printed_reply(reply: Reply, rules: SuggestionRules, unit_name: str) -> PrintedReply:
    result = ""
    if reply.result_class:
        result = _("办理结果：{code}（{label}）").format(
            code=reply.result_class, label=rules.result_class_label(reply.result_class)
        )
    meta = "；".join(
        part
        for part in (
            _("发出时间：{at}").format(at=_time(reply.released_at)),
            _("签发人：{name}").format(name=reply.signed_by or "—"),
            result,
        )
        if part
    )
    ratings = []
    if reply.kind != ReplyKind.FOLLOW_UP:
        for recipient in reply.recipients.all():
            evaluation = getattr(recipient, "evaluation", None)
            name = recipient.mandate.person.name + (_("（领衔）") if recipient.is_lead else "")
            if evaluation is None:
                ratings.append([name, _("尚未评价"), "—", "—", "—"])
                continue
            ratings.append(
                [
                    name,
                    evaluation.get_satisfaction_display(),
                    evaluation.get_process_rating_display() or "—",
                    evaluation.get_result_rating_display() or "—",
                    evaluation.comment or "—",
                ]
            )
    heading = f"{unit_name} · {reply.get_kind_display()}"
    return PrintedReply(heading=heading, meta=meta, body=reply.body or "—", ratings=ratings)


def printed_suggestion(*, user: Any, pk: int) -> PrintedSuggestion:
    """The archive copy of suggestion ``pk`` as ``user`` may see it; ``Suggestion.DoesNotExist``
    when the user does not see it."""
    detail = selectors.suggestion_detail(user=user, pk=pk)
    suggestion, rules = detail.suggestion, detail.rules
    lead = suggestion.lead_mandate
    session = suggestion.session.label if suggestion.session else ""
    facts = [
        (_("建议号"), suggestion.number_label or _("未编号")),
        (_("状态"), suggestion.get_status_display()),
        (_("领衔代表"), f"{lead.person.name}（{lead.electoral_unit.name}）"),
        (
            _("提出时间"),
            f"{suggestion.congress.short_name or suggestion.congress.name}{suggestion.term.label}{session}"
            f"（{suggestion.get_series_display()}）",
        ),
        (_("所属领域"), suggestion.field.name if suggestion.field else "—"),
        (_("提交时间"), _time(suggestion.submitted_at)),
    ]
    signers = [
        [s.mandate.person.name, s.mandate.electoral_unit.name, s.get_status_display()]
        for s in suggestion.signers.all()
    ]
    units, replies = [], []
    for view in detail.assignments:
        a = view.assignment
        due = a.co_input_due if a.role == "co" else a.reply_due
        units.append(
            [a.unit.name, a.get_role_display(), a.get_status_display(), _date(a.assigned_on), _date(due)]
        )
        replies += [
            _printed_reply(reply, rules, a.unit.name)
            for reply in view.replies
            if reply.status == ReplyStatus.RELEASED
        ]
    log = []
    for event in selectors.suggestion_events(suggestion, user=user):
        details = tables.event_details(event)
        note = "；".join(part for part in (event.reason, details) if part) or "—"
        actor = str(event.actor) if event.actor else _("系统")
        log.append([_time(event.at), event.get_type_display(), tables.event_unit(event) or "—", actor, note])
    return PrintedSuggestion(
        title=suggestion.title,
        facts=facts,
        body=suggestion.body,
        signers=signers,
        units=units,
        replies=replies,
        log=log,
        printed_at=_time(timezone.now()),
    )


def _html(document: PrintedSuggestion, *, for_pdf: bool) -> str:
    context = {
        "doc": document,
        "for_pdf": for_pdf,
        "signer_headers": SIGNER_HEADERS,
        "unit_headers": UNIT_HEADERS,
        "rating_headers": RATING_HEADERS,
        "log_headers": LOG_HEADERS,
    }
    return render_to_string("suggestions/print_suggestion.html", context)


def _pdf(document: PrintedSuggestion) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: loaded only when asked for

    content: bytes = HTML(string=_html(document, for_pdf=True)).write_pdf()
    return content


def _table(word: Any, headers: tuple[Promise, ...], rows: list[list[str]]) -> None:
    table = word.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value


def _docx(document: PrintedSuggestion) -> bytes:
    from docx import Document

    word = Document()
    word.add_heading(document.title, level=1)
    for label, value in document.facts:
        word.add_paragraph(f"{label}：{value}")
    word.add_heading(_("建议内容"), level=2)
    for paragraph in document.body.splitlines() or [""]:
        word.add_paragraph(paragraph)
    if document.signers:
        word.add_heading(_("联名代表"), level=2)
        _table(word, SIGNER_HEADERS, document.signers)
    if document.units:
        word.add_heading(_("承办单位"), level=2)
        _table(word, UNIT_HEADERS, document.units)
    for reply in document.replies:
        word.add_heading(reply.heading, level=2)
        word.add_paragraph(reply.meta)
        for paragraph in reply.body.splitlines():
            word.add_paragraph(paragraph)
        if reply.ratings:
            _table(word, RATING_HEADERS, reply.ratings)
    word.add_heading(_("办理记录"), level=2)
    _table(word, LOG_HEADERS, document.log)
    word.add_paragraph(_("打印时间：{at}").format(at=document.printed_at))
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
def suggestion_print_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The archive copy of a suggestion: a print page, or ``?format=pdf`` / ``?format=docx``."""
    try:
        document = printed_suggestion(user=request.user, pk=pk)
    except Suggestion.DoesNotExist as missing:
        raise not_found(NOT_VISIBLE) from missing
    kind = request.GET.get("format", "")
    if kind == PDF:
        return _attachment(_pdf(document), "application/pdf", f"suggestion-{pk}.pdf")
    if kind == WORD:
        return _attachment(_docx(document), DOCX_TYPE, f"suggestion-{pk}.docx")
    return HttpResponse(_html(document, for_pdf=False))
