"""Reads of suggestions. Every read starts from ``suggestions_visible_to(user)``: the one place that
decides which suggestions a role may see. Missing and forbidden both give 404."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.organizations.models import ExpertiseField

from . import workflow
from .choices import (
    AssignmentRole,
    AssignmentStatus,
    CommitmentStatus,
    ReplyKind,
    ReplyStatus,
    SignerStatus,
    SuggestionStatus,
)
from .models import (
    Assignment,
    Commitment,
    Contact,
    Objection,
    Reply,
    ReplyRecipient,
    Suggestion,
    SuggestionAttachment,
    SuggestionEvent,
    SuggestionRules,
    SuggestionSigner,
)
from .rules import rules_for
from .visibility import SuggestionLens, lead_unit_ids

# Only the deputies concerned see a suggestion before its lead submits it.
PRIVATE_STATUSES = (SuggestionStatus.DRAFT,)


def suggestions_visible_to(user) -> QuerySet[Suggestion]:
    """The suggestions ``user`` may see at all.

    - the office (代表工委, system administrators): every submitted one and the drafts it entered;
    - standing-committee leaders: every submitted one;
    - a deputy: those it leads (drafts included) and those it was invited to co-sign and has not
      declined;
    - handling-unit staff: those assigned to their unit (including ones their unit re-assigned to
      a sub-unit), never those taken from it after an objection;
    - county staff: those whose lead deputy was elected by their electoral unit;
    - committee staff: those in their committee's counterpart fields (对口领域);
    - anybody else: none.
    """
    suggestions = Suggestion.objects.all()
    if user is None or not user.is_authenticated:
        return suggestions.none()
    if is_office(user):
        # Drafts stay private to their deputies, except the paper ones the office entered itself.
        return suggestions.exclude(Q(status__in=PRIVATE_STATUSES) & ~Q(created_by_id=user.pk))
    if user.role == Role.LEADER:
        return suggestions.exclude(status__in=PRIVATE_STATUSES)
    if user.role == Role.DEPUTY:
        cosigned = SuggestionSigner.objects.filter(
            mandate__person__user_id=user.pk, status__in=(SignerStatus.INVITED, SignerStatus.CONFIRMED)
        ).values("suggestion_id")
        return suggestions.filter(Q(lead_mandate__person__user_id=user.pk) | Q(pk__in=cosigned))
    public = suggestions.exclude(status__in=PRIVATE_STATUSES)
    if user.role == Role.HANDLING_UNIT_STAFF and user.handling_unit_id:
        assigned = (
            Assignment.objects.filter(unit_id=user.handling_unit_id)
            .exclude(status=AssignmentStatus.CANCELLED)
            .values("suggestion_id")
        )
        return public.filter(pk__in=assigned)
    if user.role == Role.COUNTY_STAFF and user.electoral_unit_id:
        return public.filter(lead_mandate__electoral_unit_id=user.electoral_unit_id)
    if user.role == Role.COMMITTEE_STAFF and user.committee_id:
        fields = ExpertiseField.objects.filter(committee=user.committee_id).values("pk")
        return public.filter(field__in=fields)
    return suggestions.none()


def suggestion_list(*, user) -> QuerySet[Suggestion]:
    """The suggestion list: congress, session, lead deputy and field joined; co-signers and the
    open assignments (with their units) prefetched, so a page costs the same queries for 5
    suggestions or 5,000."""
    return (
        suggestions_visible_to(user)
        .select_related("congress", "term", "session", "lead_mandate__person", "field")
        .prefetch_related(
            Prefetch(
                "signers",
                queryset=SuggestionSigner.objects.select_related("mandate__person").order_by("order", "id"),
            ),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.exclude(status=AssignmentStatus.CANCELLED)
                .select_related("unit")
                .order_by("id"),
            ),
        )
        .order_by("-id")
    )


def suggestion_count(*, user) -> int:
    """How many suggestions ``user`` may see: the unfiltered list's count, the same number as
    ``suggestions_visible_to(user).count()``, counted the cheap way.

    The office's scope is one condition on two columns (not a draft, or a draft it entered) that no
    index covers, so counting it reads every row of the table (bench/: the list page at 100,000
    suggestions). Its two disjoint parts are counted apart instead: the non-drafts from the
    ``(status, assign_due)`` index alone, the office's own paper drafts by ``created_by``."""
    if user is not None and user.is_authenticated and is_office(user):
        submitted = Suggestion.objects.exclude(status__in=PRIVATE_STATUSES).count()
        own_drafts = Suggestion.objects.filter(status__in=PRIVATE_STATUSES, created_by_id=user.pk).count()
        return submitted + own_drafts
    return suggestions_visible_to(user).count()


