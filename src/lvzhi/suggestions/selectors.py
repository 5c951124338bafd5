"""Reads of suggestions. Every read starts from ``suggestions_visible_to(user)``: the one place that
decides which suggestions a role may see. Missing and forbidden both give 404."""

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.organizations.models import ExpertiseField

from .choices import (
    AssignmentStatus,
    CommitmentStatus,
    SignerStatus,
    SuggestionStatus,
)
from .models import (
    Assignment,
    Commitment,
    Contact,
    Suggestion,
    SuggestionRules,
    SuggestionSigner,
)

# Only the deputies concerned see a suggestion before its lead submits it.
PRIVATE_STATUSES = (SuggestionStatus.DRAFT,)


def rules_for(congress) -> SuggestionRules:
    """The congress's suggestion rules, or the defaults (DOMAIN §5) when it has no row yet.

    The default is an unsaved ``SuggestionRules``: read it, never save it from here."""
    congress_id = getattr(congress, "pk", congress)
    rules = SuggestionRules.objects.filter(congress_id=congress_id).first()
    return rules if rules is not None else SuggestionRules(congress_id=congress_id)


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


def suggestion_get(*, user, pk: int) -> Suggestion:
    """One suggestion the user may see, or ``Suggestion.DoesNotExist``."""
    return suggestion_list(user=user).get(pk=pk)


def suggestion_events(suggestion: Suggestion):
    """The history of a suggestion: its events in order, with who and which unit."""
    return suggestion.events.select_related("actor", "assignment__unit").order_by("at", "id")


def unit_work_list(*, user, unit=None) -> QuerySet[Assignment]:
    """A handling unit's assignments with their due dates: for unit staff their own unit's; the
    office may name any ``unit`` (to print each unit's list after the assignment meeting).
    Suggestion, lead deputy and unit joined, open promises counted: constant queries."""
    assignments = Assignment.objects.exclude(status=AssignmentStatus.CANCELLED)
    if user is None or not user.is_authenticated:
        return assignments.none()
    if user.role == Role.HANDLING_UNIT_STAFF and user.handling_unit_id:
        assignments = assignments.filter(unit_id=user.handling_unit_id)
    elif is_office(user) and unit is not None:
        assignments = assignments.filter(unit=unit)
    else:
        return assignments.none()
    open_promises = (
        Commitment.objects.filter(assignment=OuterRef("pk"), status=CommitmentStatus.OPEN)
        .order_by()
        .values("assignment")
        .annotate(count=Count("id"))
        .values("count")
    )
    return (
        assignments.exclude(suggestion__status__in=PRIVATE_STATUSES)
        .select_related(
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
