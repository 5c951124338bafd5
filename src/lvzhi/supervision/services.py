"""Every write of supervision (督办, DOMAIN §5.7-5.8) that carries a rule: one keyword-only function
per use case.

Like ``lvzhi.suggestions.services``, whose plumbing it reuses: each function runs in one
transaction; locks the suggestion row first (every action on a suggestion takes that lock first,
so concurrent actions queue), then the rows it changes; checks the actor's role and scope and the
item's state through ``workflow``; saves with ``update_fields``; writes a ``SuggestionEvent`` on the
suggestion (who, when, the suggestion's status, why; the payload holds ids and names, never
personal data); and queues notifications with ``transaction.on_commit``. A refusal raises
``DomainError`` (``ForbiddenError`` for role or scope, ``ConflictError`` for a stale version) with a
Chinese message, and nothing is written.

Callers: the supervision pages and API, the yearly job (``tasks``), the demo, tests.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.core.errors import ConflictError, DomainError, ForbiddenError
from lvzhi.core.models import save_fields
from lvzhi.organizations.models import Congress
from lvzhi.suggestions import workflow as suggestion_workflow
from lvzhi.suggestions.choices import AssignmentStatus, SuggestionStatus
from lvzhi.suggestions.choices import SuggestionEventType as E
from lvzhi.suggestions.handling import (
    Deadlines,
    after_commit,
    assignment_replace,
    deadline_from,
    iso_date,
    lock_suggestion,
    record_event,
    rehandling_extend,
    roll_up,
    unit_users,
)
from lvzhi.suggestions.models import Assignment, Suggestion
from lvzhi.suggestions.rules import rules_for
from lvzhi.suggestions.selectors import suggestions_visible_to

from . import workflow
from .choices import ActivityKind, MeetingDecision, SupervisionKind, SupervisionStatus
from .models import (
    CampaignSuggestion,
    DissatisfiedMeeting,
    MeetingReassignment,
    SupervisionActivity,
    SupervisionCampaign,
    SupervisionItem,
)
from .workflow import Action

S = SuggestionStatus
# A suggestion may be supervised once accepted and until it is closed (DOMAIN §5.8).
SUPERVISABLE = frozenset({S.ACCEPTED, S.ASSIGNED, S.HANDLING, S.REPLY_SUBMITTED, S.REPLIED, S.REHANDLING})
# A supervision month presses units on suggestions they are handling: assigned and not closed.
IN_HANDLING = SUPERVISABLE - {S.ACCEPTED}
GONE = frozenset({S.WITHDRAWN, S.REJECTED, S.CONVERTED_TO_LETTER})
YEARS = range(2000, 2101)

ITEM_EDITABLE = frozenset({"leader", "committee", "team_members", "team", "decided_on", "decision_ref"})
CAMPAIGN_EDITABLE = frozenset({"name", "year", "starts_on", "ends_on", "note"})
# Where the detail page of each lives (notifications link to it).
ITEM_LINK = "/supervision/{pk}/"
CAMPAIGN_LINK = "/supervision/campaigns/{pk}/"
MEETING_LINK = "/supervision/meetings/{pk}/"
WORK_LINK = "/suggestions/work/"


# -- Plumbing ---------------------------------------------------------------------------------------


def _notify(recipients: Callable[[], list], *, kind: str, title, link: str, target, body="") -> None:
    """Tell users something once the transaction has committed (robust: a failing notification
    never undoes the action)."""
    after_commit(
        "notify", recipients=recipients, kind=kind, title=str(title), body=str(body), link=link, target=target
    )


def _users(*user_ids) -> Callable[[], list]:
    ids = [pk for pk in user_ids if pk]
    return lambda: list(get_user_model().objects.filter(pk__in=ids, is_active=True)) if ids else []


def _committee_users(committee_id: int | None) -> Callable[[], list]:
    if not committee_id:
        return list
    return lambda: list(
        get_user_model().objects.filter(role=Role.COMMITTEE_STAFF, committee_id=committee_id, is_active=True)
    )


def _open_unit_ids(suggestion_ids: Iterable[int]) -> dict[int, list[int]]:
    """The units handling each suggestion now (assignments not cancelled), by suggestion."""
    units: dict[int, list[int]] = defaultdict(list)
    for suggestion_id, unit_id in (
        Assignment.objects.filter(suggestion_id__in=list(suggestion_ids))
        .exclude(status=AssignmentStatus.CANCELLED)
        .order_by("id")
        .values_list("suggestion_id", "unit_id")
    ):
        units[suggestion_id].append(unit_id)
    return units


def _name(user) -> str:
    return str(user) if user is not None else ""


def _check_year(year) -> int:
    if year is None or int(year) not in YEARS:
        raise DomainError(_("请填写正确的年度。"), field="year")
    return int(year)


def _check_not_future(on: date | None, message, field: str) -> None:
    if on is not None and on > timezone.localdate():
        raise DomainError(message, field=field)


def _lock_item(item, *, expected_version: int | None = None) -> tuple[Suggestion, SupervisionItem]:
    """Lock the item's suggestion (every action on a suggestion takes that lock first), then the
    item. A stale ``expected_version`` (the page or API read an older state) is a conflict."""
    pk = getattr(item, "pk", item)
    suggestion = lock_suggestion(SupervisionItem.objects.values_list("suggestion_id", flat=True).get(pk=pk))
    locked = SupervisionItem.objects.select_for_update(of=("self",)).get(pk=pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(_("该督办事项已被他人修改，请刷新页面后重试。"))
    locked.suggestion = suggestion
    return suggestion, locked


def _item_payload(item: SupervisionItem, **extra) -> dict:
    return {"item": item.pk, "kind": item.kind, "year": item.year, **extra}


def _team_recipients(item: SupervisionItem, team_ids: Iterable[int] | None = None) -> Callable[[], list]:
    ids = list(team_ids) if team_ids is not None else list(item.team_members.values_list("pk", flat=True))
    return _users(item.leader_id, *ids)


# -- Items: starting and arranging (DOMAIN §5.8) ----------------------------------------------------


def _check_may_start(actor, kind: str) -> None:
    if kind not in SupervisionKind.values:
        raise DomainError(_("请选择督办类型。"), field="kind")
    if is_office(actor):
        return
    if kind == SupervisionKind.COUNTERPART:
        if actor.is_authenticated and actor.role == Role.COMMITTEE_STAFF and actor.committee_id:
            return
        raise ForbiddenError(_("只有代表工委或委员会工作人员可以列为对口督办。"))
    if kind == SupervisionKind.KEY:
        raise ForbiddenError(_("重点督办事项由代表工委根据主任会议决定登记。"))
    raise ForbiddenError(_("跟踪督办由代表工委开展。"))


def _check_supervisable(suggestion: Suggestion) -> None:
    if suggestion.status in SUPERVISABLE:
        return
    if suggestion.status == S.CLOSED:
        raise DomainError(_("该建议已办结，不能列为督办。"))
    if suggestion.status in GONE:
        raise DomainError(
            _("该建议状态为“{status}”，不能列为督办。").format(status=S(suggestion.status).label)
        )
    raise DomainError(_("该建议尚未立案，不能列为督办。"))


def _committee_for(actor, committee, suggestion: Suggestion):
    """A committee's staff supervise in their committee's name, and only suggestions in its
    counterpart fields (those ``suggestions_visible_to`` shows them)."""
    if is_office(actor) or actor.role != Role.COMMITTEE_STAFF:
        return committee
    if committee is not None and committee.pk != actor.committee_id:
        raise ForbiddenError(_("只能以本委员会的名义开展对口督办。"))
    if not suggestions_visible_to(actor).filter(pk=suggestion.pk).exists():
        raise ForbiddenError(_("该建议不属于本委员会的对口领域，不能列为对口督办。"))
    return actor.committee


def _check_arrangement(*, kind: str, suggestion: Suggestion, leader, committee, team_members) -> None:
    """DOMAIN §5.8: a key item is led by a standing-committee leader; counterpart supervision is a
    committee's. Team members are platform users, never the units being supervised."""
    if kind == SupervisionKind.KEY and leader is None:
        raise DomainError(_("重点督办须指定领衔督办的常委会领导。"), field="leader")
    if leader is not None and (leader.role != Role.LEADER or not leader.is_active):
        raise DomainError(_("领衔督办领导须为常委会领导。"), field="leader")
    if kind == SupervisionKind.COUNTERPART and committee is None:
        raise DomainError(_("对口督办须指定对口委员会。"), field="committee")
    if committee is not None and committee.congress_id != suggestion.congress_id:
        raise DomainError(_("对口委员会须属于该建议所在的人大。"), field="committee")
    for member in team_members:
        if member.role == Role.HANDLING_UNIT_STAFF:
            raise DomainError(
                _("承办单位工作人员不能作为督办组成员：{name}。").format(name=member), field="team_members"
            )
        if not member.is_active:
            raise DomainError(_("{name}的账号已停用。").format(name=member), field="team_members")


