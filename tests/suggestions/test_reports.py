"""The handling report, the unit ratings and the public replies (DOMAIN §5.10) on a small dataset
whose every figure is worked out by hand below.

The year 2025, all assigned on Wednesday 2025-03-05: the objection (receipt) window ends 2025-03-14,
replies are due 2025-06-05; the figures are read on 2025-07-01.

- S1 住建局 leads, 交通局 co-unit (never acknowledges); contact, class A, released, 满意; a promise
  due 2025-12-31, kept.
- S2 教育局 leads; acknowledged and replied late (2025-06-20), no contact, class B, 不满意.
- S3 住建局, confidential (不宜公开); contact, class C, 基本满意; a promise due 2025-04-30, open.
- S4 住建局, never acknowledged nor replied.
"""

from collections import Counter
from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from lvzhi.deputies.models import Person
from lvzhi.suggestions import reports, services
from lvzhi.suggestions.choices import Satisfaction
from lvzhi.suggestions.models import Contact, Evaluation, Reply, Suggestion, SuggestionRules
from lvzhi.supervision.choices import SupervisionKind
from lvzhi.supervision.models import SupervisionItem

from ..factories import ExpertiseFieldFactory
from .conftest import at
from .factories import accept, released

YEAR = 2025
ASSIGNED_ON = date(2025, 3, 5)


def _assigned(mandate, staff, *, field, lead, title, co_units=()):
    suggestion = accept(mandate, staff, field=field, title=title)
    assignments = services.suggestion_assign(
        suggestion=suggestion, actor=staff, lead=lead, co_units=co_units, on=ASSIGNED_ON
    )
    suggestion.refresh_from_db()
    return suggestion, assignments


def _evaluate(reply, mandate, satisfaction):
    return services.reply_evaluate(
        recipient=reply.recipients.get(mandate=mandate),
        actor=mandate.person.user,
        satisfaction=satisfaction,
        process_rating=satisfaction,
        result_rating=satisfaction,
    )


@pytest.fixture
def education_field(db):
    return ExpertiseFieldFactory(name="教育科技")


@pytest.fixture
def life(
    rules, staff, leader, own_mandate, cosigner_one, other_deputy, urban_field, education_field,
    lead_unit, unit_user, co_unit, other_unit, other_unit_user,
):  # fmt: skip
    # Every unit is ranked in these figures; the threshold has its own tests.
    SuggestionRules.objects.filter(pk=rules.pk).update(rating_minimum_cases=1)
    s1, (s1_lead, _s1_co) = _assigned(
        own_mandate, staff, field=urban_field, lead=lead_unit, co_units=[co_unit], title="关于加装电梯的建议"
    )
    services.assignment_acknowledge(assignment=s1_lead, actor=unit_user)
    kept = services.commitment_record(
        assignment=s1_lead, text="年内完成5个小区加装电梯", due_date=date(2025, 12, 31), actor=unit_user
    )
    services.commitment_keep(commitment=kept, evidence="已完成", actor=unit_user)
    s1_reply = released(
        s1_lead, unit_user, staff, result_class="A", contact_deputy=own_mandate, body="电梯已加装完毕。"
    )
    _evaluate(s1_reply, own_mandate, Satisfaction.SATISFIED)

    s2, (s2_lead,) = _assigned(
        cosigner_one, staff, field=education_field, lead=other_unit, title="关于增加学位供给的建议"
    )

    s3, (s3_lead,) = _assigned(
        other_deputy, staff, field=urban_field, lead=lead_unit, title="关于某涉密工程的建议"
    )
    Suggestion.objects.filter(pk=s3.pk).update(is_confidential=True)
    services.assignment_acknowledge(assignment=s3_lead, actor=unit_user)
    services.commitment_record(
        assignment=s3_lead, text="四月底前答复进展", due_date=date(2025, 4, 30), actor=unit_user
    )
    s3_reply = released(
        s3_lead, unit_user, staff, result_class="C", contact_deputy=other_deputy, body="保密答复内容。"
    )
    _evaluate(s3_reply, other_deputy, Satisfaction.BASICALLY_SATISFIED)

    s4, _ = _assigned(own_mandate, staff, field=urban_field, lead=lead_unit, title="关于公园绿化的建议")
    SupervisionItem.objects.create(suggestion=s1, kind=SupervisionKind.KEY, year=YEAR, leader=leader)

    with time_machine.travel(at(2025, 6, 20), tick=True):  # after the reply deadline
        s2_reply = released(s2_lead, other_unit_user, staff, result_class="B", body="学位正在规划中。")
        _evaluate(s2_reply, cosigner_one, Satisfaction.DISSATISFIED)

    with time_machine.travel(at(2025, 7, 1), tick=True):
        yield {"s1": s1, "s2": s2, "s3": s3, "s4": s4}


