"""The structure in Django's admin, for system administrators: every model with its row history
(simple_history's "历史" button). Day-to-day editing goes through the structure pages, whose
services check the structure's rules; the admin is the tool of last resort."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Committee,
    Congress,
    DeputyGroup,
    ElectoralUnit,
    ExpertiseField,
    HandlingUnit,
    Session,
    Term,
)


@admin.register(Congress)
class CongressAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "level", "region", "parent", "order"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "region"]
    autocomplete_fields = ["parent"]


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "congress", "number", "start_date", "end_date"]
    list_filter = ["congress"]
    list_select_related = ["congress"]


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "term", "number", "start_date", "end_date"]
    list_filter = ["term__congress"]
    list_select_related = ["term__congress"]


@admin.register(ElectoralUnit)
class ElectoralUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "congress", "delegation_name", "code", "order"]
    list_filter = ["congress"]
    list_select_related = ["congress"]
    search_fields = ["name", "delegation_name", "code"]


@admin.register(DeputyGroup)
class DeputyGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "congress", "kind", "electoral_unit"]
    list_filter = ["congress", "kind"]
    list_select_related = ["congress", "electoral_unit"]
    search_fields = ["name"]


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "congress", "kind", "order"]
    list_filter = ["congress", "kind"]
    list_select_related = ["congress"]
    search_fields = ["name"]
    filter_horizontal = ["fields"]


@admin.register(HandlingUnit)
class HandlingUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "parent", "is_active", "order"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]


@admin.register(ExpertiseField)
class ExpertiseFieldAdmin(admin.ModelAdmin):
    # This model keeps no row history: the structure services record its changes in the admin log.
    list_display = ["name", "order"]
    search_fields = ["name"]
