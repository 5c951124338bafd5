"""Generated suggestions of the demo city congress, for the benchmarks (bench/README.md) and for
trying the pages with volume (``lvzhi seed_suggestions --count N``, ``lvzhi seed_demo --suggestions N``).

Needs the demo data (``lvzhi seed_demo``): the city congress, its active mandates, fields, handling
units and the ``demo-staff`` / ``demo-unit`` accounts.

What it writes, in batches of ``BATCH`` suggestions with ``bulk_create`` (one transaction a batch):
suggestions spread over the workflow (most assigned, handling, replied or closed; some submitted,
accepted, rejected, converted, withdrawn, returned, awaiting co-signers), led by a random active
city deputy with 0-3 confirmed co-signers; numbers of accepted ones in the congress's series
(第1001号… at the session, 第2001号… between sessions) per year; assignments (a lead unit, and a
co-unit for about a third) to the demo handling units, 福州市城乡建设局 (``demo-unit``) taking a large
share; acknowledgements, co-unit input, a contact, replies with result classes and their
recipients, promises for B answers, the deputies' evaluations, re-handling, closing; and one
``SuggestionEvent`` per step, so the detail page's history is full (``suggestion_plan``).

Deliberately not written: row history (simple_history) and reminders/notifications — the pages
read neither. Evaluations made "by" deputies without an account are recorded with ``demo-staff``
as ``evaluated_by`` (the office entering a paper form), replies of units other than the demo
unit are drafted "by" ``demo-staff`` likewise.

Deterministic: the same seed, count, year and starting database give the same rows (``random``
seeded; dates derived from the demo's fixed day, not the clock). Idempotent-ish: ``--count N`` means
"make the city congress have N generated-or-not suggestions": when it already has M ≥ N nothing is
written; with M < N, N − M more are generated (numbers continue after the highest per year and
series; the random stream is seeded with the seed and M, so a top-up is deterministic too).
"""

from __future__ import annotations

import random
from collections import Counter

from django.db import transaction
from django.db.models import Max

from lvzhi.deputies.models import Mandate
from lvzhi.suggestions.choices import SuggestionSeries
from lvzhi.suggestions.choices import SuggestionStatus as S
from lvzhi.suggestions.models import (
    Assignment,
    Commitment,
    Contact,
    Evaluation,
    Reply,
    ReplyRecipient,
    Suggestion,
    SuggestionEvent,
    SuggestionSigner,
)

from .bulk import insert, insert_rows, refresh_statistics, reset_sequences
from .structure import DEMO_TODAY
from .suggestion_plan import World, load_world, plan_suggestion

SEED = 20250311
BATCH = 2000

# Status weights: the latest year is in full swing; earlier years are mostly closed.
CURRENT_YEAR_WEIGHTS = (
    (S.AWAITING_COSIGNERS, 1),
    (S.SUBMITTED, 3),
    (S.RETURNED_FOR_REVISION, 1),
    (S.REJECTED, 2),
    (S.CONVERTED_TO_LETTER, 2),
    (S.WITHDRAWN, 1),
    (S.ACCEPTED, 3),
    (S.ASSIGNED, 10),
    (S.HANDLING, 22),
    (S.REPLY_SUBMITTED, 5),
    (S.REPLIED, 20),
    (S.REHANDLING, 3),
    (S.CLOSED, 27),
)
PAST_YEAR_WEIGHTS = (
    (S.REJECTED, 2),
    (S.CONVERTED_TO_LETTER, 2),
    (S.WITHDRAWN, 1),
    (S.REPLIED, 6),
    (S.REHANDLING, 1),
    (S.CLOSED, 88),
)


class Batch:
    """The rows of one batch, created in dependency order."""

    def __init__(self):
        self.suggestions: list[Suggestion] = []
        self.plans: list[dict] = []

    def write(self, world: World) -> None:
        signers, assignments, replies, contacts, recipients, commitments, evaluations = ([] for _ in range(7))
        for suggestion, plan in zip(self.suggestions, self.plans, strict=True):
            signers += plan["signers"]
            assignments += plan["assignments"]
            replies += plan["replies"]
            contacts += plan["contacts"]
            recipients += plan["recipients"]
            commitments += plan["commitments"]
            evaluations += plan["evaluations"]
            for row in plan["signers"] + plan["assignments"] + plan["commitments"]:
                row.suggestion = suggestion
        # Parents first: each insert gives explicit ids, so the children can point at them.
        for model, rows in (
            (Suggestion, self.suggestions),
            (SuggestionSigner, signers),
            (Assignment, assignments),
            (Reply, replies),
            (Contact, contacts),
            (ReplyRecipient, recipients),
            (Commitment, commitments),
            (Evaluation, evaluations),
        ):
            insert(model, rows)
        rows = []
        for suggestion, plan in zip(self.suggestions, self.plans, strict=True):
            for type_, actor_id, at, from_status, to_status, reason, assignment, payload, payload_fn in plan[
                "events"
            ]:
                rows.append(
                    (
                        suggestion.pk,
                        type_,
                        actor_id,
                        at,
                        from_status,
                        to_status,
                        reason,
                        assignment.pk if assignment is not None else None,
                        payload_fn() if payload_fn else payload,
                    )
                )
        insert_rows(SuggestionEvent, EVENT_COLUMNS, rows)


