"""Reports of a congress's suggestions in a year (DOMAIN §5.10): the handling report that goes to the
standing committee, the handling units' ratings (绩效考评) and the replies published under Art. 51.

These are selectors: reads only, and aggregate ones. Each function costs a fixed number of queries
whatever the number of suggestions (the tests assert it for 5 and 30).

Definitions, shared by the report and the ratings (a rate counts only what is done or overdue
today, so a unit is not marked down for a deadline still ahead of it):

- A suggestion belongs to the year it was numbered in (``Suggestion.year``).
- A *replying* assignment is a lead or split assignment (co-units give input, not replies) that is
  neither cancelled nor re-assigned to a sub-unit (the sub-unit's own assignment replies).
- *On-time receipt*: acknowledged by the end of the objection window (``objection_deadline``), the
  window in which a unit must acknowledge or object (DOMAIN §5.3).
- *On-time reply*: the first answer submitted by ``reply_due`` (Art. 51: 3 or 6 months).
- *Contact before reply*: a contact that took place (``contacted_on``, not when it was typed in) on
  or before the day the first answer was submitted (Art. 51).
- *Result class*: of the latest released reply of each replying assignment, so a re-handled or
  followed-up answer replaces the one before it. *Satisfaction* in the report counts every
  evaluation given in the year's handling (a 不满意 answered again is still reported); the unit
  rating reads the latest.
- *Ranked*: a unit is scored and ranked only with at least ``SuggestionRules.rating_minimum_cases``
  replying assignments; the others are listed apart (不足以排名).
- *Promises kept*: kept promises over those kept or past their due date.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import extensions
from .choices import (
    AssignmentRole,
    AssignmentStatus,
    CommitmentStatus,
    ReplyKind,
    ReplyStatus,
    Satisfaction,
    SuggestionStatus,
)
from .models import Assignment, Commitment, Contact, Evaluation, Reply, Suggestion
from .rules import rules_for

# The weights of the unit rating, in points; a setting ``LVZHI_UNIT_RATING_WEIGHTS`` (a dict with
# some or all of these keys) overrides them. Fuzhou's exact scheme is not published; these follow
# the order of DOMAIN §5.10 with the deputies' satisfaction and the reply deadline weighing most.
DEFAULT_UNIT_RATING_WEIGHTS = {
    "receipt": 15,
    "reply": 25,
    "contact": 15,
    "satisfaction": 25,
    "solved": 10,
    "promises": 10,
}
RATING_LABELS = {
    "receipt": _("按时签收率"),
    "reply": _("按时答复率"),
    "contact": _("答复前沟通率"),
    "satisfaction": _("满意率"),
    "solved": _("解决率"),
    "promises": _("承诺兑现率"),
}
REPLYING_ROLES = (AssignmentRole.LEAD, AssignmentRole.SPLIT)
NOT_HANDLING = (AssignmentStatus.CANCELLED, AssignmentStatus.REASSIGNED)
# Satisfied for the rating: 满意 and 基本满意.
CONTENT = (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)


@dataclass(frozen=True)
class Rate:
    """A share kept as its two counts, so pages, exports and tests read the same exact figures."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> float | None:
        value = self.value
        return None if value is None else round(value * 100, 1)

    def __str__(self) -> str:
        percent = self.percent
        return "—" if percent is None else f"{percent:.1f}%"


@dataclass
class Tally:
    """One row of a breakdown: a key, its label and how many."""

    key: object
    label: str
    count: int


@dataclass
class UnitRating:
    unit_id: int
    unit_name: str
    rates: dict[str, Rate]
    score: float | None
    # Replying assignments of the year; below the congress's threshold the unit is not ranked.
    cases: int = 0
    is_ranked: bool = True


@dataclass
class HandlingReport:
    congress: object
    year: int
    total: int
    by_status: list[Tally]
    by_result_class: list[Tally]
    by_unit: list[Tally]
    by_field: list[Tally]
    satisfaction: list[tuple[Tally, Rate]]
    receipt_on_time: Rate
    reply_on_time: Rate
    contact_before_reply: Rate
    # 重点督办 of the year, from the app that registered them (``extensions.register_key_items``).
    key_items: list = field(default_factory=list)

    @property
    def replied(self) -> int:
        return sum(row.count for row in self.by_result_class)

    @property
    def evaluations(self) -> int:
        return sum(row.count for row, _share in self.satisfaction)