def _team(team_members: Iterable, leader) -> list:
    """The members once each, the leader left out (it leads the team)."""
    members = {}
    for member in team_members:
        if leader is None or member.pk != leader.pk:
            members.setdefault(member.pk, member)
    return list(members.values())


@transaction.atomic
def supervision_start(
    *,
    suggestion,
    kind: str,
    year: int,
    actor,
    leader=None,
    committee=None,
    team_members: Sequence = (),
    team: str = "",
    decided_on: date | None = None,
    decision_ref: str = "",
) -> SupervisionItem:
    """List a suggestion for supervision in ``year`` (DOMAIN §5.8). Once per suggestion, kind and year.

    - key (重点督办): the office records the directors' meeting's decision (``decided_on``,
      ``decision_ref``): a leading standing-committee leader (required), a team, a counterpart
      committee;
    - counterpart (对口督办): the office, or a committee's staff for a suggestion in its fields;
    - follow-up (跟踪督办): the office (代表工委).

    The suggestion must be accepted and not closed. The leader, the team, the committee's staff and
    the units handling the suggestion are told."""
    _check_may_start(actor, kind)
    year = _check_year(year)
    _check_not_future(decided_on, _("决定日期不能晚于今天。"), "decided_on")
    suggestion = lock_suggestion(suggestion)
    _check_supervisable(suggestion)
    committee = _committee_for(actor, committee, suggestion)
    team_members = _team(team_members, leader)
    _check_arrangement(
        kind=kind, suggestion=suggestion, leader=leader, committee=committee, team_members=team_members
    )
    if suggestion.year and year < suggestion.year:
        raise DomainError(
            _("督办年度不能早于建议的年度（{year}年）。").format(year=suggestion.year), field="year"
        )
    if SupervisionItem.objects.filter(suggestion=suggestion, kind=kind, year=year).exists():
        raise DomainError(
            _("该建议已列为{year}年度{kind}，请勿重复。").format(year=year, kind=SupervisionKind(kind).label)
        )
    item = SupervisionItem(
        suggestion=suggestion,
        kind=kind,
        year=year,
        leader=leader,
        committee=committee,
        team=(team or "").strip(),
        decided_on=decided_on,
        decision_ref=(decision_ref or "").strip(),
        created_by=actor,
    )
    item._history_user = actor
    item.save()
    item.team_members.set(team_members)
    record_event(
        suggestion,
        E.SUPERVISION_STARTED,
        actor,
        from_status=suggestion.status,
        payload=_item_payload(
            item,
            leader=_name(leader),
            committee=committee.name if committee else "",
            team=[str(member) for member in team_members],
        ),
    )
    link = ITEM_LINK.format(pk=item.pk)
    label = SupervisionKind(kind).label
    if leader is not None:
        _notify(
            _users(leader.pk),
            kind="supervision.started",
            title=_("请您领衔督办建议（{kind}）：{title}").format(kind=label, title=suggestion.title),
            link=link,
            target=item,
        )
    _notify(
        _users(*(member.pk for member in team_members)),
        kind="supervision.started",
        title=_("您已列入督办组（{kind}）：{title}").format(kind=label, title=suggestion.title),
        link=link,
        target=item,
    )
    _notify(
        _committee_users(committee.pk if committee else None),
        kind="supervision.started",
        title=_("请对口督办建议（{kind}）：{title}").format(kind=label, title=suggestion.title),
        link=link,
        target=item,
    )
    _notify(
        unit_users(*_open_unit_ids([suggestion.pk])[suggestion.pk]),
        kind="supervision.started",
        title=_("您单位承办的建议已列为{year}年度{kind}：{title}").format(
            year=year, kind=label, title=suggestion.title
        ),
        link=f"/suggestions/{suggestion.pk}/",
        target=suggestion,
    )
    return item


