"""The form field tag: selects say 请选择, large pickers are searchable by pinyin initials without a
query more than the field itself costs."""

import json
import re

import pytest
from django import forms
from django.template import Context, Template

from lvzhi.organizations.models import HandlingUnit
from tests.factories import HandlingUnitFactory

NAMES = ["福州市住房和城乡建设局", "福州市教育局", "福州市卫生健康委员会"] + [
    f"承办单位{n:02d}" for n in range(20)
]


def render(form, name):
    return Template("{% load lvzhi %}{% field_row form." + name + " %}").render(Context({"form": form}))


class SmallForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=[("", "---------"), ("a", "甲"), ("b", "乙")])
    scope = forms.ChoiceField(label="范围", choices=[("", "全部"), ("a", "甲")], required=False)


def test_the_empty_choice_says_please_choose():
    html = render(SmallForm(), "kind")

    assert '<option value="" selected>请选择</option>' in html
    assert "---------" not in html
    assert "data-search" not in html
    assert "data-pinyin" not in html


def test_an_empty_choice_with_its_own_label_keeps_it():
    assert '<option value="" selected>全部</option>' in render(SmallForm(), "scope")


@pytest.fixture
def units(db):
    return [HandlingUnitFactory(name=name) for name in NAMES]


class UnitForm(forms.Form):
    lead = forms.ModelChoiceField(label="主办单位", queryset=HandlingUnit.objects.order_by("pk"))
    co = forms.ModelMultipleChoiceField(label="协办单位", queryset=HandlingUnit.objects.order_by("pk"))


def test_a_picker_of_many_units_is_searchable_by_pinyin_initials(units, django_assert_num_queries):
    with django_assert_num_queries(1):
        html = render(UnitForm(), "lead")

    assert re.search(r"<select [^>]*data-search", html)
    assert f'<option value="{units[0].pk}" data-pinyin="fzszfhcxjsj">福州市住房和城乡建设局</option>' in html
    assert 'data-pinyin="fzsjyj">福州市教育局</option>' in html
    assert '<option value="" selected>请选择</option>' in html


def test_a_multiple_picker_is_searchable_too_and_keeps_its_selection(units):
    html = render(UnitForm(data={"co": [units[1].pk]}), "co")

    assert re.search(r"<select [^>]*data-search", html)
    assert f'<option value="{units[1].pk}" selected data-pinyin="fzsjyj">福州市教育局</option>' in html


def test_a_picker_of_twenty_choices_or_fewer_stays_plain(db):
    for name in NAMES[:20]:
        HandlingUnitFactory(name=name)

    html = render(UnitForm(), "lead")

    assert "data-search" not in html
    assert "data-pinyin" not in html


def test_the_pinyin_index_of_a_page_of_identical_pickers(units):
    html = Template("{% load lvzhi %}{% pinyin_index units %}").render(
        Context({"units": {unit.pk: unit for unit in units[:2]}})
    )

    data = json.loads(re.search(r">(.*)</script>", html).group(1))
    assert data == {str(units[0].pk): "fzszfhcxjsj", str(units[1].pk): "fzsjyj"}
    assert 'id="pinyin-index"' in html