# Query keys that do not narrow a list: with only these it is the user's whole scope.
UNFILTERED_KEYS = frozenset({"page", "page_size", "ordering"})


def suggestion_count_if_unfiltered(*, user, params) -> int | None:
    """``suggestion_count`` when the list's query ``params`` do not narrow it (pages and API alike);
    ``None`` when they do, and the filtered queryset is counted as it is."""
    if set(params) - UNFILTERED_KEYS:
        return None
    return suggestion_count(user=user)


def suggestion_get(*, user, pk: int) -> Suggestion:
    """One suggestion the user may see, or ``Suggestion.DoesNotExist``."""
    return suggestion_list(user=user).get(pk=pk)


def suggestion_events(suggestion: Suggestion, *, user) -> list[SuggestionEvent]:
    """The history of a suggestion as ``user`` may read it (``visibility``): its events in order,
    with who and which unit; the office's and units' internal exchanges only to those concerned."""
    lens = SuggestionLens(user)
    events = suggestion.events.select_related("actor", "assignment__unit", "assignment__parent")
    return [lens.redacted(event) for event in lens.events(events).order_by("at", "id")]


def objections_visible_to(user) -> QuerySet[Objection]:
    """Objections on the suggestions ``user`` sees, as far as it may read them (``visibility``)."""
    base = Objection.objects.filter(assignment__suggestion__in=suggestions_visible_to(user))
    return SuggestionLens(user).objections(base)


def replies_visible_to(user) -> QuerySet[Reply]:
    """Replies on the suggestions ``user`` sees, as far as it may read them (``visibility``)."""
    base = Reply.objects.filter(assignment__suggestion__in=suggestions_visible_to(user))
    return SuggestionLens(user).replies(base)


# -- One suggestion as a user sees it (the page and the API render this) -------------------------------


@dataclass
class AssignmentView:
    """One unit's assignment as the user may see it."""

    assignment: Assignment
    objections: list  # empty unless the user sees the assignment's exchanges
    input_visible: bool  # the co-unit's input (协办意见)
    replies: list  # the replies the user may read, oldest first
    review_visible: bool  # review notes (退回理由) on its replies


@dataclass
class SuggestionDetail:
    """Everything ``user`` may see of one suggestion: the page and the API detail render it."""

    suggestion: Suggestion
    rules: SuggestionRules  # the congress's, read once for the whole request
    lens: SuggestionLens
    assignments: list[AssignmentView]  # the units handling it (cancelled assignments left out)
    merged: list[Suggestion]
    merged_hidden: int

    @property
    def replies(self) -> list[Reply]:
        """The replies the user may read, in the order they were written."""
        return sorted((reply for view in self.assignments for reply in view.replies), key=lambda r: r.pk)


def _with_detail(suggestions: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    """Everything a suggestion's detail shows, in a fixed number of queries whatever the length of
    its history. Replaces whatever the given queryset prefetched (the list's lighter lookups)."""
    return (
        suggestions.prefetch_related(None)
        .select_related(
            "congress", "term", "session", "lead_mandate__person", "lead_mandate__electoral_unit", "field"
        )
        .prefetch_related(
            Prefetch(
                "signers",
                queryset=SuggestionSigner.objects.select_related(
                    "mandate__person", "mandate__electoral_unit"
                ).order_by("order", "id"),
            ),
            Prefetch("attachments", queryset=SuggestionAttachment.objects.order_by("id")),
            Prefetch(
                "commitments", queryset=Commitment.objects.select_related("unit").order_by("due_date", "id")
            ),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.exclude(status=AssignmentStatus.CANCELLED)
                .select_related("unit", "parent__unit")
                .order_by("id")
                .prefetch_related(
                    Prefetch(
                        "contacts", queryset=Contact.objects.select_related("deputy__person", "recorded_by")
                    ),
                    "commitments",
                    Prefetch(
                        "objections",
                        queryset=Objection.objects.select_related(
                            "new_assignment__unit", "assignment__unit"
                        ).order_by("id"),
                    ),
                    Prefetch(
                        "replies",
                        queryset=Reply.objects.order_by("id").prefetch_related(
                            Prefetch(
                                "recipients",
                                queryset=ReplyRecipient.objects.select_related(
                                    "mandate__person", "evaluation"
                                ),
                            )
                        ),
                    ),
                ),
            ),
        )
    )


