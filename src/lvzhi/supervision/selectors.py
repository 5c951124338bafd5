"""Reads of supervision. Every read of items starts from ``supervision_items_visible_to(user)``, built
on ``lvzhi.suggestions.selectors.suggestions_visible_to``: whoever may see a suggestion may see how
it is supervised. Missing and forbidden both give 404.

Lists join and prefetch what their rows show (suggestion, leader, committee, team, the units
handling the suggestion, the latest activity), so a page costs the same queries for 5 rows or 500.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.suggestions import tables as suggestion_tables
from lvzhi.suggestions.choices import (
    AssignmentStatus,
    ReplyKind,
    ReplyStatus,
    Satisfaction,
    SuggestionEventType,
)
from lvzhi.suggestions.models import Assignment, Evaluation, Reply, Suggestion, SuggestionEvent
from lvzhi.suggestions.selectors import suggestions_visible_to

from .choices import SupervisionKind, SupervisionStatus
from .models import (
    CampaignSuggestion,
    DissatisfiedMeeting,
    MeetingReassignment,
    SupervisionActivity,
    SupervisionCampaign,
    SupervisionItem,
)
from .services import IN_HANDLING, SUPERVISABLE

# The suggestion's events that belong to supervision (shown as an item's history).
SUPERVISION_EVENTS = (
    SuggestionEventType.SUPERVISION_STARTED,
    SuggestionEventType.SUPERVISION_CHANGED,
    SuggestionEventType.SUPERVISION_ACTIVITY,
    SuggestionEventType.SUPERVISION_FINISHED,
    SuggestionEventType.SUPERVISION_REOPENED,
    SuggestionEventType.SUPERVISION_CARRIED_OVER,
)
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)


# -- Who may open which pages (what they then see is scoped below) ----------------------------------


def may_see_supervision(user) -> bool:
    """The navigation's test: the office, standing-committee leaders and committee staff supervise.
    Others (deputies, units, counties) reach the items of their own suggestions from those."""
    if user is None or not user.is_authenticated:
        return False
    return (
        is_office(user)
        or user.role == Role.LEADER
        or bool(user.role == Role.COMMITTEE_STAFF and user.committee_id)
    )


def may_start_supervision(user) -> bool:
    """Key and follow-up items: the office; counterpart items: the office or committee staff."""
    return is_office(user) or bool(
        user.is_authenticated and user.role == Role.COMMITTEE_STAFF and user.committee_id
    )


def may_see_campaigns(user) -> bool:
    """Supervision months and dissatisfied-suggestion meetings span every unit's suggestions: the
    office runs them, leaders follow them (both see every suggestion)."""
    return is_office(user) or bool(user.is_authenticated and user.role == Role.LEADER)


# -- Items -------------------------------------------------------------------------------------------


def supervision_items_visible_to(user) -> QuerySet[SupervisionItem]:
    """The items ``user`` may see at all.

    - the office and standing-committee leaders: every item;
    - committee staff: their committee's items, and the items of suggestions in its fields;
    - handling-unit staff: the items of suggestions assigned to their unit (not cancelled);
    - a deputy: the items of its own suggestions (led or co-signed);
    - county staff: the items of suggestions whose lead deputy their electoral unit elected;
    - anybody else: none.
    """
    items = SupervisionItem.objects.all()
    if user is None or not user.is_authenticated:
        return items.none()
    if is_office(user) or user.role == Role.LEADER:
        return items
    visible = suggestions_visible_to(user).values("pk")
    if user.role == Role.COMMITTEE_STAFF and user.committee_id:
        return items.filter(Q(committee_id=user.committee_id) | Q(suggestion__in=visible))
    return items.filter(suggestion__in=visible)


def _open_assignments() -> Prefetch:
    """The units handling a suggestion, as ``suggestions.tables`` reads them."""
    return Prefetch(
        "suggestion__assignments",
        queryset=Assignment.objects.exclude(status=AssignmentStatus.CANCELLED)
        .select_related("unit")
        .order_by("id"),
    )


def _latest_activity():
    return Subquery(
        SupervisionActivity.objects.filter(item=OuterRef("pk"))
        .order_by("-happened_on", "-id")
        .values("happened_on")[:1]
    )


def supervision_item_list(*, user) -> QuerySet[SupervisionItem]:
    """The item list: suggestion, its lead deputy, leader and committee joined; team and units
    prefetched; the latest activity's date annotated (``latest_activity``)."""
    return (
        supervision_items_visible_to(user)
        .select_related(
            "suggestion__lead_mandate__person",
            "suggestion__field",
            "leader",
            "committee",
            "carried_over_from",
        )
        .prefetch_related("team_members", _open_assignments())
        .annotate(latest_activity=_latest_activity())
        .order_by("-year", "suggestion__year", "suggestion__series", "suggestion__number", "kind", "id")
    )


