"""Supervision items (督办事项, DOMAIN §5.8): list a suggestion for key, counterpart or follow-up
supervision, and change its arrangement (leader, committee, team, the directors' decision)."""

from collections.abc import Iterable, Sequence
from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.core.models import save_fields
from lvzhi.suggestions.choices import SuggestionEventType as E
from lvzhi.suggestions.handling import link_to, lock_suggestion, record_event, unit_users
from lvzhi.suggestions.models import Suggestion
from lvzhi.suggestions.selectors import suggestions_visible_to

from .. import workflow
from ..choices import SupervisionKind
from ..models import SupervisionItem
from ..workflow import Action
from .plumbing import (
    GONE,
    SUPERVISABLE,
    S,
    check_not_future,
    check_year,
    committee_users,
    item_link,
    item_payload,
    lock_item,
    notify,
    open_unit_ids,
    users,
)

ITEM_EDITABLE = frozenset({"leader", "committee", "team_members", "team", "decided_on", "decision_ref"})


def _name(user) -> str:
    return str(user) if user is not None else ""


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
    year = check_year(year)
    check_not_future(decided_on, _("决定日期不能晚于今天。"), "decided_on")
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
        payload=item_payload(
            item,
            leader=_name(leader),
            committee=committee.name if committee else "",
            team=[str(member) for member in team_members],
        ),
    )
    link = item_link(item)
    label = SupervisionKind(kind).label
    if leader is not None:
        notify(
            users(leader.pk),
            kind="supervision.started",
            title=_("请您领衔督办建议（{kind}）：{title}").format(kind=label, title=suggestion.title),
            link=link,
            target=item,
        )
    notify(
        users(*(member.pk for member in team_members)),
        kind="supervision.started",
        title=_("您已列入督办组（{kind}）：{title}").format(kind=label, title=suggestion.title),
        link=link,
        target=item,
    )
    notify(
        committee_users(committee.pk if committee else None),
        kind="supervision.started",
        title=_("请对口督办建议（{kind}）：{title}").format(kind=label, title=suggestion.title),
        link=link,
        target=item,
    )
    notify(
        unit_users(*open_unit_ids([suggestion.pk])[suggestion.pk]),
        kind="supervision.started",
        title=_("您单位承办的建议已列为{year}年度{kind}：{title}").format(
            year=year, kind=label, title=suggestion.title
        ),
        link=link_to(suggestion),
        target=suggestion,
    )
    return item


@transaction.atomic
def supervision_update(*, item, expected_version: int, changes: dict, actor) -> SupervisionItem:
    """Change the arrangement of an item in progress: leader, committee, team, the directors'
    meeting's decision. A stale ``expected_version`` is refused (``ConflictError``). Who: the office,
    or the committee's staff for its counterpart items (never moving them to another committee). A
    new leader and new team members are told."""
    suggestion, item = lock_item(item, expected_version=expected_version)
    workflow.check(item, Action.UPDATE, actor)
    unknown = set(changes) - ITEM_EDITABLE
    if unknown:
        raise DomainError(_("不能修改这些字段：{fields}").format(fields="、".join(sorted(unknown))))
    if not is_office(actor) and "committee" in changes and changes["committee"] != item.committee:
        raise ForbiddenError(_("只能以本委员会的名义开展对口督办。"))
    if "decided_on" in changes:
        check_not_future(changes["decided_on"], _("决定日期不能晚于今天。"), "decided_on")
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
        payload=item_payload(
            item,
            fields=fields,
            leader=_name(item.leader),
            committee=item.committee.name if item.committee_id else "",
        ),
    )
    link = item_link(item)
    if item.leader_id and item.leader_id != old_leader_id:
        notify(
            users(item.leader_id),
            kind="supervision.changed",
            title=_("请您领衔督办建议（{kind}）：{title}").format(
                kind=item.get_kind_display(), title=suggestion.title
            ),
            link=link,
            target=item,
        )
    if team_changed:
        added = [member.pk for member in team_members if member.pk not in old_team]
        notify(
            users(*added),
            kind="supervision.changed",
            title=_("您已列入督办组（{kind}）：{title}").format(
                kind=item.get_kind_display(), title=suggestion.title
            ),
            link=link,
            target=item,
        )
    return item
