"""The unit work list once a suggestion is closed (DOMAIN §5.9): nothing is owed on it but its
promises, so its assignments are finished whatever status they were left in (a co-unit that never
acknowledged stays 待签收): never overdue, never pending, shown as 已办结, on the page, in its
counts, its filters, its Excel export and the API; their open promises are still shown."""

from datetime import date
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from lvzhi.suggestions.choices import AssignmentRole, AssignmentStatus, CommitmentStatus, SuggestionStatus
from lvzhi.suggestions.models import Assignment, Commitment

from .factories import SuggestionFactory

S = SuggestionStatus
A = AssignmentStatus
WORK = reverse("suggestions:work")
ASSIGNMENTS = "/api/v1/suggestion-assignments/"


@pytest.fixture
def work(own_mandate, co_unit, staff):
    """The co-unit's list on 2025-03-05 (the clock of these tests), in reply-due order:

    - ``closed_waiting``: closed suggestion; the co-unit never acknowledged (待签收), every deadline past;
    - ``closed_promise``: closed suggestion the unit led and answered, with a promise still open;
    - ``open_late``: open, acknowledged co-unit whose input was due 2025-03-01: overdue;
    - ``open_waiting``: open, not yet acknowledged, input due 2025-04-05;
    - ``open_lead``: open, the unit leads it, reply due 2025-06-20.
    """

    def row(title, suggestion_status, *, role, status, reply_due, co_input_due=None):
        suggestion = SuggestionFactory(
            congress=own_mandate.congress, term=own_mandate.term, lead_mandate=own_mandate, accepted=True,
            status=suggestion_status, title=title,
        )  # fmt: skip
        return Assignment.objects.create(
            suggestion=suggestion, unit=co_unit, role=role, status=status, assigned_on=date(2024, 11, 5),
            assigned_by=staff, reply_due=reply_due, co_input_due=co_input_due,
        )  # fmt: skip

    rows = SimpleNamespace(
        closed_waiting=row("关于已办结建议一的建议", S.CLOSED, role=AssignmentRole.CO, status=A.ASSIGNED,
                           reply_due=date(2025, 2, 5), co_input_due=date(2024, 12, 5)),
        closed_promise=row("关于已办结建议二的建议", S.CLOSED, role=AssignmentRole.LEAD, status=A.REPLIED,
                           reply_due=date(2025, 2, 6)),
        open_late=row("关于协办超期的建议", S.HANDLING, role=AssignmentRole.CO, status=A.ACKNOWLEDGED,
                      reply_due=date(2025, 6, 1), co_input_due=date(2025, 3, 1)),
        open_waiting=row("关于待签收的建议", S.ASSIGNED, role=AssignmentRole.CO, status=A.ASSIGNED,
                         reply_due=date(2025, 6, 5), co_input_due=date(2025, 4, 5)),
        open_lead=row("关于主办办理中的建议", S.HANDLING, role=AssignmentRole.LEAD, status=A.ACKNOWLEDGED,
                      reply_due=date(2025, 6, 20)),
    )  # fmt: skip
    Commitment.objects.create(
        suggestion=rows.closed_promise.suggestion, assignment=rows.closed_promise, unit=co_unit,
        text="年内完成改造", due_date=date(2025, 6, 30), status=CommitmentStatus.OPEN, recorded_by=staff,
    )  # fmt: skip
    return rows


def listed(client, query: str = "") -> list[int]:
    response = client.get(WORK + query)
    assert response.status_code == 200
    return [a.pk for a in response.context["page"].object_list]


def test_closed_suggestions_stay_listed_but_are_never_overdue(client, work, co_unit_user):
    client.force_login(co_unit_user)

    assert listed(client) == [
        work.closed_waiting.pk, work.closed_promise.pk, work.open_late.pk, work.open_waiting.pk, work.open_lead.pk
    ]  # fmt: skip
    assert listed(client, "?overdue=true") == [work.open_late.pk]
    assert listed(client, "?overdue=false") == [
        work.closed_waiting.pk, work.closed_promise.pk, work.open_waiting.pk, work.open_lead.pk
    ]  # fmt: skip


def test_the_status_filter_follows_the_status_shown(client, work, co_unit_user):
    client.force_login(co_unit_user)

    assert listed(client, "?status=assigned") == [work.open_waiting.pk]
    assert listed(client, "?status=replied") == []
    assert listed(client, "?status=finished") == [work.closed_waiting.pk, work.closed_promise.pk]
    assert listed(client, "?status=finished&status=acknowledged") == [
        work.closed_waiting.pk, work.closed_promise.pk, work.open_late.pk, work.open_lead.pk
    ]  # fmt: skip