def supervision_item_get(*, user, pk: int) -> SupervisionItem:
    """One item the user may see, with its activities, or ``SupervisionItem.DoesNotExist``."""
    return (
        supervision_item_list(user=user)
        .select_related(
            "suggestion__congress",
            "suggestion__lead_mandate__electoral_unit",
            "created_by",
            "carried_over_to",
        )
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=SupervisionActivity.objects.select_related("recorded_by").order_by(
                    "happened_on", "id"
                ),
            ),
        )
        .get(pk=pk)
    )


def supervision_item_events(item: SupervisionItem) -> QuerySet[SuggestionEvent]:
    """The item's history: the supervision events its services wrote on the suggestion."""
    return (
        SuggestionEvent.objects.filter(suggestion_id=item.suggestion_id, type__in=SUPERVISION_EVENTS)
        .filter(Q(payload__item=item.pk) | Q(payload__new_item=item.pk))
        .select_related("actor")
        .order_by("at", "id")
    )


def supervision_items_for_home(user) -> list[SupervisionItem]:
    """The leader's home card (我领衔督办的建议): this year's items in progress that ``user`` leads or
    is on the team of, with the suggestion, its units and deadlines, and the latest activity's date.
    A fixed number of queries whatever the data (none beyond the first when there are none)."""
    if user is None or not user.is_authenticated:
        return []
    teams = SupervisionItem.team_members.through.objects.filter(user_id=user.pk).values("supervisionitem_id")
    items = list(
        SupervisionItem.objects.filter(
            Q(leader_id=user.pk) | Q(pk__in=teams),
            year=timezone.localdate().year,
            status=SupervisionStatus.IN_PROGRESS,
        )
        .select_related("suggestion")
        .prefetch_related(_open_assignments())
        .annotate(latest_activity=_latest_activity())
        .order_by("kind", "suggestion__number", "id")
    )
    for item in items:
        # What the card shows, from the prefetched assignments (no query per row).
        item.is_leader = item.leader_id == user.pk
        item.units = suggestion_tables.units_text(item.suggestion)
        item.reply_due = suggestion_tables.reply_due_of(item.suggestion)
    return items


def supervision_for_suggestion(suggestion, user) -> dict:
    """What the suggestion page's supervision panel shows (``partials/suggestion_panel.html``): the
    items the user may see, the supervision months it was in, and the meetings that re-assigned
    it. The caller has already checked that the user sees the suggestion. Three queries."""
    items = list(
        supervision_items_visible_to(user)
        .filter(suggestion_id=suggestion.pk)
        .select_related("leader", "committee")
        .annotate(latest_activity=_latest_activity(), activity_count=Count("activities"))
        .order_by("-year", "kind", "id")
    )
    campaigns = list(
        CampaignSuggestion.objects.filter(suggestion_id=suggestion.pk)
        .select_related("campaign")
        .order_by("-campaign__starts_on", "-id")
    )
    meetings = list(
        MeetingReassignment.objects.filter(assignment__suggestion_id=suggestion.pk)
        .select_related("meeting", "assignment__unit", "new_assignment__unit")
        .order_by("-meeting__held_on", "id")
    )
    return {"items": items, "campaigns": campaigns, "meetings": meetings}


