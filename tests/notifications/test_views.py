"""The notification pages and the navbar's bell: own notifications only, unread first, marking read
with and without HTMX, safe links, and queries that do not grow with the data."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lvzhi.notifications import services
from lvzhi.notifications.models import Notification

LIST = reverse("notifications:list")
READ_ALL = reverse("notifications:read_all")


def read_url(notification) -> str:
    return reverse("notifications:read", args=[notification.pk])


def open_url(notification) -> str:
    return reverse("notifications:open", args=[notification.pk])


def make(user, title, *, link="", read=False) -> Notification:
    (notification,) = services.notify(recipients=[user], kind="test.kind", title=title, link=link)
    if read:
        services.notification_mark_read(notification_id=notification.pk, actor=user)
    return notification


def titles_on_list(client, query="") -> list[str]:
    response = client.get(LIST + query)
    assert response.status_code == 200
    return [n.title for n in response.context["page"].object_list]


@pytest.fixture
def mine_and_theirs(recipient, other_user):
    return {
        "old_read": make(recipient, "已读的旧消息", read=True),
        "unread": make(recipient, "未读消息", link="/deputies/"),
        "newer_unread": make(recipient, "更新的未读消息"),
        "theirs": make(other_user, "别人的消息"),
    }


# Who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize("method, url", [("get", LIST), ("post", READ_ALL)])
def test_anonymous_is_sent_to_login(client, method, url):
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_list_shows_only_own_notifications_unread_first(client, recipient, mine_and_theirs):
    client.force_login(recipient)

    assert titles_on_list(client) == ["更新的未读消息", "未读消息", "已读的旧消息"]
    assert "别人的消息" not in client.get(LIST).content.decode()


def test_the_unread_filter(client, recipient, mine_and_theirs):
    client.force_login(recipient)

    assert titles_on_list(client, "?show=unread") == ["更新的未读消息", "未读消息"]


def test_the_list_is_paginated(client, recipient):
    for n in range(25):
        make(recipient, f"消息{n}")
    client.force_login(recipient)

    assert len(titles_on_list(client)) == 20
    assert titles_on_list(client, "?page=2") == [f"消息{n}" for n in range(4, -1, -1)]


def test_htmx_gets_the_list_partial_without_the_bell_query(client, recipient, mine_and_theirs):
    client.force_login(recipient)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div class="card" id="notification-list">')
    assert "<html" not in html
    # The paginator counts all; the bell's count of the unread never runs for a partial.
    assert not [q for q in queries if "COUNT(" in q["sql"].upper() and "IS NULL" in q["sql"]]


# Marking read -------------------------------------------------------------------------------


def test_mark_read_by_post(client, recipient, mine_and_theirs):
    unread = mine_and_theirs["unread"]
    client.force_login(recipient)

    response = client.post(read_url(unread))

    assert response.status_code == 302
    assert response["Location"] == LIST
    unread.refresh_from_db()
    assert unread.read_at is not None


def test_mark_read_with_htmx_returns_the_row_and_the_bell(client, recipient, mine_and_theirs):
    unread = mine_and_theirs["unread"]
    client.force_login(recipient)

    response = client.post(read_url(unread), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{unread.pk}"' in html
    assert "标为已读" not in html  # the row is read now
    assert 'id="notification-bell"' in html and 'hx-swap-oob="true"' in html
    assert '<span class="badge bg-red text-white ms-1" data-testid="unread-count">1</span>' in html


@pytest.mark.parametrize("view", ["read", "open"])
def test_somebody_elses_notification_is_not_found(client, recipient, mine_and_theirs, view):
    theirs = mine_and_theirs["theirs"]
    client.force_login(recipient)

    response = client.post(read_url(theirs)) if view == "read" else client.get(open_url(theirs))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_missing_notification_is_not_found(client, recipient):
    client.force_login(recipient)

    assert client.post(reverse("notifications:read", args=[987654])).status_code == 404


def test_mark_read_needs_post(client, recipient, mine_and_theirs):
    client.force_login(recipient)

    assert client.get(read_url(mine_and_theirs["unread"])).status_code == 405
    assert client.get(READ_ALL).status_code == 405


def test_mark_all_read_touches_only_own(client, recipient, mine_and_theirs):
    client.force_login(recipient)

    response = client.post(READ_ALL, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "未读消息" in response.content.decode()
    assert not Notification.objects.filter(recipient=recipient, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=mine_and_theirs["theirs"].pk).read_at is None
    assert 'data-testid="unread-count"' not in response.content.decode()


def test_opening_marks_read_and_follows_the_link(client, recipient, mine_and_theirs):
    unread = mine_and_theirs["unread"]
    client.force_login(recipient)

    response = client.get(open_url(unread))

    assert response.status_code == 302
    assert response["Location"] == "/deputies/"
    unread.refresh_from_db()
    assert unread.read_at is not None


def test_opening_never_leaves_the_site(client, recipient):
    foreign = make(recipient, "外部链接", link="https://evil.example.com/login")
    client.force_login(recipient)

    response = client.get(open_url(foreign))

    assert response["Location"] == LIST


# The bell -----------------------------------------------------------------------------------


def test_the_bell_shows_the_unread_count_from_one_query(client, recipient, mine_and_theirs):
    client.force_login(recipient)

    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("portal:home")).content.decode()

    assert '<span class="badge bg-red text-white ms-1" data-testid="unread-count">2</span>' in html
    assert 'aria-label="消息，2 条未读"' in html
    notification_queries = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(notification_queries) == 1
    assert "COUNT(" in notification_queries[0].upper()


def test_no_badge_without_unread_notifications(client, recipient):
    make(recipient, "已读", read=True)
    client.force_login(recipient)

    html = client.get(reverse("portal:home")).content.decode()

    assert 'id="notification-bell"' in html
    assert 'data-testid="unread-count"' not in html


def test_the_badge_caps_at_99(client, recipient):
    Notification.objects.bulk_create(
        Notification(recipient=recipient, kind="t", title=f"{n}") for n in range(120)
    )
    client.force_login(recipient)

    html = client.get(reverse("portal:home")).content.decode()

    assert 'data-testid="unread-count">99+</span>' in html


# Queries ------------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_the_data(client, recipient, target):
    content_type = ContentType.objects.get_for_model(target)

    def bulk(n):
        Notification.objects.bulk_create(
            Notification(
                recipient=recipient,
                kind="t",
                title=f"{i}",
                link="/deputies/",
                target_content_type=content_type if i % 2 else None,
                target_object_id=target.pk if i % 2 else None,
                read_at=timezone.now() if i % 3 else None,
            )
            for i in range(n)
        )

    client.force_login(recipient)
    bulk(4)
    few = count_queries(client, LIST)
    few_unread = count_queries(client, LIST + "?show=unread")
    bulk(40)

    assert count_queries(client, LIST) == few
    assert count_queries(client, LIST + "?show=unread") == few_unread
