"""The top navigation: grouped into menus for the office, flat for roles with few links, links only
to what the role may open, the reports of the current year, the API documentation for the office."""

import re
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

import lvzhi

HOME = "/"


def menus_of(client, user, path=HOME):
    client.force_login(user)
    return client.get(path).context["nav_menus"]


def labels(entries):
    return [str(entry.label) for entry in entries]


def children(entries, label):
    return [(str(child.label), child.href) for child in next(e for e in entries if e.label == label).children]


@time_machine.travel(date(2026, 5, 4))
def test_the_office_finds_its_sections_grouped_into_menus(client, staff):
    menus = menus_of(client, staff)

    assert labels(menus) == [
        "首页",
        "代表名册",
        "名册导入",
        "建议议案",
        "建议督办",
        "报告",
        "组织结构",
        "工作日历",
        "系统管理",
    ]
    assert children(menus, "建议议案") == [
        ("代表建议", reverse("suggestions:list")),
        ("办理工作", reverse("suggestions:work")),
        ("代表议案", reverse("motions:list")),
    ]
    assert children(menus, "报告") == [
        ("办理情况报告", reverse("suggestions:report_handling", args=[2026])),
        ("承办单位绩效考评", reverse("suggestions:report_ratings", args=[2026])),
        ("答复公开", reverse("suggestions:report_public", args=[2026])),
    ]
    assert children(menus, "系统管理") == [
        ("账户管理", reverse("access:accounts")),
        ("API 文档", reverse("api-docs")),
    ]


def test_every_user_finds_its_own_account_under_its_name(client, deputy_user):
    client.force_login(deputy_user)

    response = client.get(HOME)

    assert response.context["nav_account_links"] == [
        ("个人设置", reverse("access:me")),
        ("修改密码", reverse("access:password")),
    ]
    assert f'href="{reverse("access:password")}">修改密码</a>' in response.content.decode()


def test_a_deputy_sees_its_few_links_side_by_side(client, deputy_user, own_mandate):
    menus = menus_of(client, deputy_user)

    assert labels(menus) == ["首页", "代表名册", "代表建议", "代表议案", "答复公开"]
    assert not any(entry.is_menu for entry in menus)


def test_a_handling_unit_sees_its_work_and_no_office_page(client, unit_user):
    menus = menus_of(client, unit_user)

    assert labels(menus) == ["首页", "代表名册", "代表建议", "办理工作", "答复公开"]


def test_a_leader_finds_the_reports_in_a_menu(client, leader):
    menus = menus_of(client, leader)

    assert labels(menus) == ["首页", "代表名册", "建议议案", "建议督办", "报告"]
    assert [label for label, _href in children(menus, "报告")] == [
        "办理情况报告",
        "承办单位绩效考评",
        "答复公开",
    ]


@pytest.mark.parametrize("role", ["leader", "unit_user", "county_user", "committee_user", "deputy_user"])
def test_only_the_office_is_offered_the_api_documentation_and_the_structure(client, request, role):
    items = [label for label, _href, _active in menus_flat(client, request.getfixturevalue(role))]

    assert "API 文档" not in items
    assert "组织结构" not in items
    assert "名册导入" not in items


def menus_flat(client, user):
    client.force_login(user)
    return client.get(HOME).context["nav_items"]


def test_the_current_page_is_marked_in_its_menu(client, staff):
    menus = menus_of(client, staff, reverse("suggestions:work"))

    active = [entry for entry in menus if entry.active]
    assert labels(active) == ["建议议案"]
    assert [str(child.label) for child in active[0].children if child.active] == ["办理工作"]


def test_the_home_page_is_marked_only_on_itself(client, staff):
    assert [str(e.label) for e in menus_of(client, staff) if e.active] == ["首页"]
    assert [str(e.label) for e in menus_of(client, staff, reverse("notifications:list")) if e.active] == []


def test_the_page_renders_menus_a_collapsing_bar_and_our_favicon(client, staff):
    client.force_login(staff)

    html = client.get(HOME).content.decode()

    assert 'class="navbar-toggler' in html
    assert 'data-bs-toggle="dropdown"' in html
    assert "lvzhi/favicon.svg" in html
    assert re.search(r"<title>[^<]+ · 履职</title>", html)


def test_the_anonymous_visitor_sees_no_navigation(client):
    html = client.get(reverse("accounts:login")).content.decode()

    assert "主导航" not in html


def test_every_page_has_its_own_chinese_title():
    root = Path(lvzhi.__file__).parent
    pages = [
        path for path in root.rglob("templates/**/*.html") if '{% extends "base.html" %}' in path.read_text()
    ]

    assert len(pages) > 30
    for path in pages:
        title = re.search(r"{% block title %}(.*?){% endblock %}", path.read_text())
        assert title, path
        # Either Chinese text or the object's own name ({{ suggestion.title }}, {{ person.name }}).
        assert re.search(r"[\u4e00-\u9fff]|{{", title.group(1)), path