def supervision_candidates(*, user, q: str = "", suggestion_id: int | None = None) -> QuerySet[Suggestion]:
    """Suggestions the user may list for supervision (accepted, not closed, visible to it), found by
    title or number."""
    suggestions = (
        suggestions_visible_to(user)
        .filter(status__in=SUPERVISABLE)
        .select_related("lead_mandate__person", "field")
        .order_by("-year", "series", "number", "id")
    )
    return _search(suggestions, q, suggestion_id)


def _search(
    suggestions: QuerySet[Suggestion], q: str, suggestion_id: int | None = None
) -> QuerySet[Suggestion]:
    q = (q or "").strip()
    if suggestion_id is not None:
        return suggestions.filter(pk=suggestion_id)
    if not q:
        return suggestions
    condition = Q(title__contains=q) | Q(number_label__contains=q)
    if q.isdigit():
        condition |= Q(number=int(q))
    return suggestions.filter(condition)


def leaders():
    return get_user_model().objects.filter(role=Role.LEADER, is_active=True).order_by("username")


def team_candidates():
    """Who may be on a team through the platform: leaders, the office, committee staff and deputies
    with an account; never the units being supervised. Listed by role then name."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role__in=(Role.LEADER, Role.DEPUTY_AFFAIRS_STAFF, Role.COMMITTEE_STAFF, Role.SYSTEM_ADMIN),
        )
        .order_by("role", "username")
    )


# -- Supervision months ---------------------------------------------------------------------------------


def campaigns_visible_to(user) -> QuerySet[SupervisionCampaign]:
    """Every campaign for the office and leaders (``may_see_campaigns``), none for others; with the
    number of suggestions in each (``suggestion_count``)."""
    if not may_see_campaigns(user):
        return SupervisionCampaign.objects.none()
    return (
        SupervisionCampaign.objects.select_related("congress", "created_by")
        .annotate(suggestion_count=Count("entries"))
        .order_by("-starts_on", "-id")
    )


def _cutoff(campaign: SupervisionCampaign) -> datetime:
    """A campaign is judged at its end: the first moment after its last day (or now, while it runs)."""
    end = timezone.make_aware(datetime.combine(campaign.ends_on + timedelta(days=1), time.min))
    return min(end, timezone.now())


def campaign_progress(campaign: SupervisionCampaign) -> dict:
    """How a supervision month went, per suggestion and in total, as of its end (or now while it
    runs): the suggestion's status and units, the replies released since the month began (count,
    latest result class), and the lead deputy's latest rating by then. ``replied``: suggestions
    with a reply released in the month; ``satisfied``: rated 满意 or 基本满意; ``dissatisfied``:
    still rated 不满意. A fixed number of queries whatever the size."""
    start = timezone.make_aware(datetime.combine(campaign.starts_on, time.min))
    cutoff = _cutoff(campaign)
    replies = Reply.objects.filter(
        assignment__suggestion=OuterRef("suggestion_id"),
        status=ReplyStatus.RELEASED,
        kind__in=(ReplyKind.ANSWER, ReplyKind.REHANDLING),
        released_at__gte=start,
        released_at__lt=cutoff,
    )
    latest_rating = (
        Evaluation.objects.filter(
            recipient__reply__assignment__suggestion=OuterRef("suggestion_id"),
            recipient__is_lead=True,
            evaluated_at__lt=cutoff,
        )
        .order_by("-evaluated_at", "-id")
        .values("satisfaction")[:1]
    )
    entries = list(
        campaign.entries.select_related("suggestion__lead_mandate__person", "suggestion__field")
        .prefetch_related(_open_assignments())
        .annotate(
            replied=Exists(replies),
            reply_count=Subquery(
                replies.order_by()
                .values("assignment__suggestion")
                .annotate(count=Count("id"))
                .values("count")
            ),
            latest_class=Subquery(replies.order_by("-released_at", "-id").values("result_class")[:1]),
            satisfaction=Subquery(latest_rating),
        )
        .order_by("suggestion__year", "suggestion__series", "suggestion__number", "id")
    )
    counts = {
        "total": len(entries),
        "replied": sum(1 for entry in entries if entry.replied),
        "satisfied": sum(1 for entry in entries if entry.satisfaction in SATISFIED),
        "dissatisfied": sum(1 for entry in entries if entry.satisfaction == Satisfaction.DISSATISFIED),
    }
    return {"entries": entries, "counts": counts, "cutoff": cutoff}


def campaign_candidates(*, campaign: SupervisionCampaign, user, q: str = "") -> QuerySet[Suggestion]:
    """Suggestions that may go into the campaign: of its congress, assigned and not closed, not in
    it yet; found by title or number."""
    suggestions = (
        suggestions_visible_to(user)
        .filter(congress_id=campaign.congress_id, status__in=IN_HANDLING)
        .exclude(pk__in=campaign.entries.values("suggestion_id"))
        .select_related("lead_mandate__person", "field")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.exclude(status=AssignmentStatus.CANCELLED)
                .select_related("unit")
                .order_by("id"),
            )
        )
        .order_by("year", "series", "number", "id")
    )
    return _search(suggestions, q)


# -- The dissatisfied-suggestion meetings ------------------------------------------------------------------


def dissatisfied_assignments(*, user, congress=None) -> QuerySet[Assignment]:
    """The assignments being re-handled after a 不满意 (``rehandling``): what a 不满意件交办会 decides.
    The office and leaders only; suggestion, lead deputy and unit joined."""
    if not may_see_campaigns(user):
        return Assignment.objects.none()
    assignments = Assignment.objects.filter(status=AssignmentStatus.REHANDLING)
    if congress is not None:
        assignments = assignments.filter(suggestion__congress=congress)
    return assignments.select_related(
        "suggestion__lead_mandate__person", "suggestion__field", "suggestion__congress", "unit", "parent"
    ).order_by("suggestion__year", "suggestion__series", "suggestion__number", "id")


def meetings_visible_to(user) -> QuerySet[DissatisfiedMeeting]:
    if not may_see_campaigns(user):
        return DissatisfiedMeeting.objects.none()
    return (
        DissatisfiedMeeting.objects.select_related("congress", "held_by")
        .annotate(decision_count=Count("reassignments"))
        .order_by("-held_on", "-id")
    )


def meeting_reassignments(meeting: DissatisfiedMeeting) -> list[MeetingReassignment]:
    """The meeting's decisions, each with ``unit``: the unit that now handles it (the new one, or
    the same), ordered by that unit then by suggestion number: the per-unit lists."""
    records = list(
        meeting.reassignments.select_related(
            "assignment__suggestion__lead_mandate__person", "assignment__unit", "new_assignment__unit"
        )
    )
    for record in records:
        record.unit = record.new_assignment.unit if record.new_assignment_id else record.assignment.unit
    records.sort(
        key=lambda r: (
            r.unit.order,
            r.unit.name,
            r.assignment.suggestion.year or 0,
            r.assignment.suggestion.number or 0,
            r.pk,
        )
    )
    return records


def key_items_of_year(congress, year: int) -> list[SupervisionItem]:
    """The key-supervised items (重点督办) of ``congress``'s ``year``, for the handling report."""
    return list(
        SupervisionItem.objects.filter(kind=SupervisionKind.KEY, year=year, suggestion__congress=congress)
        .select_related("suggestion", "leader", "committee")
        .order_by("suggestion__number", "id")
    )


def filter_suggestions_by_kind(queryset, name, value):
    """The suggestion list's ``supervision`` filter: suggestions under that kind of supervision
    (DOMAIN §5.8), any year."""
    if not value:
        return queryset
    return queryset.filter(pk__in=SupervisionItem.objects.filter(kind=value).values("suggestion_id"))


def committee_desk_counts(user) -> dict[str, int]:
    """A committee's desk: its supervision items in progress, counterpart (对口督办) ones apart. One
    query; none for a user without a committee."""
    if user is None or not user.is_authenticated or not user.committee_id:
        return {"in_progress": 0, "counterpart": 0}
    return SupervisionItem.objects.filter(
        committee_id=user.committee_id, status=SupervisionStatus.IN_PROGRESS
    ).aggregate(
        in_progress=Count("pk"),
        counterpart=Count("pk", filter=Q(kind=SupervisionKind.COUNTERPART)),
    )