# -- Selectors --------------------------------------------------------------------------------------


def test_handling_report_counts_every_figure(life, congress, urban_field, education_field):
    report = reports.handling_report(congress=congress, year=YEAR)

    assert report.total == 4
    assert {row.key: row.count for row in report.by_status} == Counter(
        Suggestion.objects.values_list("status", flat=True)
    )
    assert [(row.key, row.count) for row in report.by_result_class] == [
        ("A", 1),
        ("B", 1),
        ("C", 1),
        ("D", 0),
    ]
    assert report.by_result_class[0].label == "A类：已解决或基本解决"
    assert [(row.label, row.count) for row in report.by_unit] == [("市住房和城乡建设局", 3), ("市教育局", 1)]
    assert [(row.label, row.count) for row in report.by_field] == [("城建环境", 3), ("教育科技", 1)]
    assert [
        (row.key, row.count, share.numerator, share.denominator) for row, share in report.satisfaction
    ] == [
        ("satisfied", 1, 1, 3),
        ("basically_satisfied", 1, 1, 3),
        ("dissatisfied", 1, 1, 3),
    ]
    # Receipt: S1 lead and S3 on time; S1 co-unit, S2 (late) and S4 (never) not.
    assert report.receipt_on_time == reports.Rate(2, 5)
    # Reply: S1 and S3 on time; S2 late; S4 overdue without a reply.
    assert report.reply_on_time == reports.Rate(2, 4)
    assert report.contact_before_reply == reports.Rate(2, 3)
    assert [item.suggestion_id for item in report.key_items] == [life["s1"].pk]


def test_a_year_without_suggestions_reports_zeros(congress, rules):
    report = reports.handling_report(congress=congress, year=2030)

    assert (report.total, report.replied, report.evaluations) == (0, 0, 0)
    assert report.reply_on_time.percent is None
    assert str(report.reply_on_time) == "—"


def test_unit_ratings_rates_and_weighted_score(life, congress):
    ratings = reports.unit_ratings(congress=congress, year=YEAR)

    assert [(r.unit_name, r.score) for r in ratings] == [
        ("市住房和城乡建设局", 76.7),  # 15·2/3 + 25·2/3 + 15 + 25 + 10·1/2 + 10·1/2
        ("市教育局", 0.0),
        ("市交通运输局", None),  # a co-unit only: no replying case, not ranked
    ]
    housing = {key: (rate.numerator, rate.denominator) for key, rate in ratings[0].rates.items()}
    assert housing == {
        "receipt": (2, 3),
        "reply": (2, 3),
        "contact": (2, 2),
        "satisfaction": (2, 2),
        "solved": (1, 2),
        "promises": (1, 2),
    }
    education = {key: (rate.numerator, rate.denominator) for key, rate in ratings[1].rates.items()}
    assert education == {
        "receipt": (0, 1),
        "reply": (0, 1),
        "contact": (0, 1),
        "satisfaction": (0, 1),
        "solved": (0, 1),
        "promises": (0, 0),
    }


def test_unit_rating_weights_come_from_the_argument_or_the_setting(life, congress, settings):
    only_satisfaction = {
        "receipt": 0,
        "reply": 0,
        "contact": 0,
        "satisfaction": 1,
        "solved": 0,
        "promises": 0,
    }

    assert reports.unit_ratings(congress=congress, year=YEAR, weights=only_satisfaction)[0].score == 100.0

    settings.LVZHI_UNIT_RATING_WEIGHTS = {"receipt": 100, "reply": 0, "contact": 0, "satisfaction": 0}
    ratings = {r.unit_name: r.score for r in reports.unit_ratings(congress=congress, year=YEAR)}
    # receipt 2/3·100 + solved 1/2·10 + promises 1/2·10 over 120 points
    assert ratings["市住房和城乡建设局"] == round((200 / 3 + 5 + 5) / 120 * 100, 1)
    with pytest.raises(ValueError, match="Unknown unit rating weight"):
        reports.rating_weights({"speed": 1})


