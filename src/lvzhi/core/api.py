"""API plumbing shared by every app: pagination and the mapping of domain errors to HTTP."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError


class StandardPagination(PageNumberPagination):
    """Pages of 50 (``page_size`` up to 500). A view may know its list's count more cheaply than
    ``COUNT(*)`` over the queryset: it then defines ``known_count(request) -> int | None``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        known_count = getattr(view, "known_count", None)
        self._known_count = known_count(request) if known_count is not None else None
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, queryset, page_size) -> Paginator:
        paginator = Paginator(queryset, page_size)
        if self._known_count is not None:
            paginator.count = self._known_count
        return paginator


def exception_handler(exc, context):
    """Domain errors become ``{"detail": <Chinese message>}`` with their status code."""
    if isinstance(exc, DomainError):
        body = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The Chinese label of a choice field's value (``composition`` → ``专业技术人员``).

    Cheaper than ``source="get_composition_display"``: DRF inspects a callable source's signature
    on every row, which costs more than the rest of a 50-row list response (bench/).
    """

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return str(self.labels.get(value, value))