def suggestion_detail(
    *, user, pk: int, queryset: QuerySet[Suggestion] | None = None, rules: SuggestionRules | None = None
) -> SuggestionDetail:
    """One suggestion as ``user`` may see it (``visibility``): its units' assignments with the objections,
    input and replies the user may read, and its merged group. ``Suggestion.DoesNotExist`` when
    the user does not see it. ``queryset``: the scope to read from, ``suggestions_visible_to(user)``
    unless the caller names a narrower one (or the office's own paper draft, which the API's
    create gives back to its writer)."""
    scope = suggestions_visible_to(user) if queryset is None else queryset
    suggestion = _with_detail(scope).get(pk=pk)
    lens = SuggestionLens(user)
    assignments = list(suggestion.assignments.all())
    leads = lead_unit_ids(assignments)
    views = []
    for assignment in assignments:
        assignment.suggestion = suggestion
        views.append(
            AssignmentView(
                assignment=assignment,
                objections=list(assignment.objections.all()) if lens.sees_exchanges(assignment) else [],
                input_visible=lens.sees_input(assignment, leads),
                replies=[r for r in assignment.replies.all() if lens.sees_reply(r, assignment)],
                review_visible=lens.sees_exchanges(assignment),
            )
        )
    merged, hidden = merged_suggestions(user=user, suggestion=suggestion)
    if rules is None or rules.congress_id != suggestion.congress_id:
        rules = rules_for(suggestion.congress_id)
    return SuggestionDetail(suggestion, rules, lens, views, merged, hidden)


# -- The unit work list -----------------------------------------------------------------------------

# DOMAIN §5.9: a closed (or withdrawn) suggestion owes nothing more but its promises, which stay
# tracked. Its assignments are finished whatever status they were left in (a co-unit that never
# acknowledged stays 待签收): never pending, never overdue, shown as the suggestion's status.
FINISHED_SUGGESTION_STATUSES = tuple(sorted(workflow.CLOSED_OR_GONE))
# Assignments that still owe a step (receipt, input, reply), so their deadline can be near or missed.
OPEN_ASSIGNMENT_STATUSES = (
    AssignmentStatus.ASSIGNED,
    AssignmentStatus.ACKNOWLEDGED,
    AssignmentStatus.OBJECTED,
    AssignmentStatus.REHANDLING,
)
# A co-unit owes the lead unit its input (not the deputy a reply) until it has sent it.
CO_INPUT_STATUSES = (AssignmentStatus.ASSIGNED, AssignmentStatus.ACKNOWLEDGED)


def assignment_finished_q() -> Q:
    """Assignments of closed or withdrawn suggestions: finished whatever their own status."""
    return Q(suggestion__status__in=FINISHED_SUGGESTION_STATUSES)


def assignment_pending_q() -> Q:
    """Assignments still owing a step on a suggestion that is not closed: the unit's pending work."""
    return Q(status__in=OPEN_ASSIGNMENT_STATUSES) & ~assignment_finished_q()


def assignment_overdue_q(today: date) -> Q:
    """Pending assignments past their next deadline, the one ``tables.assignment_due`` shows: the
    re-handling reply when re-handling, a co-unit's input until it is sent, else the reply."""
    co_input = Q(role=AssignmentRole.CO, status__in=CO_INPUT_STATUSES)
    rehandling = Q(status=AssignmentStatus.REHANDLING)
    return assignment_pending_q() & (
        (rehandling & Q(rehandling_due__lt=today))
        | (co_input & Q(co_input_due__lt=today))
        | (~rehandling & ~co_input & Q(reply_due__lt=today))
    )


