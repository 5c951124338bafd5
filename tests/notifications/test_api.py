"""The notifications API: every role sees and marks only its own notifications (somebody else's is
404), the unread filter, marking all read, the unread count, and fixed query counts."""

import pytest
from django.contrib.contenttypes.models import ContentType
from rest_framework.test import APIClient

from lvzhi.notifications import services
from lvzhi.notifications.models import Notification

NOTIFICATIONS = "/api/v1/notifications/"
NOT_FOUND = {"detail": "未找到该消息，或您无权查看。"}
ALL_ROLES = ["deputy_user", "unit_user", "county_user", "committee_user", "leader", "staff", "admin_user"]


@pytest.fixture
def api():
    return APIClient()


def make(user, title, **kwargs) -> Notification:
    kwargs.setdefault("kind", "suggestion.reply_due")
    (notification,) = services.notify(recipients=[user], title=title, **kwargs)
    return notification


@pytest.fixture
def everybody_has_one(request):
    """Each role's user with one notification of its own."""
    users = {role: request.getfixturevalue(role) for role in ALL_ROLES}
    return {role: (user, make(user, f"{role}的消息")) for role, user in users.items()}


def test_anonymous_gets_nothing(api, recipient):
    notification = make(recipient, "消息")

    assert api.get(NOTIFICATIONS).status_code == 403
    assert api.post(f"{NOTIFICATIONS}{notification.pk}/read/").status_code == 403
    assert api.post(f"{NOTIFICATIONS}read-all/").status_code == 403


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_role_sees_and_marks_only_its_own(api, everybody_has_one, role):
    user, own = everybody_has_one[role]
    api.force_authenticate(user)

    listed = api.get(NOTIFICATIONS).data["results"]
    assert [n["id"] for n in listed] == [own.pk]

    for other_role, (_other, theirs) in everybody_has_one.items():
        if other_role == role:
            continue
        assert api.get(f"{NOTIFICATIONS}{theirs.pk}/").data == NOT_FOUND
        response = api.post(f"{NOTIFICATIONS}{theirs.pk}/read/")
        assert (response.status_code, response.data) == (404, NOT_FOUND)
    assert not Notification.objects.exclude(read_at=None).exists()

    response = api.post(f"{NOTIFICATIONS}{own.pk}/read/")
    assert response.status_code == 200
    assert response.data["is_read"] is True
    assert Notification.objects.exclude(read_at=None).get() == own


def test_the_representation(api, recipient, target):
    notification = make(
        recipient,
        "答复第1001号建议（还有3天到期）",
        body="截止日期：2025年6月5日",
        link="/s/7/",
        target=target,
    )
    api.force_authenticate(recipient)

    response = api.get(f"{NOTIFICATIONS}{notification.pk}/")

    assert response.status_code == 200
    assert response.data == {
        "id": notification.pk,
        "kind": "suggestion.reply_due",
        "title": "答复第1001号建议（还有3天到期）",
        "body": "截止日期：2025年6月5日",
        "link": "/s/7/",
        "target_type": "organizations.handlingunit",
        "target_id": target.pk,
        "created_at": response.data["created_at"],
        "read_at": None,
        "is_read": False,
    }
    assert response.data["created_at"]


def test_list_unread_first_and_the_unread_filter(api, recipient):
    first = make(recipient, "一")
    second = make(recipient, "二")
    third = make(recipient, "三", kind="suggestion.assigned")
    services.notification_mark_read(notification_id=third.pk, actor=recipient)
    api.force_authenticate(recipient)

    def ids(query=""):
        return [n["id"] for n in api.get(NOTIFICATIONS + query).data["results"]]

    assert ids() == [second.pk, first.pk, third.pk]
    assert ids("?unread=true") == [second.pk, first.pk]
    assert ids("?unread=false") == [third.pk]
    assert ids("?kind=suggestion.assigned") == [third.pk]


def test_read_all_and_the_unread_count(api, recipient, other_user):
    make(recipient, "一")
    make(recipient, "二")
    theirs = make(other_user, "别人的")
    api.force_authenticate(recipient)

    assert api.get(f"{NOTIFICATIONS}unread-count/").data == {"count": 2}
    assert api.post(f"{NOTIFICATIONS}read-all/").data == {"updated": 2}
    assert api.get(f"{NOTIFICATIONS}unread-count/").data == {"count": 0}
    assert api.post(f"{NOTIFICATIONS}read-all/").data == {"updated": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_notifications_are_read_only(api, recipient):
    notification = make(recipient, "消息")
    api.force_authenticate(recipient)

    assert api.delete(f"{NOTIFICATIONS}{notification.pk}/").status_code == 405
    assert api.patch(f"{NOTIFICATIONS}{notification.pk}/", {"title": "改"}, format="json").status_code == 405
    assert api.post(NOTIFICATIONS, {"title": "新"}, format="json").status_code == 405


def test_list_queries_do_not_grow_with_the_data(api, recipient, target, django_assert_num_queries):
    content_type = ContentType.objects.get_for_model(target)

    def bulk(n):
        Notification.objects.bulk_create(
            Notification(
                recipient=recipient,
                kind="t",
                title=str(i),
                target_content_type=content_type if i % 2 else None,
                target_object_id=target.pk if i % 2 else None,
            )
            for i in range(n)
        )

    api.force_authenticate(recipient)
    bulk(3)
    with django_assert_num_queries(2):  # count, page (target type joined)
        assert len(api.get(NOTIFICATIONS).data["results"]) == 3
    bulk(60)
    with django_assert_num_queries(2):
        assert len(api.get(NOTIFICATIONS).data["results"]) == 50