EVENT_COLUMNS = (
    "suggestion",
    "type",
    "actor",
    "at",
    "from_status",
    "to_status",
    "reason",
    "assignment",
    "payload",
)


def seed_suggestions(*, count: int, year: int | None = None, seed: int = SEED, progress=None) -> Counter:
    """Generate suggestions until the city congress has ``count``; returns the statuses written."""
    world = load_world()
    existing = Suggestion.objects.filter(congress=world.congress).count()
    stats: Counter = Counter()
    missing = count - existing
    if missing <= 0:
        return stats
    if year is not None:
        years = [year]
    else:
        years = sorted(y for y in world.sessions if y <= DEMO_TODAY.year) or [DEMO_TODAY.year]
    current = max(years)
    rng = random.Random(f"{seed}:{existing}")
    numbers: Counter = Counter()
    for y, series, last in (
        Suggestion.objects.filter(congress=world.congress, number__isnull=False)
        .values_list("year", "series")
        .annotate(last=Max("number"))
    ):
        numbers[(y, series)] = last
    for series in SuggestionSeries.values:
        for y in years:
            numbers[(y, series)] = max(numbers[(y, series)], world.rules.number_start(series) - 1)
    # Each year gets its share; statuses drawn from the year's weights.
    per_year = [missing // len(years) + (1 if i < missing % len(years) else 0) for i in range(len(years))]
    todo = []
    for y, n in zip(years, per_year, strict=True):
        weights = CURRENT_YEAR_WEIGHTS if y == current else PAST_YEAR_WEIGHTS
        statuses, w = zip(*weights, strict=True)
        todo += [(y, s) for s in rng.choices(statuses, weights=w, k=n)]
    done = 0
    while done < len(todo):
        batch = Batch()
        for y, status in todo[done : done + BATCH]:
            plan_suggestion(world, rng, y, status, batch, numbers, stats)
        with transaction.atomic():
            batch.write(world)
        done += len(batch.suggestions)
        if progress:
            progress(done, len(todo))
    reset_sequences(
        [
            Suggestion,
            SuggestionSigner,
            Assignment,
            Reply,
            Contact,
            ReplyRecipient,
            Commitment,
            Evaluation,
            SuggestionEvent,
        ]
    )
    refresh_statistics(
        [
            Suggestion,
            SuggestionSigner,
            Assignment,
            Reply,
            Contact,
            ReplyRecipient,
            Commitment,
            Evaluation,
            SuggestionEvent,
        ]
    )
    return stats


# The demo deputy's own suggestions, one in each of these statuses, so that ``demo-deputy`` sees
# a suggestion at every step of its life (the generator draws leads at random).
DEMO_DEPUTY_STATUSES = (S.SUBMITTED, S.ASSIGNED, S.HANDLING, S.REPLIED, S.REHANDLING, S.CLOSED)


def adopt_for_demo_deputy() -> int:
    """Make the demo deputy (the person of ``demo-deputy``) the lead of one generated suggestion per
    status of ``DEMO_DEPUTY_STATUSES``, with the rows that name the lead (reply recipients,
    contacts) following. Idempotent: statuses it already leads are skipped. Returns how many."""
    world = load_world()
    mandate = (
        Mandate.objects.filter(person__user__username="demo-deputy", congress=world.congress)
        .order_by("-start_date")
        .first()
    )
    if mandate is None:
        return 0
    led = set(Suggestion.objects.filter(lead_mandate=mandate).values_list("status", flat=True))
    adopted = 0
    for status in DEMO_DEPUTY_STATUSES:
        if status in led:
            continue
        suggestion = (
            Suggestion.objects.filter(congress=world.congress, status=status)
            .exclude(signers__mandate=mandate)
            .order_by("-id")
            .first()
        )
        if suggestion is None:
            continue
        previous = suggestion.lead_mandate_id
        with transaction.atomic():
            Suggestion.objects.filter(pk=suggestion.pk).update(lead_mandate=mandate)
            ReplyRecipient.objects.filter(
                reply__assignment__suggestion=suggestion, mandate_id=previous, is_lead=True
            ).update(mandate=mandate)
            Contact.objects.filter(assignment__suggestion=suggestion, deputy_id=previous).update(
                deputy=mandate
            )
        adopted += 1
    return adopted