def row_of(page: str, title: str) -> str:
    """The ``<tr …>…</tr>`` of the work list that shows ``title``."""
    [row] = [f"<tr{row.split('</tr>', 1)[0]}</tr>" for row in page.split("<tr")[1:] if f">{title}</a>" in row]
    return row


def test_rows_of_closed_suggestions_show_closed_and_no_deadline_alarm(client, work, co_unit_user):
    client.force_login(co_unit_user)

    page = client.get(WORK).content.decode()

    closed = row_of(page, "关于已办结建议一的建议")
    assert closed.startswith('<tr class="">')
    assert '<span class="badge bg-green-lt" data-testid="work-status">已办结</span>' in closed
    assert "待签收" not in closed and "已超期" not in closed
    assert '<td class="text-nowrap">2024-12-05</td>' in closed  # the co-unit's input date, not flagged
    late = row_of(page, "关于协办超期的建议")
    assert late.startswith('<tr class="table-danger">') and "已超期4天" in late
    waiting = row_of(page, "关于待签收的建议")
    assert '<span class="badge bg-yellow-lt" data-testid="work-status">待签收</span>' in waiting
    # The closed suggestion's open promise is still counted on its row.
    assert row_of(page, "关于已办结建议二的建议").endswith("<td>1</td></tr>")


def test_the_units_counts_leave_closed_suggestions_out(client, work, co_unit_user):
    client.force_login(co_unit_user)

    response = client.get(WORK + "?status=finished")  # counts are the whole list's, not the filtered page's

    assert response.context["counts"] == {"to_acknowledge": 1, "pending": 3, "overdue": 1}
    counts = response.content.decode().split('data-testid="work-counts">', 1)[1].split("</span>", 1)[0]
    assert "待办 3 件" in counts and "待签收 1" in counts and "已超期 1" in counts


def test_the_office_sees_the_same_counts_for_the_unit(client, work, staff, co_unit):
    client.force_login(staff)
    assert client.get(WORK + f"?unit={co_unit.pk}").context["counts"] == {
        "to_acknowledge": 1,
        "pending": 3,
        "overdue": 1,
    }
    assert client.get(WORK).context["counts"] is None  # no unit picked yet


def test_the_export_shows_closed_and_overdue_as_on_the_page(client, work, co_unit_user):
    client.force_login(co_unit_user)

    response = client.get(WORK + "?export=xlsx")

    sheet = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    header = sheet[0]
    status, promises, overdue, merged = (
        header.index("状态"), header.index("未兑现承诺事项"), header.index("已超期"), header.index("并案"),
    )  # fmt: skip
    assert [(row[1], row[status], row[promises], row[overdue], row[merged]) for row in sheet[1:]] == [
        ("关于已办结建议一的建议", "已办结", 0, None, None),
        ("关于已办结建议二的建议", "已办结", 1, None, None),
        ("关于协办超期的建议", "办理中", 0, "是", None),
        ("关于待签收的建议", "待签收", 0, None, None),
        ("关于主办办理中的建议", "办理中", 0, None, None),
    ]


def test_the_api_work_list_marks_closed_suggestions_finished(work, co_unit_user):
    api = APIClient()
    api.force_authenticate(co_unit_user)

    rows = api.get(ASSIGNMENTS).data["results"]

    assert [(r["id"], r["status"], r["suggestion"]["status"], r["is_finished"], r["is_overdue"], r["open_commitments"])
            for r in rows] == [
        (work.closed_waiting.pk, A.ASSIGNED, S.CLOSED, True, False, 0),
        (work.closed_promise.pk, A.REPLIED, S.CLOSED, True, False, 1),
        (work.open_late.pk, A.ACKNOWLEDGED, S.HANDLING, False, True, 0),
        (work.open_waiting.pk, A.ASSIGNED, S.ASSIGNED, False, False, 0),
        (work.open_lead.pk, A.ACKNOWLEDGED, S.HANDLING, False, False, 0),
    ]  # fmt: skip
    ids = lambda query: [r["id"] for r in api.get(ASSIGNMENTS, query).data["results"]]  # noqa: E731
    assert ids({"overdue": "true"}) == [work.open_late.pk]
    assert ids({"status": "assigned"}) == [work.open_waiting.pk]
    assert ids({"status": "finished"}) == [work.closed_waiting.pk, work.closed_promise.pk]
    detail = api.get(f"{ASSIGNMENTS}{work.closed_waiting.pk}/").data
    assert (detail["is_finished"], detail["is_overdue"]) == (True, False)


def test_the_detail_page_does_not_flag_a_closed_suggestions_deadline(client, work, staff):
    client.force_login(staff)

    response = client.get(reverse("suggestions:detail", args=[work.closed_waiting.suggestion_id]))

    [panel] = response.context["panels"]
    assert (panel["due_state"], str(panel["due"])) == ("", "2024-12-05")