# -- Shared querysets --------------------------------------------------------------------------------


def _suggestions(congress, year: int) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(congress=congress, year=year)


def _handling_assignments(congress, year: int) -> QuerySet[Assignment]:
    return Assignment.objects.filter(suggestion__congress=congress, suggestion__year=year).exclude(
        status__in=NOT_HANDLING
    )


def released_replies(congress, year: int) -> QuerySet[Reply]:
    """Every released reply of the year's replying assignments, the earlier answers included."""
    return Reply.objects.filter(
        status=ReplyStatus.RELEASED,
        assignment__suggestion__congress=congress,
        assignment__suggestion__year=year,
        assignment__role__in=REPLYING_ROLES,
    ).exclude(assignment__status__in=NOT_HANDLING)


def latest_released_replies(congress, year: int) -> QuerySet[Reply]:
    """The latest released reply of each replying assignment of the year."""
    latest = (
        Reply.objects.filter(assignment=OuterRef("assignment"), status=ReplyStatus.RELEASED)
        .order_by("-released_at", "-id")
        .values("pk")[:1]
    )
    return Reply.objects.filter(
        status=ReplyStatus.RELEASED,
        assignment__suggestion__congress=congress,
        assignment__suggestion__year=year,
        assignment__role__in=REPLYING_ROLES,
        pk=Subquery(latest),
    ).exclude(assignment__status__in=NOT_HANDLING)


def _assignment_counts(congress, year: int, today: date) -> QuerySet:
    """Per unit, the counts behind the on-time and contact rates: one grouped query."""
    answered = Reply.objects.filter(
        assignment=OuterRef("pk"), kind=ReplyKind.ANSWER, submitted_at__isnull=False
    )
    answered_on_time = answered.filter(submitted_at__date__lte=OuterRef("reply_due"))
    contacted_before = Contact.objects.filter(
        assignment=OuterRef("pk"),
        assignment__replies__kind=ReplyKind.ANSWER,
        assignment__replies__submitted_at__isnull=False,
        contacted_on__lte=TruncDate("assignment__replies__submitted_at"),
    )
    replying = Q(role__in=REPLYING_ROLES)
    receipt_window = Q(objection_deadline__isnull=False)
    reply_window = replying & Q(reply_due__isnull=False)
    return (
        _handling_assignments(congress, year)
        .values("unit_id", "unit__name", "unit__order")
        .annotate(
            receipt_due=Count(
                "pk",
                filter=receipt_window & (Q(acknowledged_at__isnull=False) | Q(objection_deadline__lt=today)),
            ),
            receipt_on_time=Count(
                "pk", filter=receipt_window & Q(acknowledged_at__date__lte=F("objection_deadline"))
            ),
            reply_due_count=Count("pk", filter=reply_window & (Exists(answered) | Q(reply_due__lt=today))),
            reply_on_time=Count("pk", filter=reply_window & Exists(answered_on_time)),
            answered=Count("pk", filter=replying & Exists(answered)),
            cases=Count("pk", filter=replying),
            contacted=Count("pk", filter=replying & Exists(answered) & Exists(contacted_before)),
        )
        .order_by("unit__order", "unit_id")
    )


def _sum(rows, numerator: str, denominator: str) -> Rate:
    return Rate(sum(row[numerator] for row in rows), sum(row[denominator] for row in rows))


def report_years(congress, *, today: date | None = None) -> list[int]:
    """The years a report can be read for, newest first: every year with numbered suggestions and
    the current one. One query."""
    today = today or timezone.localdate()
    years = set(
        Suggestion.objects.filter(congress=congress, year__isnull=False)
        .values_list("year", flat=True)
        .distinct()
        .order_by()
    )
    return sorted(years | {today.year}, reverse=True)


# -- The handling report -------------------------------------------------------------------------