def _unit_assignments(*, user, unit=None) -> QuerySet[Assignment]:
    """The assignments of the unit whose work ``user`` may see: unit staff their own unit's, the
    office the ``unit`` it names; none for anybody else. Cancelled ones are no work.

    No join to the suggestion: only an accepted suggestion is assigned and none goes back to a
    draft (``workflow``), so the draft exclusion of ``suggestions_visible_to`` is already true here,
    and without the join the paginator counts a unit's rows on the (unit, status) index alone
    (bench/: unit_work_list_page with ~29,000 assignments for the demo unit on PostgreSQL)."""
    assignments = Assignment.objects.exclude(status=AssignmentStatus.CANCELLED)
    if user is None or not user.is_authenticated:
        return assignments.none()
    if user.role == Role.HANDLING_UNIT_STAFF and user.handling_unit_id:
        assignments = assignments.filter(unit_id=user.handling_unit_id)
    elif is_office(user) and unit is not None:
        assignments = assignments.filter(unit=unit)
    else:
        return assignments.none()
    return assignments


def unit_work_list(*, user, unit=None) -> QuerySet[Assignment]:
    """A handling unit's assignments with their due dates: for unit staff their own unit's; the
    office may name any ``unit`` (to print each unit's list after the assignment meeting).
    Suggestion, lead deputy and unit joined, open promises counted: constant queries.

    Assignments of closed suggestions stay on the list (their promises are still tracked) but are
    finished: see ``assignment_finished_q``."""
    assignments = _unit_assignments(user=user, unit=unit)
    open_promises = (
        Commitment.objects.filter(assignment=OuterRef("pk"), status=CommitmentStatus.OPEN)
        .order_by()
        .values("assignment")
        .annotate(count=Count("id"))
        .values("count")
    )
    return (
        assignments.select_related(
            "suggestion__congress",
            "suggestion__lead_mandate__person",
            "suggestion__field",
            "unit",
            "parent__unit",
        )
        # A correlated count, not a JOIN + GROUP BY: with the (unit, reply_due, id) index the
        # database walks the unit's rows in order and counts promises only for the page it returns
        # (bench/: unit_work_list_page at 100,000 suggestions).
        .annotate(open_commitments=Coalesce(Subquery(open_promises), 0))
        .order_by("reply_due", "id")
    )


def unit_work_counts(*, user, unit=None, today: date) -> dict[str, int]:
    """The unit's pending work at a glance, over its whole list (not the filtered page), in one
    query: ``to_acknowledge`` (待签收), ``pending`` (owing a step) and ``overdue``. Assignments of
    closed suggestions are finished and counted in none of them."""
    # Narrowed to pending rows first, so the (unit, status) index leaves the unit's many answered
    # and closed assignments out before anything is joined or counted.
    pending = _unit_assignments(user=user, unit=unit).filter(assignment_pending_q())
    return pending.aggregate(
        to_acknowledge=Count("pk", filter=Q(status=AssignmentStatus.ASSIGNED)),
        pending=Count("pk"),
        overdue=Count("pk", filter=assignment_overdue_q(today)),
    )


# -- Merged handling (并案) ---------------------------------------------------------------------------


def merge_group_of(suggestion) -> uuid.UUID | None:
    """The merge group (并案组) of the suggestion's open assignments, or None when not merged."""
    return (
        Assignment.objects.filter(suggestion=suggestion, merge_group__isnull=False)
        .exclude(status=AssignmentStatus.CANCELLED)
        .values_list("merge_group", flat=True)
        .first()
    )


def merged_suggestions(*, user, suggestion: Suggestion) -> tuple[list[Suggestion], int]:
    """并案: the other suggestions handled together with ``suggestion`` (an open assignment in the
    same merge group). Returns those ``user`` may see, in number order with their lead deputy, and
    how many others there are that it may not see (shown as a count only, never their titles).

    Reads ``suggestion.assignments`` (prefetched by the detail page), then two queries whatever the
    size of the group; none when the suggestion is not merged."""
    groups = {
        a.merge_group
        for a in suggestion.assignments.all()
        if a.merge_group is not None and a.status != AssignmentStatus.CANCELLED
    }
    if not groups:
        return [], 0
    members = (
        Assignment.objects.filter(merge_group__in=groups)
        .exclude(status=AssignmentStatus.CANCELLED)
        .exclude(suggestion_id=suggestion.pk)
        .values("suggestion_id")
    )
    visible = list(
        suggestions_visible_to(user)
        .filter(pk__in=members)
        .select_related("lead_mandate__person")
        .order_by("year", "series", "number", "id")
    )
    total = Suggestion.objects.filter(pk__in=members).count()
    return visible, total - len(visible)