@transaction.atomic
def supervision_update(*, item, expected_version: int, changes: dict, actor) -> SupervisionItem:
    """Change the arrangement of an item in progress: leader, committee, team, the directors'
    meeting's decision. A stale ``expected_version`` is refused (``ConflictError``). Who: the office,
    or the committee's staff for its counterpart items (never moving them to another committee). A
    new leader and new team members are told."""
    suggestion, item = _lock_item(item, expected_version=expected_version)
    workflow.check(item, Action.UPDATE, actor)
    unknown = set(changes) - ITEM_EDITABLE
    if unknown:
        raise DomainError(_("不能修改这些字段：{fields}").format(fields="、".join(sorted(unknown))))
    if not is_office(actor) and "committee" in changes and changes["committee"] != item.committee:
        raise ForbiddenError(_("只能以本委员会的名义开展对口督办。"))
    if "decided_on" in changes:
        _check_not_future(changes["decided_on"], _("决定日期不能晚于今天。"), "decided_on")
    for name in ("team", "decision_ref"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    leader = changes.get("leader", item.leader)
    committee = changes.get("committee", item.committee)
    old_team = set(item.team_members.values_list("pk", flat=True))
    team_members = _team(changes["team_members"], leader) if "team_members" in changes else None
    _check_arrangement(
        kind=item.kind,
        suggestion=suggestion,
        leader=leader,
        committee=committee,
        team_members=team_members if team_members is not None else [],
    )
    scalar = [
        name
        for name in ITEM_EDITABLE - {"team_members"}
        if name in changes and getattr(item, name) != changes[name]
    ]
    team_changed = team_members is not None and {member.pk for member in team_members} != old_team
    if not scalar and not team_changed:
        return item
    old_leader_id = item.leader_id
    for name in scalar:
        setattr(item, name, changes[name])
    if team_changed:
        item.team_members.set(team_members)
    save_fields(item, actor, sorted(scalar))
    fields = sorted([*scalar, *(["team_members"] if team_changed else [])])
    record_event(
        suggestion,
        E.SUPERVISION_CHANGED,
        actor,
        from_status=suggestion.status,
        payload=_item_payload(
            item,
            fields=fields,
            leader=_name(item.leader),
            committee=item.committee.name if item.committee_id else "",
        ),
    )
    link = ITEM_LINK.format(pk=item.pk)
    if item.leader_id and item.leader_id != old_leader_id:
        _notify(
            _users(item.leader_id),
            kind="supervision.changed",
            title=_("请您领衔督办建议（{kind}）：{title}").format(
                kind=item.get_kind_display(), title=suggestion.title
            ),
            link=link,
            target=item,
        )
    if team_changed:
        added = [member.pk for member in team_members if member.pk not in old_team]
        _notify(
            _users(*added),
            kind="supervision.changed",
            title=_("您已列入督办组（{kind}）：{title}").format(
                kind=item.get_kind_display(), title=suggestion.title
            ),
            link=link,
            target=item,
        )
    return item


# -- Items: the team's work --------------------------------------------------------------------------


@transaction.atomic
def supervision_activity_record(
    *, item, kind: str, happened_on: date, participants: str = "", note: str, actor
) -> SupervisionActivity:
    """Record what the team did (a visit, a forum, a briefing, its report to the directors' meeting;
    Fuzhou: 向主任会议报告督办情况) on a day not in the future. Who: the leader, the team members,
    the committee's staff for its items, the office. The leader and the team are told."""
    suggestion, item = _lock_item(item)
    workflow.check(item, Action.RECORD_ACTIVITY, actor)
    if kind not in ActivityKind.values:
        raise DomainError(_("请选择活动类型。"), field="kind")
    if happened_on is None:
        raise DomainError(_("请填写活动日期。"), field="happened_on")
    _check_not_future(happened_on, _("活动日期不能晚于今天。"), "happened_on")
    note = (note or "").strip()
    if not note:
        raise DomainError(_("请填写督办情况。"), field="note")
    activity = SupervisionActivity.objects.create(
        item=item,
        kind=kind,
        happened_on=happened_on,
        participants=(participants or "").strip(),
        note=note,
        recorded_by=actor,
    )
    record_event(
        suggestion,
        E.SUPERVISION_ACTIVITY,
        actor,
        from_status=suggestion.status,
        reason=note,
        payload=_item_payload(
            item, activity=activity.pk, activity_kind=kind, happened_on=happened_on.isoformat()
        ),
    )
    _notify(
        _team_recipients(item),
        kind="supervision.activity",
        title=_("督办活动（{activity}）：{title}").format(
            activity=ActivityKind(kind).label, title=suggestion.title
        ),
        body=note,
        link=ITEM_LINK.format(pk=item.pk),
        target=item,
    )
    return activity


@transaction.atomic
def supervision_finish(
    *, item, conclusion: str, actor, expected_version: int | None = None
) -> SupervisionItem:
    """Finish an item with its conclusion (督办结论). Who: the office, the leader, or the committee's
    staff for its counterpart items. The leader, the team and the committee's staff are told."""
    suggestion, item = _lock_item(item, expected_version=expected_version)
    transition = workflow.check(item, Action.FINISH, actor)
    conclusion = (conclusion or "").strip()
    if not conclusion:
        raise DomainError(_("请填写督办结论。"), field="conclusion")
    item.status = transition.target
    item.conclusion = conclusion
    item.finished_at = timezone.now()
    save_fields(item, actor, ["status", "conclusion", "finished_at"])
    record_event(
        suggestion,
        E.SUPERVISION_FINISHED,
        actor,
        from_status=suggestion.status,
        reason=conclusion,
        payload=_item_payload(item),
    )
    title = _("督办完成（{kind}）：{title}").format(kind=item.get_kind_display(), title=suggestion.title)
    link = ITEM_LINK.format(pk=item.pk)
    _notify(_team_recipients(item), kind="supervision.finished", title=title, link=link, target=item)
    _notify(
        _committee_users(item.committee_id), kind="supervision.finished", title=title, link=link, target=item
    )
    return item


@transaction.atomic
def supervision_reopen(*, item, reason: str, actor, expected_version: int | None = None) -> SupervisionItem:
    """Put a finished item back under supervision, saying why; its conclusion is cleared (the row
    history keeps it). Who: the office. The leader and the team are told."""
    suggestion, item = _lock_item(item, expected_version=expected_version)
    transition = workflow.check(item, Action.REOPEN, actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请说明恢复督办的理由。"), field="reason")
    item.status = transition.target
    item.conclusion = ""
    item.finished_at = None
    save_fields(item, actor, ["status", "conclusion", "finished_at"])
    record_event(
        suggestion,
        E.SUPERVISION_REOPENED,
        actor,
        from_status=suggestion.status,
        reason=reason,
        payload=_item_payload(item),
    )
    _notify(
        _team_recipients(item),
        kind="supervision.reopened",
        title=_("恢复督办（{kind}）：{title}").format(kind=item.get_kind_display(), title=suggestion.title),
        body=reason,
        link=ITEM_LINK.format(pk=item.pk),
        target=item,
    )
    return item


@transaction.atomic
def supervision_carry_over(*, year: int, actor=None, congress=None) -> list[SupervisionItem]:
    """DOMAIN §5.8: unfinished key items carry over to the next year.

    Unfinished means the item's own status: every key item of ``year`` still ``in_progress`` (its
    leader has not finished it) carries over, whatever its suggestion's status, because a closed
    suggestion may still owe a B/C follow-up or a promise, and finishing is the team's judgement,
    not the handling's. Each gets an item for ``year + 1`` with the same leader, committee and team
    (``carried_over_from`` set), or is linked to the one the directors' meeting already made for
    that year; it becomes ``carried_over``. Idempotent: a second run finds nothing in progress.

    Who: the office, or the yearly job (``actor`` None). ``congress`` limits it to one congress.
    Returns the next year's items."""
    if actor is not None and not is_office(actor):
        raise ForbiddenError(workflow.OFFICE.refusal)
    year = _check_year(year)
    pending = SupervisionItem.objects.filter(
        kind=SupervisionKind.KEY, year=year, status=SupervisionStatus.IN_PROGRESS
    )
    if congress is not None:
        pending = pending.filter(suggestion__congress=congress)
    suggestion_ids = sorted(set(pending.values_list("suggestion_id", flat=True)))
    if not suggestion_ids:
        return []
    # One lock order, as every service: the suggestions, then the items.
    suggestions = {
        suggestion.pk: suggestion
        for suggestion in Suggestion.objects.select_for_update(of=("self",))
        .filter(pk__in=suggestion_ids)
        .order_by("pk")
    }
    items = list(
        SupervisionItem.objects.select_for_update(of=("self",))
        .filter(kind=SupervisionKind.KEY, year=year, status=SupervisionStatus.IN_PROGRESS)
        .filter(suggestion_id__in=suggestion_ids)
        .order_by("pk")
    )
    following = {
        item.suggestion_id: item
        for item in SupervisionItem.objects.select_for_update(of=("self",)).filter(
            kind=SupervisionKind.KEY, year=year + 1, suggestion_id__in=suggestion_ids
        )
    }
    carried = []
    for item in items:
        suggestion = suggestions[item.suggestion_id]
        transition = workflow.check(item, Action.CARRY_OVER, actor, system=actor is None)
        successor = following.get(item.suggestion_id)
        if successor is None:
            successor = SupervisionItem(
                suggestion=suggestion,
                kind=item.kind,
                year=year + 1,
                leader_id=item.leader_id,
                committee_id=item.committee_id,
                team=item.team,
                decision_ref=str(_("由{year}年度重点督办结转").format(year=year)),
                carried_over_from=item,
                created_by=actor,
            )
            successor._history_user = actor
            successor.save()
            successor.team_members.set(item.team_members.all())
        elif successor.carried_over_from_id is None:
            # The directors' meeting already picked it again for the next year: link the two.
            successor.carried_over_from = item
            save_fields(successor, actor, ["carried_over_from"])
        item.status = transition.target
        save_fields(item, actor, ["status"])
        record_event(
            suggestion,
            E.SUPERVISION_CARRIED_OVER,
            actor,
            from_status=suggestion.status,
            payload=_item_payload(item, new_item=successor.pk, to_year=year + 1),
        )
        _notify(
            _team_recipients(item),
            kind="supervision.carried_over",
            title=_("您领衔督办的建议转入{year}年度继续督办：{title}").format(
                year=year + 1, title=suggestion.title
            ),
            link=ITEM_LINK.format(pk=successor.pk),
            target=successor,
        )
        carried.append(successor)
    return carried


# -- Supervision months (督办月, DOMAIN §5.7) -----------------------------------------------------------


def _check_office(actor) -> None:
    if not is_office(actor):
        raise ForbiddenError(workflow.OFFICE.refusal)


def _check_campaign(*, congress_id: int, name: str, year, starts_on, ends_on, exclude_pk=None) -> None:
    if not name:
        raise DomainError(_("请填写活动名称。"), field="name")
    _check_year(year)
    if starts_on is None:
        raise DomainError(_("请填写开始日期。"), field="starts_on")
    if ends_on is None:
        raise DomainError(_("请填写结束日期。"), field="ends_on")
    if ends_on < starts_on:
        raise DomainError(_("结束日期不能早于开始日期。"), field="ends_on")
    if SupervisionCampaign.objects.filter(congress_id=congress_id, name=name).exclude(pk=exclude_pk).exists():
        raise DomainError(_("已有同名的督办月活动：{name}。").format(name=name), field="name")


@transaction.atomic
def campaign_create(
    *, congress, year: int, name: str, starts_on: date, ends_on: date, note: str = "", actor
) -> SupervisionCampaign:
    """A supervision month (督办月): a period in which the office presses units on a set of
    suggestions (added with ``campaign_add_suggestions``). Names are unique per congress; the
    period ends on or after it starts. Who: the office."""
    _check_office(actor)
    Congress.objects.select_for_update().get(pk=congress.pk)  # one name check at a time
    name = (name or "").strip()
    _check_campaign(congress_id=congress.pk, name=name, year=year, starts_on=starts_on, ends_on=ends_on)
    campaign = SupervisionCampaign(
        congress=congress,
        year=int(year),
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        note=(note or "").strip(),
        created_by=actor,
    )
    campaign._history_user = actor
    campaign.save()
    return campaign


@transaction.atomic
def campaign_update(*, campaign, expected_version: int, changes: dict, actor) -> SupervisionCampaign:
    """Edit a supervision month's name, year, period or requirements; a stale ``expected_version``
    is refused (``ConflictError``). Who: the office."""
    _check_office(actor)
    Congress.objects.select_for_update().get(pk=campaign.congress_id)
    campaign = SupervisionCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.version != expected_version:
        raise ConflictError(_("该督办月活动已被他人修改，请刷新页面后重试。"))
    unknown = set(changes) - CAMPAIGN_EDITABLE
    if unknown:
        raise DomainError(_("不能修改这些字段：{fields}").format(fields="、".join(sorted(unknown))))
    for name in ("name", "note"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    values = {name: changes.get(name, getattr(campaign, name)) for name in CAMPAIGN_EDITABLE}
    _check_campaign(
        congress_id=campaign.congress_id,
        name=values["name"],
        year=values["year"],
        starts_on=values["starts_on"],
        ends_on=values["ends_on"],
        exclude_pk=campaign.pk,
    )
    changed = [
        name
        for name in sorted(CAMPAIGN_EDITABLE)
        if name in changes and getattr(campaign, name) != changes[name]
    ]
    if not changed:
        return campaign
    for name in changed:
        setattr(campaign, name, changes[name])
    save_fields(campaign, actor, changed)
    return campaign


def _not_in_handling(suggestion: Suggestion) -> str:
    if suggestion.status == S.CLOSED:
        return str(_("已办结"))
    if suggestion.status in GONE:
        return str(_("状态为“{status}”").format(status=S(suggestion.status).label))
    return str(_("尚未交办"))


@transaction.atomic
def campaign_add_suggestions(*, campaign, suggestions: Sequence, actor) -> list[CampaignSuggestion]:
    """Put suggestions in a supervision month: all or none. Each must be of the campaign's congress,
    assigned and not closed, and not in the campaign already; every refused one is named and none
    is added. A ``campaign_added`` event goes on each suggestion; each unit handling them is told
    once, with its count. Who: the office, until the month has ended."""
    _check_office(actor)
    campaign = SupervisionCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.ends_on < timezone.localdate():
        raise DomainError(
            _("该督办月活动已于{date}结束，不能再列入建议。").format(date=campaign.ends_on.isoformat())
        )
    ids = [getattr(suggestion, "pk", suggestion) for suggestion in suggestions]
    if not ids:
        raise DomainError(_("请选择要列入督办月的建议。"), field="suggestions")
    if len(set(ids)) != len(ids):
        raise DomainError(_("同一建议不能重复选择。"), field="suggestions")
    locked = {
        suggestion.pk: suggestion
        for suggestion in Suggestion.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")
    }
    already = set(campaign.entries.filter(suggestion_id__in=ids).values_list("suggestion_id", flat=True))
    errors = []
    for index, pk in enumerate(ids, start=1):
        suggestion = locked.get(pk)
        if suggestion is None:
            problem = str(_("建议不存在"))
        elif suggestion.congress_id != campaign.congress_id:
            problem = str(_("不是本级人大的建议"))
        elif pk in already:
            problem = str(_("已在本督办月中"))
        elif suggestion.status not in IN_HANDLING:
            problem = _not_in_handling(suggestion)
        else:
            continue
        label = f"{suggestion.number_label}“{suggestion.title}”" if suggestion else str(pk)
        errors.append(_("第{index}条{label}：{problem}").format(index=index, label=label, problem=problem))
    if errors:
        shown = "；".join(str(error) for error in errors[:10])
        more = _("等{count}条").format(count=len(errors)) if len(errors) > 10 else ""
        raise DomainError(
            _("以下建议不能列入督办月，本次全部未列入：{errors}{more}").format(errors=shown, more=more),
            field="suggestions",
        )
    entries = CampaignSuggestion.objects.bulk_create(
        [CampaignSuggestion(campaign=campaign, suggestion=locked[pk], added_by=actor) for pk in ids]
    )
    payload = {
        "campaign": campaign.pk,
        "name": campaign.name,
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
    }
    for pk in ids:
        suggestion = locked[pk]
        record_event(suggestion, E.CAMPAIGN_ADDED, actor, from_status=suggestion.status, payload=payload)
    # One notification per unit, not one per suggestion.
    counts = Counter(unit_id for units in _open_unit_ids(ids).values() for unit_id in set(units))
    for unit_id, count in counts.items():
        _notify(
            unit_users(unit_id),
            kind="supervision.campaign_added",
            title=_("您单位有{count}件建议列入“{name}”（{start}至{end}），请加快办理。").format(
                count=count, name=campaign.name, start=payload["starts_on"], end=payload["ends_on"]
            ),
            link=WORK_LINK,
            target=campaign,
        )
    return entries


@transaction.atomic
def campaign_remove_suggestion(*, campaign, suggestion, actor) -> None:
    """Take a suggestion out of a supervision month (a ``campaign_removed`` event on it); its units
    are told. Who: the office."""
    _check_office(actor)
    suggestion = lock_suggestion(suggestion)
    campaign = SupervisionCampaign.objects.select_for_update().get(pk=campaign.pk)
    entry = campaign.entries.filter(suggestion=suggestion).first()
    if entry is None:
        raise DomainError(_("该建议不在本督办月中。"))
    entry.delete()
    record_event(
        suggestion,
        E.CAMPAIGN_REMOVED,
        actor,
        from_status=suggestion.status,
        payload={"campaign": campaign.pk, "name": campaign.name},
    )
    _notify(
        unit_users(*_open_unit_ids([suggestion.pk])[suggestion.pk]),
        kind="supervision.campaign_removed",
        title=_("建议已移出“{name}”：{title}").format(name=campaign.name, title=suggestion.title),
        link=f"/suggestions/{suggestion.pk}/",
        target=suggestion,
    )


# -- The meeting that re-assigns the dissatisfied ones (不满意件交办会, DOMAIN §5.7) ----------------------


class MeetingRow(NamedTuple):
    """One decision of the meeting: the dissatisfied assignment, back to its unit (``same_unit``) or
    to ``new_unit`` (``new_unit``), with the meeting's note."""

    assignment: Assignment
    decision: str
    new_unit: object = None
    note: str = ""


def _check_row(
    row: MeetingRow, assignment: Assignment, suggestion: Suggestion, *, congress, actor, context, planned: set
) -> None:
    """Why the meeting cannot decide ``row`` (a ``DomainError``), if it cannot. ``planned``: the
    (suggestion, unit) pairs the meeting's earlier rows already give a new unit."""
    if suggestion.congress_id != congress.pk:
        raise DomainError(_("不是本级人大的建议。"))
    if row.decision not in MeetingDecision.values:
        raise DomainError(_("请选择交办决定。"))
    if assignment.status != AssignmentStatus.REHANDLING:
        raise DomainError(
            _("当前不是代表不满意、重新办理中的交办（{status}）。").format(
                status=AssignmentStatus(assignment.status).label
            )
        )
    new_unit = None
    if row.decision == MeetingDecision.NEW_UNIT:
        new_unit = row.new_unit
        if new_unit is None:
            raise DomainError(_("请选择新的承办单位。"))
        if new_unit.pk == assignment.unit_id:
            raise DomainError(_("新的承办单位不能是原承办单位。"))
        if not new_unit.is_active:
            raise DomainError(_("承办单位“{unit}”已停用。").format(unit=new_unit.name))
        taken = (
            suggestion.assignments.filter(unit=new_unit).exclude(status=AssignmentStatus.CANCELLED).exists()
        )
        if taken or (suggestion.pk, new_unit.pk) in planned:
            raise DomainError(_("{unit}已承办该建议。").format(unit=new_unit.name))
        planned.add((suggestion.pk, new_unit.pk))
    suggestion_workflow.check_assignment(
        assignment,
        suggestion_workflow.Action.REASSIGN_AT_MEETING,
        actor,
        suggestion_workflow.Context(today=context.today, rules=context.rules, inputs={"new_unit": new_unit}),
    )


@transaction.atomic
def dissatisfied_meeting_hold(
    *, congress, name: str, held_on: date, note: str = "", decisions: Sequence, actor
) -> DissatisfiedMeeting:
    """Hold the meeting that re-assigns the dissatisfied suggestions (不满意件交办会): all decisions
    or none. Each names an assignment being re-handled after a 不满意 (``rehandling``):

    - ``same_unit``: the unit re-handles it with a new deadline, ``held_on`` + the congress's
      re-handling months (``SuggestionRules.rehandling_months``);
    - ``new_unit``: the assignment is cancelled (its reminders too) and the suggestion assigned to
      the new unit in the same role, its reply due ``held_on`` + the re-handling months (the other
      deadlines as for any assignment made that day); the suggestion's status is rolled up again.

    Writes the meeting, one ``MeetingReassignment`` per decision, one ``reassigned_at_meeting``
    event per suggestion, and tells each unit once. Who: the office; ``held_on`` not in the future."""
    _check_office(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写会议名称。"), field="name")
    if held_on is None:
        raise DomainError(_("请填写会议日期。"), field="held_on")
    _check_not_future(held_on, _("会议日期不能晚于今天。"), "held_on")
    rows = [row if isinstance(row, MeetingRow) else MeetingRow(*row) for row in decisions]
    if not rows:
        raise DomainError(_("请至少对一件不满意件作出交办决定。"), field="decisions")
    assignment_ids = [getattr(row.assignment, "pk", row.assignment) for row in rows]
    if len(set(assignment_ids)) != len(assignment_ids):
        raise DomainError(_("同一不满意件不能重复交办。"), field="decisions")
    suggestion_ids = sorted(
        set(Assignment.objects.filter(pk__in=assignment_ids).values_list("suggestion_id", flat=True))
    )
    suggestions = {
        suggestion.pk: suggestion
        for suggestion in Suggestion.objects.select_for_update(of=("self",))
        .filter(pk__in=suggestion_ids)
        .order_by("pk")
    }
    assignments = {
        assignment.pk: assignment
        for assignment in Assignment.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(pk__in=assignment_ids)
        .order_by("pk")
    }
    rules = rules_for(congress)
    context = suggestion_workflow.Context(today=timezone.localdate(), rules=rules)
    errors, planned = [], set()
    for index, (row, pk) in enumerate(zip(rows, assignment_ids, strict=True), start=1):
        assignment = assignments.get(pk)
        if assignment is None:
            errors.append(_("第{index}条：交办记录不存在。").format(index=index))
            continue
        suggestion = suggestions[assignment.suggestion_id]
        assignment.suggestion = suggestion
        try:
            _check_row(
                row, assignment, suggestion, congress=congress, actor=actor, context=context, planned=planned
            )
        except DomainError as error:
            errors.append(
                _("第{index}条{label}“{title}”（{unit}）：{message}").format(
                    index=index,
                    label=suggestion.number_label,
                    title=suggestion.title,
                    unit=assignment.unit.name,
                    message=error.message,
                )
            )
    if errors:
        shown = "；".join(str(error) for error in errors[:10])
        more = _("等{count}条").format(count=len(errors)) if len(errors) > 10 else ""
        raise DomainError(
            _("以下不满意件不能交办，本次交办会未登记：{errors}{more}").format(errors=shown, more=more),
            field="decisions",
        )

    meeting = DissatisfiedMeeting.objects.create(
        congress=congress, name=name, held_on=held_on, note=(note or "").strip(), held_by=actor
    )
    due, needs_calendar = deadline_from(held_on, months=rules.rehandling_months)
    deadlines = Deadlines(held_on)
    by_suggestion: dict[int, list[dict]] = defaultdict(list)
    records = []
    notices: dict[tuple[str, int], int] = Counter()
    for row, pk in zip(rows, assignment_ids, strict=True):
        assignment = assignments[pk]
        suggestion = assignment.suggestion
        record = MeetingReassignment(
            meeting=meeting,
            assignment=assignment,
            decision=row.decision,
            due=due,
            needs_calendar=needs_calendar,
            note=(row.note or "").strip(),
        )
        if row.decision == MeetingDecision.SAME_UNIT:
            rehandling_extend(assignment, due=due, needs_calendar=needs_calendar, actor=actor)
            notices[("same", assignment.unit_id)] += 1
        else:
            replacement = assignment_replace(
                assignment,
                row.new_unit,
                due=due,
                needs_calendar=needs_calendar,
                deadlines=deadlines,
                rules=rules,
                actor=actor,
            )
            record.new_assignment = replacement
            notices[("new", row.new_unit.pk)] += 1
            notices[("moved", assignment.unit_id)] += 1
        records.append(record)
        by_suggestion[suggestion.pk].append(
            {
                "assignment": assignment.pk,
                "unit": assignment.unit.name,
                "decision": row.decision,
                "new_unit": row.new_unit.name if record.new_assignment else "",
                "new_assignment": record.new_assignment.pk if record.new_assignment else None,
                "due": iso_date(due),
            }
        )
    MeetingReassignment.objects.bulk_create(records)

    for suggestion_id, decided in by_suggestion.items():
        suggestion = suggestions[suggestion_id]
        before, after = roll_up(suggestion, actor)
        single = decided[0] if len(decided) == 1 else None
        record_event(
            suggestion,
            E.REASSIGNED_AT_MEETING,
            actor,
            from_status=before,
            to_status=after,
            reason=meeting.note,
            assignment=assignments[single["assignment"]] if single else None,
            payload={
                "meeting": meeting.pk,
                "name": meeting.name,
                "held_on": held_on.isoformat(),
                **({"unit": single["unit"]} if single else {}),
                "decisions": decided,
            },
        )
    titles = {
        "same": _("不满意件交办会：您单位须重新办理{count}件建议，请在{due}前答复。"),
        "new": _("不满意件交办会：向您单位交办建议{count}件，请及时签收，在{due}前答复。"),
        "moved": _("不满意件交办会：您单位承办的{count}件建议改由其他单位办理。"),
    }
    for (kind, unit_id), count in notices.items():
        _notify(
            unit_users(unit_id),
            kind=f"supervision.meeting_{kind}",
            title=titles[kind].format(count=count, due=iso_date(due) or _("待补录工作日历后确定的日期")),
            link=WORK_LINK,
            target=meeting,
        )
    return meeting
