"""A suggestion printed for the archive (page, PDF, Word): what the user may see of it, nothing
more; 404 outside the user's scope."""

import io

import pytest
from django.urls import reverse

from lvzhi.suggestions import services
from lvzhi.suggestions.choices import Satisfaction
from lvzhi.suggestions.models import ReplyRecipient

from .factories import assign, released, reply


def print_url(suggestion, kind: str = "") -> str:
    address = reverse("suggestions:print", args=[suggestion.pk])
    return f"{address}?format={kind}" if kind else address


@pytest.fixture
def handled(own_mandate, cosigner_one, staff, rules, urban_field, lead_unit, unit_user, deputy_user):
    """Assigned to ``lead_unit``, its reply released and rated 满意 by the lead deputy."""
    suggestion, (assignment,) = assign(
        own_mandate, staff, field=urban_field, lead=lead_unit, cosigners=[cosigner_one]
    )
    answer = released(assignment, unit_user, staff, contact_deputy=own_mandate, body="已列入今年改造计划。")
    recipient = ReplyRecipient.objects.get(reply=answer, mandate=own_mandate)
    services.reply_evaluate(
        recipient=recipient,
        actor=deputy_user,
        satisfaction=Satisfaction.SATISFIED,
        process_rating=Satisfaction.SATISFIED,
        result_rating=Satisfaction.SATISFIED,
        comment="办理及时。",
    )
    suggestion.refresh_from_db()
    return suggestion


def test_the_print_page_holds_the_text_signers_units_reply_rating_and_log(client, staff, handled):
    client.force_login(staff)

    html = client.get(print_url(handled)).content.decode()

    assert handled.title in html and "老旧小区居民上下楼难" in html
    assert "陈联一" in html  # the co-signer
    assert "市住房和城乡建设局" in html
    assert "已列入今年改造计划。" in html and "办理及时。" in html and "满意" in html
    assert "审查立案" in html  # the handling log
    assert 'href="?format=pdf"' in html and 'href="?format=docx"' in html


def test_the_detail_page_links_to_the_print_page(client, staff, handled):
    client.force_login(staff)
    html = client.get(reverse("suggestions:detail", args=[handled.pk])).content.decode()
    assert f'href="{print_url(handled)}"' in html


def test_a_reply_under_review_is_not_printed_for_the_deputy(
    client, own_mandate, staff, rules, urban_field, lead_unit, unit_user, deputy_user
):
    suggestion, (assignment,) = assign(own_mandate, staff, field=urban_field, lead=lead_unit)
    reply(assignment, unit_user, contact_deputy=own_mandate, body="尚在审核中的答复。")
    client.force_login(deputy_user)
    html = client.get(print_url(suggestion)).content.decode()
    assert suggestion.title in html
    assert "尚在审核中的答复。" not in html


def test_the_pdf_is_a_pdf(client, staff, handled):
    client.force_login(staff)
    response = client.get(print_url(handled, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"suggestion-{handled.pk}.pdf" in response["Content-Disposition"]


def test_the_word_file_holds_the_same_text(client, staff, handled):
    from docx import Document

    client.force_login(staff)
    response = client.get(print_url(handled, "docx"))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert handled.title in text and "已列入今年改造计划。" in text


def test_outside_the_scope_the_archive_copy_is_not_found(client, handled, other_unit_user, other_deputy):
    for user in (other_unit_user, other_deputy.person.user):
        client.force_login(user)
        for kind in ("", "pdf", "docx"):
            assert client.get(print_url(handled, kind)).status_code == 404


def test_anonymous_is_sent_to_login(client, handled):
    assert client.get(print_url(handled))["Location"].startswith(reverse("accounts:login"))


def test_the_print_page_costs_the_same_queries_for_a_longer_history(
    client,
    staff,
    handled,
    own_mandate,
    cosigner_one,
    cosigner_two,
    urban_field,
    lead_unit,
    co_unit,
    unit_user,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)

    def queries(suggestion) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(print_url(suggestion)).status_code == 200
        return len(context.captured_queries)

    longer, (lead_assignment, _co) = assign(
        own_mandate,
        staff,
        field=urban_field,
        lead=lead_unit,
        co_units=[co_unit],
        cosigners=[cosigner_one, cosigner_two],
    )
    released(lead_assignment, unit_user, staff, contact_deputy=own_mandate)
    assert queries(longer) == queries(handled)
