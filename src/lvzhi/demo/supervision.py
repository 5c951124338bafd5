"""Demo supervision data, on top of the demo suggestions: a few key items led by the demo leader
(``demo-leader``) with the demo committee and its staff on the team, their activities, and one
supervision month. The demo seeding calls ``seed_supervision_demo``; it goes through the services,
as users would, and is idempotent (what exists is kept, nothing is duplicated)."""

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from lvzhi.accounts.choices import Role
from lvzhi.organizations.models import Committee, ExpertiseField
from lvzhi.suggestions.models import Suggestion
from lvzhi.supervision import services
from lvzhi.supervision.choices import ActivityKind, SupervisionKind
from lvzhi.supervision.models import SupervisionCampaign, SupervisionItem

LEADER = "demo-leader"
OFFICE = "demo-staff"
COMMITTEE_STAFF = "demo-committee"
COMMITTEE = "城建环资工作委员会"
KEY_ITEMS = 3
CAMPAIGN_SIZE = 5
ACTIVITIES = (
    (ActivityKind.VISIT, 40, "督办组赴现场实地调研，听取周边居民意见。"),
    (ActivityKind.BRIEFING, 20, "听取承办单位办理情况汇报，要求细化时间表。"),
    (ActivityKind.REPORT, 5, "向主任会议报告督办情况。"),
)


def _user(username: str):
    return get_user_model().objects.filter(username=username, is_active=True).first()


def _current_pool(today: date) -> list[Suggestion]:
    """The suggestions to supervise: those of the current year (the latest year the demo has, when
    it has none of ``today``'s) still in handling, those in the 城建环资工作委员会's fields first
    (so that ``demo-committee`` finds them), oldest first."""
    in_handling = Suggestion.objects.filter(status__in=services.IN_HANDLING)
    year = today.year if in_handling.filter(year=today.year).exists() else None
    if year is None:
        year = in_handling.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        return []
    ours = Q(field__in=ExpertiseField.objects.filter(committee__name=COMMITTEE).values("pk"))
    return list(
        in_handling.filter(year=year)
        .annotate(is_ours=Case(When(ours, then=Value(0)), default=Value(1)))
        .order_by("is_ours", "series", "number", "id")[: max(KEY_ITEMS, CAMPAIGN_SIZE)]
    )


def _committee_for(suggestion: Suggestion, fallback: Committee | None) -> Committee | None:
    """The committee whose counterpart fields (对口领域) hold the suggestion's field, else ``fallback``."""
    if suggestion.field_id is not None:
        # The demo committee when its fields hold the suggestion's (its staff is on the team).
        matching = (
            Committee.objects.filter(congress_id=suggestion.congress_id, fields=suggestion.field_id)
            .annotate(is_other=Case(When(name=COMMITTEE, then=Value(0)), default=Value(1)))
            .order_by("is_other", "id")
            .first()
        )
        if matching is not None:
            return matching
    if fallback is not None and fallback.congress_id == suggestion.congress_id:
        return fallback
    return None


def seed_supervision_demo(
    *, suggestions: Sequence[Suggestion] | None = None, today: date | None = None
) -> Counter[str]:
    """Make up to three key items of ``today``'s year (led by ``demo-leader``, recorded by
    ``demo-staff``, with the 城建环资工作委员会 as counterpart committee and ``demo-committee`` on the
    team) among ``suggestions`` (default: the current year's assigned ones not closed, those in the
    committee's fields first; each item's committee is the one of its suggestion's field), each with its
    activities, and the year's supervision month (督办月) with up to five suggestions.

    ``today`` (default: the local date) dates the decisions and activities, which are never in the
    future. Returns what was created, by Chinese label. Nothing happens without the demo accounts."""
    today = today or timezone.localdate()
    created: Counter[str] = Counter()
    leader, office = _user(LEADER), _user(OFFICE)
    if leader is None or office is None or leader.role != Role.LEADER:
        return created
    committee_user = _user(COMMITTEE_STAFF)
    pool = list(suggestions) if suggestions is not None else _current_pool(today)
    pool = [suggestion for suggestion in pool if suggestion.status in services.IN_HANDLING]
    if not pool:
        return created
    fallback = Committee.objects.filter(congress_id=pool[0].congress_id, name=COMMITTEE).first()
    decided_on = today - timedelta(days=60)
    for suggestion in pool[:KEY_ITEMS]:
        if SupervisionItem.objects.filter(
            suggestion=suggestion, kind=SupervisionKind.KEY, year=today.year
        ).exists():
            continue
        item = services.supervision_start(
            suggestion=suggestion,
            kind=SupervisionKind.KEY,
            year=today.year,
            actor=office,
            leader=leader,
            committee=_committee_for(suggestion, fallback),
            team_members=[committee_user] if committee_user else [],
            team="市人大代表2名",
            decided_on=decided_on,
            decision_ref="常委会主任会议",
        )
        created["重点督办事项"] += 1
        for kind, days_ago, note in ACTIVITIES:
            services.supervision_activity_record(
                item=item,
                kind=kind,
                happened_on=max(decided_on, today - timedelta(days=days_ago)),
                participants=str(leader),
                note=note,
                actor=leader,
            )
            created["督办活动"] += 1
    name = f"{today.year}年代表建议督办月"
    campaign = SupervisionCampaign.objects.filter(congress_id=pool[0].congress_id, name=name).first()
    if campaign is None:
        campaign = services.campaign_create(
            congress=pool[0].congress,
            year=today.year,
            name=name,
            starts_on=today - timedelta(days=10),
            ends_on=today + timedelta(days=20),
            note="集中督促承办单位加快办理进度，提高办理质量。",
            actor=office,
        )
        created["督办月活动"] += 1
        fresh = [s for s in pool[:CAMPAIGN_SIZE] if s.congress_id == campaign.congress_id]
        if fresh:
            services.campaign_add_suggestions(campaign=campaign, suggestions=fresh, actor=office)
            created["督办月建议"] += len(fresh)
    return created