def handling_report(*, congress, year: int, today: date | None = None) -> HandlingReport:
    """The handling report of ``congress``'s suggestions numbered in ``year``: counts by status,
    result class (the congress's scheme), lead unit and field; the deputies' satisfaction; the
    on-time rates; the key-supervised items. Eight queries whatever the data."""
    today = today or timezone.localdate()
    rules = rules_for(congress)
    suggestions = _suggestions(congress, year)

    status_counts = dict(suggestions.values_list("status").annotate(count=Count("pk")).order_by())
    by_status = [
        Tally(status, str(status.label), status_counts[status])
        for status in SuggestionStatus
        if status_counts.get(status)
    ]
    total = sum(status_counts.values())

    class_counts = dict(
        latest_released_replies(congress, year).values_list("result_class").annotate(n=Count("pk")).order_by()
    )
    by_result_class = [
        Tally(code, f"{code}类：{rules.result_class_label(code)}", class_counts.get(code, 0))
        for code in rules.result_class_codes
    ]
    # A class no longer in the scheme (the rules changed mid-year) is still counted, never dropped.
    by_result_class += [
        Tally(code, f"{code}类", count)
        for code, count in sorted(class_counts.items())
        if code not in rules.result_class_codes
    ]

    lead_rows = (
        Assignment.objects.filter(
            suggestion__congress=congress,
            suggestion__year=year,
            role__in=REPLYING_ROLES,
            parent__isnull=True,
        )
        .exclude(status=AssignmentStatus.CANCELLED)
        .values("unit_id", "unit__name", "unit__order")
        .annotate(count=Count("suggestion", distinct=True))
        .order_by("-count", "unit__order", "unit_id")
    )
    by_unit = [Tally(row["unit_id"], row["unit__name"], row["count"]) for row in lead_rows]

    field_rows = (
        suggestions.values("field_id", "field__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "field__name")
    )
    by_field = [
        Tally(row["field_id"], row["field__name"] or str(_("未分类")), row["count"]) for row in field_rows
    ]

    satisfaction_counts = dict(
        Evaluation.objects.filter(recipient__reply__in=released_replies(congress, year))
        .values_list("satisfaction")
        .annotate(n=Count("pk"))
        .order_by()
    )
    evaluations = sum(satisfaction_counts.values())
    satisfaction = [
        (
            Tally(choice, str(choice.label), satisfaction_counts.get(choice, 0)),
            Rate(satisfaction_counts.get(choice, 0), evaluations),
        )
        for choice in Satisfaction
    ]

    unit_rows = list(_assignment_counts(congress, year, today))
    key_items = extensions.key_items(congress, year)
    return HandlingReport(
        congress=congress,
        year=year,
        total=total,
        by_status=by_status,
        by_result_class=by_result_class,
        by_unit=by_unit,
        by_field=by_field,
        satisfaction=satisfaction,
        receipt_on_time=_sum(unit_rows, "receipt_on_time", "receipt_due"),
        reply_on_time=_sum(unit_rows, "reply_on_time", "reply_due_count"),
        contact_before_reply=_sum(unit_rows, "contacted", "answered"),
        key_items=key_items,
    )


# -- Unit ratings --------------------------------------------------------------------------------


def rating_weights(weights: dict | None = None) -> dict[str, float]:
    """The weights in force: ``weights`` if given, else the setting, over the defaults."""
    chosen = weights if weights is not None else getattr(settings, "LVZHI_UNIT_RATING_WEIGHTS", None)
    merged = dict(DEFAULT_UNIT_RATING_WEIGHTS)
    for key, value in (chosen or {}).items():
        if key not in merged:
            raise ValueError(f"Unknown unit rating weight {key!r}; use {', '.join(merged)}.")
        merged[key] = value
    return merged


def weighted_score(rates: dict[str, Rate], weights: dict[str, float]) -> float | None:
    """Σ(weight × rate) ÷ Σ(weight), over the measures the unit has data for, on 100 points: a
    unit with no promises is rated on the other five, neither rewarded nor punished for it."""
    counted = {key: rates[key].value for key in weights if rates[key].value is not None}
    total_weight = sum(weights[key] for key in counted)
    if not total_weight:
        return None
    return round(sum(weights[key] * value for key, value in counted.items()) / total_weight * 100, 1)


def unit_ratings(
    *, congress, year: int, weights: dict | None = None, today: date | None = None
) -> list[UnitRating]:
    """Each handling unit's rating for the year: on-time receipt and reply, contact before reply,
    satisfaction, solved share (the scheme's first class, A), promises kept, and the weighted score
    (``weighted_score``), best first. A unit with fewer replying assignments than the congress's
    ``rating_minimum_cases`` gets no score: it follows the ranked ones (不足以排名), its rates still
    shown. Five queries whatever the data."""
    today = today or timezone.localdate()
    weights = rating_weights(weights)
    rules = rules_for(congress)
    solved_code = rules.result_class_codes[0]
    units: dict[int, str] = {}
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    for row in _assignment_counts(congress, year, today):
        units[row["unit_id"]] = row["unit__name"]
        counts[row["unit_id"]].update(
            {key: value for key, value in row.items() if not key.startswith("unit")}
        )

    for row in (
        latest_released_replies(congress, year)
        .values("assignment__unit_id", "assignment__unit__name")
        .annotate(released=Count("pk"), solved=Count("pk", filter=Q(result_class=solved_code)))
        .order_by()
    ):
        unit_id = row["assignment__unit_id"]
        units.setdefault(unit_id, row["assignment__unit__name"])
        counts[unit_id]["released"] += row["released"]
        counts[unit_id]["solved"] += row["solved"]

    for row in (
        Evaluation.objects.filter(recipient__reply__in=latest_released_replies(congress, year))
        .values("recipient__reply__assignment__unit_id", "recipient__reply__assignment__unit__name")
        .annotate(evaluated=Count("pk"), content=Count("pk", filter=Q(satisfaction__in=CONTENT)))
        .order_by()
    ):
        unit_id = row["recipient__reply__assignment__unit_id"]
        units.setdefault(unit_id, row["recipient__reply__assignment__unit__name"])
        counts[unit_id]["evaluated"] += row["evaluated"]
        counts[unit_id]["content"] += row["content"]

    for row in (
        Commitment.objects.filter(suggestion__congress=congress, suggestion__year=year)
        .values("unit_id", "unit__name")
        .annotate(
            promises_due=Count("pk", filter=Q(status=CommitmentStatus.KEPT) | Q(due_date__lt=today)),
            kept=Count("pk", filter=Q(status=CommitmentStatus.KEPT)),
        )
        .order_by()
    ):
        units.setdefault(row["unit_id"], row["unit__name"])
        counts[row["unit_id"]]["promises_due"] += row["promises_due"]
        counts[row["unit_id"]]["kept"] += row["kept"]

    ratings = []
    for unit_id, name in units.items():
        c = counts[unit_id]
        rates = {
            "receipt": Rate(c["receipt_on_time"], c["receipt_due"]),
            "reply": Rate(c["reply_on_time"], c["reply_due_count"]),
            "contact": Rate(c["contacted"], c["answered"]),
            "satisfaction": Rate(c["content"], c["evaluated"]),
            "solved": Rate(c["solved"], c["released"]),
            "promises": Rate(c["kept"], c["promises_due"]),
        }
        is_ranked = c["cases"] >= rules.rating_minimum_cases
        score = weighted_score(rates, weights) if is_ranked else None
        ratings.append(UnitRating(unit_id, name, rates, score, cases=c["cases"], is_ranked=is_ranked))
    ratings.sort(key=lambda r: (not r.is_ranked, r.score is None, -(r.score or 0), r.unit_name))
    return ratings


def rating_formula(weights: dict[str, float]) -> str:
    """The formula as shown on the page and in the export."""
    terms = " + ".join(f"{RATING_LABELS[key]}×{weights[key]:g}" for key in weights)
    return str(_("综合得分 = ({terms}) ÷ 权重合计 × 100（无数据的指标不计入，权重合计相应扣除）")).format(
        terms=terms
    )


# -- Publication (Art. 51) -----------------------------------------------------------------------

PUBLIC_REPLY_FIELDS = (
    "pk",
    "assignment__suggestion__number_label",
    "assignment__suggestion__title",
    "assignment__unit__name",
    "result_class",
    "body",
    "released_at",
)


def public_replies(*, congress, year: int) -> QuerySet:
    """The replies of the year that are published (Art. 51 makes publication a duty): of each
    replying assignment only its final released reply, with its result class; never a reply its
    deputy rejected (rated 不满意), never one staff withheld (不宜公开) nor one of a confidential
    suggestion. Plain values — the number, title, unit, result class, the reply text and its date,
    never a deputy's name or contact data. One query a page."""
    rejected = Evaluation.objects.filter(
        recipient__reply=OuterRef("pk"), satisfaction=Satisfaction.DISSATISFIED
    )
    return (
        latest_released_replies(congress, year)
        .filter(assignment__suggestion__is_confidential=False, is_withheld_from_public=False)
        .exclude(Exists(rejected))
        .order_by(
            "assignment__suggestion__series",
            "assignment__suggestion__number",
            "released_at",
            "pk",
        )
        .values(*PUBLIC_REPLY_FIELDS)
    )