def merged_suggestions_to_join(*, user, suggestion: Suggestion) -> QuerySet[Suggestion]:
    """The suggestions ``suggestion`` may be merged with when it is assigned: those of its congress
    the user sees that are already assigned as merged (并案) and not closed, in number order."""
    merged = (
        Assignment.objects.filter(merge_group__isnull=False, parent__isnull=True)
        .exclude(status=AssignmentStatus.CANCELLED)
        .values("suggestion_id")
    )
    return (
        suggestions_visible_to(user)
        .filter(pk__in=merged, congress_id=suggestion.congress_id)
        .exclude(status__in=FINISHED_SUGGESTION_STATUSES)
        .exclude(pk=suggestion.pk)
        .order_by("-year", "series", "number", "id")
    )


def reply_review_findings(reply) -> list[str]:
    """What the second review should look at before releasing a reply (DOMAIN §5.5): the checks a
    computer can make. Staff still read the letter against the suggestion."""
    findings = []
    assignment = reply.assignment
    if not Contact.objects.filter(assignment=assignment).exists():
        findings.append(str(_("承办单位未记录与代表的沟通（《代表法》第五十一条）。")))
    if not reply.letter:
        findings.append(str(_("未上传加盖公章的答复函。")))
    if not reply.recipients.exists():
        findings.append(str(_("答复没有送达对象。")))
    return findings


def assignments_needing_calendar() -> QuerySet[Assignment]:
    """Assignments whose working-day deadlines wait for holiday data: shown to the office."""
    return Assignment.objects.filter(needs_calendar=True).exclude(status=AssignmentStatus.CANCELLED)


# -- The desks (工作台): what each role has to do, counted ----------------------------------------------

# A deadline within this many calendar days is "due soon" (即将到期) on the desks and their lists.
DUE_SOON_DAYS = 7
# The desk's lists: ``?desk=<key>`` on the suggestion list narrows it with the same condition the
# desk counted (``filters.SuggestionFilter.filter_desk``).
DESK_ASSIGN_DUE_SOON = "assign_due_soon"
DESK_ASSIGN_OVERDUE = "assign_overdue"
DESK_LATE_ACKNOWLEDGEMENT = "late_acknowledgement"
DESK_LATE_REPLY = "late_reply"
DESK_SILENT_CO_UNIT = "silent_co_unit"
DESK_TO_CONFIRM = "to_confirm"
DESK_TO_EVALUATE = "to_evaluate"


def due_soon_until(today: date) -> date:
    return today + timedelta(days=DUE_SOON_DAYS)


def late_acknowledgement_q(today: date) -> Q:
    """Assignments still not received (待签收) once their objection window has passed."""
    return assignment_pending_q() & Q(status=AssignmentStatus.ASSIGNED, objection_deadline__lt=today)


def silent_co_unit_q(today: date) -> Q:
    """Co-units (协办) that sent no input by their deadline."""
    return assignment_pending_q() & Q(
        role=AssignmentRole.CO, status__in=CO_INPUT_STATUSES, co_input_due__lt=today
    )


def unit_due_soon_q(today: date) -> Q:
    """Pending assignments whose reply (or re-handling reply) falls due within ``DUE_SOON_DAYS``."""
    until = due_soon_until(today)
    rehandling = Q(status=AssignmentStatus.REHANDLING)
    return assignment_pending_q() & (
        (rehandling & Q(rehandling_due__gte=today, rehandling_due__lte=until))
        | (~rehandling & Q(reply_due__gte=today, reply_due__lte=until))
    )


def desk_suggestion_q(key: str, *, user, today: date) -> Q | None:
    """The condition on suggestions behind a desk count, or None for an unknown key."""
    until = due_soon_until(today)
    accepted = Q(status=SuggestionStatus.ACCEPTED)
    if key == DESK_ASSIGN_DUE_SOON:
        return accepted & Q(assign_due__gte=today, assign_due__lte=until)
    if key == DESK_ASSIGN_OVERDUE:
        return accepted & Q(assign_due__lt=today)
    by_assignment = {
        DESK_LATE_ACKNOWLEDGEMENT: late_acknowledgement_q,
        DESK_LATE_REPLY: assignment_overdue_q,
        DESK_SILENT_CO_UNIT: silent_co_unit_q,
    }
    if key in by_assignment:
        late = Assignment.objects.filter(by_assignment[key](today)).values("suggestion_id")
        return Q(pk__in=late)
    if key == DESK_TO_CONFIRM:
        return Q(pk__in=invitations_to_confirm(user=user).values("suggestion_id"))
    if key == DESK_TO_EVALUATE:
        return Q(
            pk__in=replies_to_evaluate(user=user, today=today).values("reply__assignment__suggestion_id")
        )
    return None