def test_public_replies_leave_out_confidential_suggestions_and_personal_data(life, congress):
    rows = list(reports.public_replies(congress=congress, year=YEAR))

    # S2's reply was rated 不满意 by its deputy: never published.
    assert [row["assignment__suggestion__title"] for row in rows] == ["关于加装电梯的建议"]
    assert set(rows[0]) == set(reports.PUBLIC_REPLY_FIELDS)


# -- Pages ------------------------------------------------------------------------------------------


def test_public_page_works_anonymously_without_confidential_items_or_contact_data(client, life):
    response = client.get(reverse("suggestions:report_public", args=[YEAR]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "关于加装电梯的建议" in page and "电梯已加装完毕。" in page and "A类" in page
    assert 'data-testid="public-total">4<' in page
    assert "学位正在规划中。" not in page  # rejected by its deputy
    assert "关于某涉密工程的建议" not in page and "保密答复内容" not in page
    for person in Person.objects.all():
        assert person.name not in page
        assert person.phone not in page
        assert person.id_number not in page
        assert person.email not in page


@pytest.mark.parametrize("name", ["report_handling", "report_ratings"])
@pytest.mark.parametrize("who", ["deputy_user", "unit_user", "county_user", "committee_user", "co_unit_user"])
def test_report_pages_are_not_found_for_other_roles(client, request, rules, name, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse(f"suggestions:{name}", args=[YEAR])).status_code == 404


@pytest.mark.parametrize("name", ["report_handling", "report_ratings"])
def test_report_pages_ask_anonymous_users_to_log_in(client, rules, name):
    response = client.get(reverse(f"suggestions:{name}", args=[YEAR]))

    assert response.status_code == 302
    assert "/login" in response["Location"]


@pytest.mark.parametrize("who", ["staff", "leader", "admin_user"])
def test_report_pages_show_the_figures_to_the_office_and_leaders(client, request, life, who):
    client.force_login(request.getfixturevalue(who))

    report = client.get(reverse("suggestions:report_handling", args=[YEAR]))
    ratings = client.get(reverse("suggestions:report_ratings", args=[YEAR]))

    assert report.status_code == ratings.status_code == 200
    page = report.content.decode()
    assert 'data-testid="report-total">4<' in page
    assert "vendor/echarts/echarts.min.js" in page and "result-class-data" in page
    assert "50.0%" in page  # on-time replies
    rating_page = ratings.content.decode()
    assert "76.7" in rating_page
    assert (
        "按时签收率×15 + 按时答复率×25 + 答复前沟通率×15 + 满意率×25 + 解决率×10 + 承诺兑现率×10"
        in rating_page
    )


def test_report_excel_has_the_three_sheets_with_the_numbers(client, staff, life):
    client.force_login(staff)

    response = client.get(reverse("suggestions:report_handling", args=[YEAR]), {"export": "xlsx"})

    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["总体", "按单位", "按领域"]
    overview = {row[0]: row[1:] for row in workbook["总体"].iter_rows(min_row=2, values_only=True)}
    assert overview["建议总数"][0] == 4
    assert overview["办理结果：A类：已解决或基本解决"][0] == 1
    assert overview["按时答复率"] == (2, 50.0)
    assert overview["按时签收率"] == (2, 40.0)
    units = list(workbook["按单位"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[1], row[-1]) for row in units] == [
        ("市住房和城乡建设局", 3, 76.7),
        ("市教育局", 1, 0.0),
    ]
    fields = list(workbook["按领域"].iter_rows(min_row=2, values_only=True))
    assert fields == [("城建环境", 3), ("教育科技", 1)]


def test_report_word_document_reads_as_an_official_report(client, leader, life):
    client.force_login(leader)

    response = client.get(reverse("suggestions:report_handling", args=[YEAR]), {"export": "docx"})

    assert response.status_code == 200
    document = Document(BytesIO(response.content))
    title = document.paragraphs[0]
    assert title.text == "关于2025年代表建议办理情况的报告"
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = "\n".join(p.text for p in document.paragraphs)
    assert "共立案代表建议4件，交由2个单位主办（分办）。已答复3件" in body
    assert "按时签收率40.0%，按时答复率50.0%，答复前与代表沟通率66.7%" in body
    assert "满意1件（33.3%）" in body
    assert "重点督办建议1件" in body
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == [
        "承办单位",
        "件数",
        "按时答复率",
        "满意率",
        "解决率",
        "综合得分",
    ]
    assert [cell.text for cell in table.rows[1].cells] == [
        "市住房和城乡建设局",
        "3",
        "66.7%",
        "100.0%",
        "50.0%",
        "76.7",
    ]
    assert [cell.text for cell in table.rows[2].cells] == ["市教育局", "1", "0.0%", "0.0%", "0.0%", "0.0"]


def test_ratings_excel_export(client, staff, life):
    client.force_login(staff)

    response = client.get(reverse("suggestions:report_ratings", args=[YEAR]), {"export": "xlsx"})

    workbook = load_workbook(BytesIO(response.content))
    rows = list(workbook["绩效考评"].iter_rows(min_row=2, values_only=True))
    assert rows[0] == (1, "市住房和城乡建设局", 66.7, 66.7, 100.0, 100.0, 50.0, 50.0, 76.7)
    assert rows[1][-2:] == (None, 0.0)  # no promises: left empty, not counted
    assert (rows[2][0], rows[2][1], rows[2][-1]) == ("不足以排名", "市交通运输局", None)
    assert workbook["权重"]["B2"].value == 15


# -- Query counts ------------------------------------------------------------------------------------


def _replied_suggestions(count, *, staff, mandate, field, unit, unit_user):
    for index in range(count):
        _suggestion, (assignment,) = _assigned(
            mandate, staff, field=field, lead=unit, title=f"关于第{index}号路口改造的建议"
        )
        services.assignment_acknowledge(assignment=assignment, actor=unit_user)
        services.commitment_record(
            assignment=assignment, text="年内完成", due_date=date(2025, 12, 31), actor=unit_user
        )
        reply = released(assignment, unit_user, staff, result_class="AB"[index % 2], contact_deputy=mandate)
        _evaluate(reply, mandate, Satisfaction.SATISFIED)


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_data(
    client, rules, staff, own_mandate, urban_field, lead_unit, unit_user
):
    client.force_login(staff)
    urls = [
        (reverse("suggestions:report_handling", args=[YEAR]), {}),
        (reverse("suggestions:report_handling", args=[YEAR]), {"export": "xlsx"}),
        (reverse("suggestions:report_handling", args=[YEAR]), {"export": "docx"}),
        (reverse("suggestions:report_ratings", args=[YEAR]), {}),
        (reverse("suggestions:report_public", args=[YEAR]), {}),
    ]
    make = {
        "staff": staff,
        "mandate": own_mandate,
        "field": urban_field,
        "unit": lead_unit,
        "unit_user": unit_user,
    }
    _replied_suggestions(5, **make)
    with CaptureQueriesContext(connection) as selector_queries:
        reports.handling_report(congress=rules.congress, year=YEAR)
        reports.unit_ratings(congress=rules.congress, year=YEAR)
    small = [_queries(client, url, **params) for url, params in urls]

    _replied_suggestions(25, **make)
    large = [_queries(client, url, **params) for url, params in urls]

    assert len(selector_queries) == 8 + 5
    assert small == large
    assert reports.handling_report(congress=rules.congress, year=YEAR).total == 30
    second_page = client.get(reverse("suggestions:report_public", args=[YEAR]), {"page": 2})
    assert (second_page.context["page"].number, len(second_page.context["rows"])) == (2, 10)


# -- Issue 8: contacts by when they took place, every evaluation, the ranking threshold, publication


def test_contact_counts_by_the_day_it_took_place_not_when_it_was_typed_in(life, congress, other_unit_user):
    s2_lead = life["s2"].assignments.get()
    # Typed in on 2025-07-01, after the reply of 2025-06-20, about a call on 2025-06-01.
    services.contact_log(
        assignment=s2_lead,
        actor=other_unit_user,
        deputy=life["s2"].lead_mandate,
        contacted_on=date(2025, 6, 1),
        stage="before",
        method="phone",
    )

    report = reports.handling_report(congress=congress, year=YEAR)

    assert Contact.objects.get(assignment=s2_lead).created_at.date() == date(2025, 7, 1)
    assert report.contact_before_reply == reports.Rate(3, 3)


def test_a_contact_after_the_reply_is_not_a_contact_before_it(life, congress, other_unit_user):
    s2_lead = life["s2"].assignments.get()
    services.contact_log(
        assignment=s2_lead,
        actor=other_unit_user,
        deputy=life["s2"].lead_mandate,
        contacted_on=date(2025, 6, 25),
        stage="after",
        method="phone",
    )

    assert reports.handling_report(congress=congress, year=YEAR).contact_before_reply == reports.Rate(2, 3)


def test_the_report_counts_every_evaluation_not_only_the_latest(life, congress, cosigner_one):
    s2_reply = Reply.objects.get(assignment__suggestion=life["s2"])
    # An earlier answer of S2, released and rated before the one above (as after a re-handling).
    earlier = Reply.objects.create(
        assignment=s2_reply.assignment,
        body="初次答复。",
        result_class="C",
        signed_by="张局长",
        status="released",
        drafted_by=s2_reply.drafted_by,
        submitted_at=at(2025, 5, 1),
        released_at=at(2025, 5, 2),
    )
    recipient = earlier.recipients.create(mandate=cosigner_one)
    Evaluation.objects.create(
        recipient=recipient, satisfaction=Satisfaction.DISSATISFIED, evaluated_by=cosigner_one.person.user
    )

    report = reports.handling_report(congress=congress, year=YEAR)

    assert report.evaluations == 4
    assert [(row.key, row.count) for row, _share in report.satisfaction] == [
        ("satisfied", 1),
        ("basically_satisfied", 1),
        ("dissatisfied", 2),
    ]


def test_units_with_too_few_cases_are_listed_apart_and_not_scored(life, congress, rules, client, staff):
    SuggestionRules.objects.filter(pk=rules.pk).update(rating_minimum_cases=2)

    ratings = reports.unit_ratings(congress=congress, year=YEAR)

    assert [(r.unit_name, r.cases, r.is_ranked, r.score) for r in ratings] == [
        ("市住房和城乡建设局", 3, True, 76.7),
        ("市交通运输局", 0, False, None),
        ("市教育局", 1, False, None),
    ]
    client.force_login(staff)
    page = client.get(reverse("suggestions:report_ratings", args=[YEAR]))
    assert [row[0].unit_name for row in page.context["ratings"]] == ["市住房和城乡建设局"]
    assert [row[0].unit_name for row in page.context["unranked"]] == ["市交通运输局", "市教育局"]
    assert "不足以排名" in page.content.decode()


def test_the_ranking_threshold_is_checked_by_the_rules(rules):
    rules.rating_minimum_cases = 0

    with pytest.raises(ValidationError) as refused:
        rules.full_clean()

    assert "rating_minimum_cases" in refused.value.message_dict
    rules.refresh_from_db()
    assert rules.rating_minimum_cases == 5


def test_a_reply_withheld_from_the_public_is_not_published(life, congress, client):
    Reply.objects.filter(assignment__suggestion=life["s1"]).update(is_withheld_from_public=True)

    assert list(reports.public_replies(congress=congress, year=YEAR)) == []
    page = client.get(reverse("suggestions:report_public", args=[YEAR])).content.decode()
    assert "电梯已加装完毕。" not in page and "本年度暂无公开的答复。" in page


def test_only_the_final_released_reply_is_published(life, congress):
    s1_reply = Reply.objects.get(assignment__suggestion=life["s1"])
    later = Reply.objects.create(
        assignment=s1_reply.assignment,
        kind="follow_up",
        body="跟踪答复：已全部完成。",
        result_class="A",
        signed_by="张局长",
        status="released",
        drafted_by=s1_reply.drafted_by,
        submitted_at=at(2025, 6, 30),
        released_at=at(2025, 6, 30),
    )

    rows = list(reports.public_replies(congress=congress, year=YEAR))

    assert [(row["pk"], row["body"]) for row in rows] == [(later.pk, "跟踪答复：已全部完成。")]


@pytest.mark.parametrize("name", ["report_handling", "report_ratings", "report_public"])
def test_report_pages_switch_years(client, staff, life, name):
    client.force_login(staff)

    response = client.get(reverse(f"suggestions:{name}", args=[YEAR]))

    assert YEAR in response.context["years"]
    assert f'href="{reverse(f"suggestions:{name}", args=[YEAR])}?congress=' in response.content.decode()
    assert 'aria-current="page"' in response.content.decode()
