"""What the suggestion endpoints share: the Chinese 404 messages, the response docs of a refusal,
the lookup of an object in the user's scope, and the office-only permission.

Every object is looked up in the user's scoped queryset first (``selectors.suggestion_list``,
``selectors.unit_work_list`` and the querysets derived from them), so an object outside the
user's scope is 404, never 403."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from lvzhi.accounts.roles import is_office

from ... import workflow
from ...models import Reply, ReplyRecipient

NOT_VISIBLE = _("未找到该建议，或您无权查看。")
ASSIGNMENT_NOT_VISIBLE = _("未找到该交办记录，或您无权查看。")
OBJECTION_NOT_VISIBLE = _("未找到该交办异议，或您无权查看。")
COMMITMENT_NOT_VISIBLE = _("未找到该承诺事项，或您无权查看。")
REPLY_NOT_VISIBLE = _("未找到该答复，或您无权查看。")
RECIPIENT_NOT_VISIBLE = _("未找到该答复对象，或您无权查看。")
ATTACHMENT_NOT_VISIBLE = _("未找到该附件。")

ID = "[0-9]+"
STALE = OpenApiResponse(description="Stale version: somebody changed it since it was read.")
REFUSED = OpenApiResponse(description='Refused by a rule of the domain: ``{"detail": <Chinese message>}``.')
FORBIDDEN = OpenApiResponse(description="The user's role or scope does not allow the action.")
MULTIPART_OR_JSON = [MultiPartParser, FormParser, JSONParser]


# --- Scopes: everything starts from the selectors --------------------------------------------------


def replies_with_recipients(replies: QuerySet[Reply]) -> QuerySet[Reply]:
    """``replies`` with what ``ReplySerializer`` reads: the unit and the recipients' evaluations."""
    return (
        replies.select_related("assignment__unit", "assignment__parent")
        .prefetch_related(
            Prefetch(
                "recipients",
                queryset=ReplyRecipient.objects.select_related("mandate__person", "evaluation"),
            )
        )
        .order_by("id")
    )


class ScopedObjectMixin:
    """``get_object`` from the scoped queryset alone (never narrowed by list filters), with a
    Chinese 404 that does not say whether the object exists."""

    not_found_message = NOT_VISIBLE

    def get_object(self):
        lookup = self.lookup_url_kwarg or self.lookup_field
        try:
            obj = get_object_or_404(self.get_queryset(), **{self.lookup_field: self.kwargs[lookup]})
        except Http404:
            raise NotFound(self.not_found_message) from None
        self.check_object_permissions(self.request, obj)
        return obj


class OfficeOnly(permissions.BasePermission):
    """Actions that are the office's alone before any object is involved (bulk assignment)."""

    message = workflow.OFFICE.refusal

    def has_permission(self, request, view) -> bool:
        return is_office(request.user)