def office_desk_counts(*, user, today: date) -> dict[str, int]:
    """The office's desk (代表工委): 待审查, 待交办 (and of those the recess suggestions whose
    5-working-day assignment deadline is near or past), replies 待审核; units late to receive or
    reply and co-units that never acted. Two queries, whatever the data."""
    until = due_soon_until(today)
    accepted = Q(status=SuggestionStatus.ACCEPTED)
    # Narrowed to the three statuses first, so the (status, assign_due) index leaves out the many
    # suggestions in handling or closed before anything is counted.
    waiting = (SuggestionStatus.SUBMITTED, SuggestionStatus.ACCEPTED, SuggestionStatus.REPLY_SUBMITTED)
    counts = (
        suggestions_visible_to(user)
        .filter(status__in=waiting)
        .aggregate(
            to_review=Count("pk", filter=Q(status=SuggestionStatus.SUBMITTED)),
            to_assign=Count("pk", filter=accepted),
            assign_due_soon=Count("pk", filter=accepted & Q(assign_due__gte=today, assign_due__lte=until)),
            assign_overdue=Count("pk", filter=accepted & Q(assign_due__lt=today)),
            replies_to_review=Count("pk", filter=Q(status=SuggestionStatus.REPLY_SUBMITTED)),
        )
    )
    counts.update(
        Assignment.objects.filter(assignment_pending_q()).aggregate(
            late_acknowledgement=Count("suggestion_id", filter=late_acknowledgement_q(today), distinct=True),
            late_reply=Count("suggestion_id", filter=assignment_overdue_q(today), distinct=True),
            silent_co_unit=Count("suggestion_id", filter=silent_co_unit_q(today), distinct=True),
        )
    )
    return counts


def unit_desk_counts(*, user, today: date) -> dict[str, int]:
    """A handling unit's desk: 待签收, 即将到期, 已逾期, 重新办理, over its own assignments. One query."""
    return (
        _unit_assignments(user=user)
        .filter(assignment_pending_q())
        .aggregate(
            to_acknowledge=Count("pk", filter=Q(status=AssignmentStatus.ASSIGNED)),
            due_soon=Count("pk", filter=unit_due_soon_q(today)),
            overdue=Count("pk", filter=assignment_overdue_q(today)),
            rehandling=Count("pk", filter=Q(status=AssignmentStatus.REHANDLING)),
        )
    )


def suggestion_status_counts(*, user) -> dict[str, int]:
    """How many of the suggestions ``user`` sees are in each status (a deputy: its own). One query."""
    rows = suggestions_visible_to(user).order_by().values("status").annotate(count=Count("pk"))
    return {row["status"]: row["count"] for row in rows}


def invitations_to_confirm(*, user) -> QuerySet[SuggestionSigner]:
    """The invitations to co-sign (联名) that the deputy ``user`` has still to answer, on suggestions
    still waiting for their co-signers."""
    return SuggestionSigner.objects.filter(
        mandate__person__user_id=user.pk,
        status=SignerStatus.INVITED,
        suggestion__status__in=(SuggestionStatus.DRAFT, SuggestionStatus.AWAITING_COSIGNERS),
    )


def replies_to_evaluate(*, user, today: date) -> QuerySet[ReplyRecipient]:
    """The released answers the deputy ``user`` is asked to rate (待评价) and has not rated, within
    their evaluation period. Follow-up replies are not rated."""
    return ReplyRecipient.objects.filter(
        Q(evaluation_due__isnull=True) | Q(evaluation_due__gte=today),
        mandate__person__user_id=user.pk,
        evaluation__isnull=True,
        reply__status=ReplyStatus.RELEASED,
        reply__kind__in=(ReplyKind.ANSWER, ReplyKind.REHANDLING),
    ).exclude(reply__assignment__suggestion__status__in=FINISHED_SUGGESTION_STATUSES)


def deputy_desk_counts(*, user, today: date) -> dict[str, int]:
    """A deputy's two questions waiting for it: 待确认联名 and 待评价. Two queries."""
    return {
        "to_confirm": invitations_to_confirm(user=user).count(),
        "to_evaluate": replies_to_evaluate(user=user, today=today).count(),
    }
