"""The home page is each role's work desk (工作台, ``desks``); the registry's headcounts moved to
their own page (代表名册统计), summarised on the desks of the office and the leaders."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.deputies.choices import Composition
from lvzhi.deputies.selectors import mandate_dashboard
from lvzhi.supervision.selectors import supervision_items_for_home

from .desks import desk_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's desk: its work counted, each count a link to the narrowed list."""
    user = request.user
    sees_registry = is_office(user) or getattr(user, "role", None) == Role.LEADER
    context = {
        "sections": desk_for(user, timezone.localdate()),
        # 我领衔督办的建议: the items the user leads or is on the team of (leaders, mostly).
        "supervision_items": supervision_items_for_home(user),
        "registry": mandate_dashboard(user=user)["totals"] if sees_registry else None,
    }
    return render(request, "portal/home.html", context)


@login_required
def registry(request: HttpRequest) -> HttpResponse:
    """代表名册统计: headcounts of the deputies the user may see, by congress and composition."""
    dashboard = mandate_dashboard(user=request.user)
    chart = [
        {"name": Composition(row["composition"]).label, "value": row["count"]}
        for row in dashboard["by_composition"]
    ]
    return render(request, "portal/registry.html", {"dashboard": dashboard, "composition_chart": chart})
