"""``lvzhi seed_suggestions``: generated suggestions for the benchmarks, valid against the models'
constraints and the workflow, deterministic, refused where demo data is not allowed."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from lvzhi.demo.accounts import DEMO_UNIT_HANDLING
from lvzhi.demo.suggestions import seed_suggestions
from lvzhi.suggestions import workflow
from lvzhi.suggestions.choices import (
    AssignmentRole,
    AssignmentStatus,
    ReplyStatus,
    Satisfaction,
    SignerStatus,
    SuggestionSeries,
    SuggestionStatus,
)
from lvzhi.suggestions.models import (
    NUMBERED_STATUSES,
    Assignment,
    Evaluation,
    Reply,
    ReplyRecipient,
    Suggestion,
    SuggestionEvent,
)

pytestmark = pytest.mark.django_db

ASSIGNED = (
    SuggestionStatus.ASSIGNED,
    SuggestionStatus.HANDLING,
    SuggestionStatus.REPLY_SUBMITTED,
    SuggestionStatus.REPLIED,
    SuggestionStatus.REHANDLING,
    SuggestionStatus.CLOSED,
)


def generated():
    """The generator's suggestions: the city congress's (the demo's converted motion is a
    provincial suggestion)."""
    return Suggestion.objects.filter(congress__name="福州市人民代表大会")


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())


def seed(**options):
    call_command("seed_suggestions", stdout=StringIO(), stderr=StringIO(), **options)


def test_creates_exactly_n_valid_suggestions(demo):
    seed(count=400)

    suggestions = list(generated().prefetch_related("assignments", "signers"))
    assert len(suggestions) == 400
    assert len({s.status for s in suggestions}) >= 8  # spread over the workflow
    for suggestion in suggestions:
        suggestion.full_clean(exclude=["created_by"], validate_constraints=True)
        assignments = list(suggestion.assignments.all())
        for assignment in assignments:
            assignment.validate_constraints()
        if suggestion.status in NUMBERED_STATUSES:
            assert suggestion.number and suggestion.year and suggestion.number_label
        else:
            assert suggestion.number is None
        if suggestion.status in ASSIGNED:
            leads = [a for a in assignments if a.role == AssignmentRole.LEAD]
            assert len(leads) == 1
            if suggestion.status != SuggestionStatus.CLOSED:
                assert workflow.status_from_assignments(assignments) == suggestion.status
            else:
                assert workflow.status_from_assignments(assignments) == SuggestionStatus.REPLIED
                assert suggestion.closed_at is not None
        else:
            assert assignments == []
        confirmed = [s for s in suggestion.signers.all() if s.status == SignerStatus.CONFIRMED]
        assert len(confirmed) <= 3
        # The history ends where the suggestion stands.
        events = list(suggestion.events.order_by("at", "id"))
        assert events[0].type == "suggestion.created"
        assert [e.to_status for e in events if e.to_status][-1] == suggestion.status


def test_numbers_run_in_their_series_without_gaps(demo):
    seed(count=300)

    numbers: dict = {}
    for year, series, number in (
        generated().filter(number__isnull=False).values_list("year", "series", "number")
    ):
        numbers.setdefault((year, series), []).append(number)
    for (_year, series), values in numbers.items():
        start = 1001 if series == SuggestionSeries.IN_SESSION else 2001
        assert sorted(values) == list(range(start, start + len(values)))


def test_replies_evaluations_and_units_match_the_statuses(demo):
    seed(count=400)

    for reply in Reply.objects.select_related("assignment__suggestion"):
        status = reply.assignment.suggestion.status
        if reply.status == ReplyStatus.RELEASED:
            assert status in (SuggestionStatus.REPLIED, SuggestionStatus.REHANDLING, SuggestionStatus.CLOSED)
            assert reply.released_at and reply.result_class in "ABCD"
        else:
            assert status == SuggestionStatus.REPLY_SUBMITTED
        # One recipient per deputy: the lead and each confirmed co-signer.
        suggestion = reply.assignment.suggestion
        expected = {suggestion.lead_mandate_id} | set(
            suggestion.signers.filter(status=SignerStatus.CONFIRMED).values_list("mandate_id", flat=True)
        )
        assert set(reply.recipients.values_list("mandate_id", flat=True)) == expected
    for suggestion in generated().filter(status=SuggestionStatus.CLOSED):
        recipients = ReplyRecipient.objects.filter(reply__assignment__suggestion=suggestion)
        assert recipients.exists()
        assert not recipients.filter(evaluation__isnull=True).exists()
        assert not Evaluation.objects.filter(
            recipient__in=recipients, satisfaction=Satisfaction.DISSATISFIED
        ).exists()
    for assignment in Assignment.objects.filter(status=AssignmentStatus.REHANDLING):
        assert assignment.dissatisfied_count == 1 and assignment.rehandling_due
    # The demo unit has a work list.
    assert Assignment.objects.filter(unit__name=DEMO_UNIT_HANDLING).count() > 20


def test_same_seed_same_counts_and_a_top_up(demo):
    def counts():
        return Counter(generated().values_list("status", flat=True))

    with transaction.atomic():
        first = seed_suggestions(count=250, seed=7)
        first_counts, first_titles = counts(), list(generated().order_by("id").values_list("title"))
        transaction.set_rollback(True)
    second = seed_suggestions(count=250, seed=7)
    assert first == second
    assert counts() == first_counts
    assert list(generated().order_by("id").values_list("title")) == first_titles

    # --count is the total wanted: nothing to do when reached, a top-up when not.
    events = SuggestionEvent.objects.count()
    assert seed_suggestions(count=100) == Counter()
    assert SuggestionEvent.objects.count() == events
    added = seed_suggestions(count=300)
    assert sum(added.values()) == 50
    assert generated().count() == 300
    numbered = generated().filter(number__isnull=False)
    assert numbered.values("year", "series", "number").distinct().count() == numbered.count()


def test_refused_without_allow_demo(settings, demo):
    settings.LVZHI_ALLOW_DEMO = False
    before = Suggestion.objects.count()  # the demo's converted motion is one
    with pytest.raises(CommandError, match="LVZHI_ALLOW_DEMO"):
        seed(count=10)
    assert Suggestion.objects.count() == before


def test_requires_the_demo_data():
    with pytest.raises(CommandError, match="seed_demo"):
        seed(count=10)
