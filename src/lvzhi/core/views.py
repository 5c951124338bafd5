from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from lvzhi.accounts.roles import is_office


def ping(request):
    """A bare JSON view: the throughput ceiling of this stack, measured by bench/run."""
    return JsonResponse({"status": "ok"})


def office_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pages for the office (system administrators, the deputy-affairs office) only: the API
    documentation and schema. Anonymous users are sent to the login page; other roles get 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_office(request.user):
            raise Http404(_("未找到该页面，或您无权访问。"))
        return view(request, *args, **kwargs)

    return wrapped
