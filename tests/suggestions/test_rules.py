"""A congress's suggestion rules cannot contradict the statute (Art. 51, DOMAIN §5.7), and the
numbers they give read with their year (numbers restart each year)."""

import pytest
from django.core.exceptions import ValidationError
from django.forms import modelform_factory

from lvzhi.suggestions.choices import SuggestionSeries
from lvzhi.suggestions.models import SuggestionRules

RulesForm = modelform_factory(
    SuggestionRules, fields=["reply_months", "hard_reply_months", "rehandling_months", "rating_minimum_cases"]
)


def form_data(**changes):
    data = {"reply_months": 3, "hard_reply_months": 6, "rehandling_months": 1, "rating_minimum_cases": 5}
    return {**data, **changes}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reply_months": 4}, "reply_months", "依照代表法第五十一条，答复期限不得超过三个月。"),
        (
            {"hard_reply_months": 7},
            "hard_reply_months",
            "依照代表法第五十一条，涉及面广、难度大的答复期限不得超过六个月。",
        ),
        (
            {"reply_months": 2, "hard_reply_months": 1},
            "hard_reply_months",
            "涉及面广、难度大的答复期限不得短于一般答复期限。",
        ),
        ({"rehandling_months": 3}, "rehandling_months", "重新办理期限不得超过两个月。"),
    ],
)
def test_a_form_over_the_rules_refuses_what_the_statute_forbids(rules, changes, field, message):
    form = RulesForm(data=form_data(**changes), instance=rules)

    assert not form.is_valid()
    assert form.errors[field] == [message]
    rules.refresh_from_db()
    assert (rules.reply_months, rules.hard_reply_months, rules.rehandling_months) == (3, 6, 1)


def test_the_hard_case_may_equal_the_normal_one(rules):
    rules.reply_months, rules.hard_reply_months = 2, 2

    rules.full_clean()


def test_hard_shorter_than_normal_is_refused_by_the_model(rules):
    rules.reply_months, rules.hard_reply_months = 3, 2

    with pytest.raises(ValidationError) as refused:
        rules.full_clean()

    assert refused.value.message_dict == {
        "hard_reply_months": ["涉及面广、难度大的答复期限不得短于一般答复期限。"]
    }


def test_numbers_read_with_their_year(rules):
    assert (
        rules.number_label(series=SuggestionSeries.BETWEEN_SESSIONS, number=1, year=2026) == "〔2026〕第1号"
    )


def test_a_format_that_places_the_year_itself_is_kept(rules):
    rules.between_sessions_number_format = "闭{year}-{number}"

    assert rules.number_label(series=SuggestionSeries.BETWEEN_SESSIONS, number=7, year=2026) == "闭2026-7"
