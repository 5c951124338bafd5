"""What the suggestion pages share: the page sizes, the suggestion looked up in the user's scope,
and who may reach the office's pages and the drafting form."""

from django.utils.translation import gettext_lazy

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.core.lists import not_found
from lvzhi.organizations.models import HandlingUnit

from .. import selectors
from ..models import Suggestion

PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
NOT_VISIBLE = gettext_lazy("未找到该建议，或您无权查看。")


def visible_or_404(user, pk: int) -> Suggestion:
    """The suggestion if ``user`` may see it; missing and forbidden both give 404."""
    try:
        return (
            selectors.suggestions_visible_to(user)
            .select_related("congress", "lead_mandate__person", "field")
            .get(pk=pk)
        )
    except Suggestion.DoesNotExist as missing:
        raise not_found(NOT_VISIBLE) from missing


def require_office(user) -> None:
    if not is_office(user):
        raise not_found()


def may_create(user) -> bool:
    return is_office(user) or (user.is_authenticated and user.role == Role.DEPUTY and not user.is_superuser)


def unit_param(request):
    """The unit the office picked (``?unit=``), or None."""
    value = request.GET.get("unit", "")
    if not value.isdigit():
        return None
    return HandlingUnit.objects.filter(pk=int(value)).first()
