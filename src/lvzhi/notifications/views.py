"""The user's notifications: the list, marking read (one or all, HTMX or plain POST), opening one."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from lvzhi.core.errors import ForbiddenError

from . import selectors, services
from .models import Notification

PAGE_SIZE = 20
SHOW_UNREAD = "unread"


def _show(request) -> str:
    return SHOW_UNREAD if request.GET.get("show", request.POST.get("show")) == SHOW_UNREAD else "all"


def _list_context(request) -> dict:
    show = _show(request)
    notifications = selectors.notification_list(user=request.user, unread_only=show == SHOW_UNREAD)
    return {"page": Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page")), "show": show}


def _mark_read(request, pk: int) -> Notification:
    try:
        return services.notification_mark_read(notification_id=pk, actor=request.user)
    except ForbiddenError as error:
        raise Http404(error.message) from error


def _safe_link(request, link: str) -> str | None:
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return link
    return None


@login_required
def notification_list_view(request):
    """All or only the unread notifications of the user, unread first, paginated."""
    partial = request.htmx and not request.htmx.history_restore_request
    template = "notifications/partials/notification_list.html" if partial else "notifications/list.html"
    return render(request, template, _list_context(request))


@login_required
@require_POST
def notification_read_view(request, pk: int):
    """Mark one notification read. HTMX gets the row again and the bell (out of band)."""
    notification = _mark_read(request, pk)
    if request.htmx:
        html = render_to_string(
            "notifications/partials/notification_row.html", {"notification": notification}, request=request
        )
        html += render_to_string("notifications/partials/bell.html", {"oob": True}, request=request)
        return HttpResponse(html)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all_view(request):
    """Mark every notification of the user read. HTMX gets the list again and the bell."""
    services.notifications_mark_all_read(actor=request.user)
    if request.htmx:
        html = render_to_string(
            "notifications/partials/notification_list.html", _list_context(request), request=request
        )
        html += render_to_string("notifications/partials/bell.html", {"oob": True}, request=request)
        return HttpResponse(html)
    return redirect("notifications:list")


@login_required
def notification_open_view(request, pk: int):
    """Open what a notification is about: mark it read, then go to its link (on this site only).

    A GET with a side effect on purpose: it is what following the link means, it touches only the
    user's own row and doing it twice changes nothing.
    """
    notification = _mark_read(request, pk)
    return redirect(_safe_link(request, notification.link) or reverse("notifications:list"))
