"""The supervision team's work on an item (DOMAIN §5.8): record what it did, finish the item with
its conclusion, reopen it."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import DomainError
from lvzhi.suggestions.choices import SuggestionEventType as E
from lvzhi.suggestions.handling import record_event

from .. import workflow
from ..choices import ActivityKind
from ..models import SupervisionActivity, SupervisionItem
from ..workflow import Action
from .plumbing import (
    check_not_future,
    committee_users,
    item_link,
    item_move,
    item_payload,
    lock_item,
    notify,
    team_recipients,
)


@transaction.atomic
def supervision_activity_record(
    *, item, kind: str, happened_on: date, participants: str = "", note: str, actor
) -> SupervisionActivity:
    """Record what the team did (a visit, a forum, a briefing, its report to the directors' meeting;
    Fuzhou: 向主任会议报告督办情况) on a day not in the future. Who: the leader, the team members,
    the committee's staff for its items, the office. The leader and the team are told."""
    suggestion, item = lock_item(item)
    workflow.check(item, Action.RECORD_ACTIVITY, actor)
    if kind not in ActivityKind.values:
        raise DomainError(_("请选择活动类型。"), field="kind")
    if happened_on is None:
        raise DomainError(_("请填写活动日期。"), field="happened_on")
    check_not_future(happened_on, _("活动日期不能晚于今天。"), "happened_on")
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
        payload=item_payload(
            item, activity=activity.pk, activity_kind=kind, happened_on=happened_on.isoformat()
        ),
    )
    notify(
        team_recipients(item),
        kind="supervision.activity",
        title=_("督办活动（{activity}）：{title}").format(
            activity=ActivityKind(kind).label, title=suggestion.title
        ),
        body=note,
        link=item_link(item),
        target=item,
    )
    return activity


@transaction.atomic
def supervision_finish(
    *, item, conclusion: str, actor, expected_version: int | None = None
) -> SupervisionItem:
    """Finish an item with its conclusion (督办结论). Who: the office, the leader, or the committee's
    staff for its counterpart items. The leader, the team and the committee's staff are told."""
    suggestion, item = lock_item(item, expected_version=expected_version)
    transition = workflow.check(item, Action.FINISH, actor)
    conclusion = (conclusion or "").strip()
    if not conclusion:
        raise DomainError(_("请填写督办结论。"), field="conclusion")
    item.conclusion = conclusion
    item.finished_at = timezone.now()
    item_move(
        item,
        transition.target,
        suggestion=suggestion,
        actor=actor,
        event_type=E.SUPERVISION_FINISHED,
        fields=["conclusion", "finished_at"],
        reason=conclusion,
        payload=item_payload(item),
    )
    title = _("督办完成（{kind}）：{title}").format(kind=item.get_kind_display(), title=suggestion.title)
    link = item_link(item)
    notify(team_recipients(item), kind="supervision.finished", title=title, link=link, target=item)
    notify(
        committee_users(item.committee_id), kind="supervision.finished", title=title, link=link, target=item
    )
    return item


@transaction.atomic
def supervision_reopen(*, item, reason: str, actor, expected_version: int | None = None) -> SupervisionItem:
    """Put a finished item back under supervision, saying why; its conclusion is cleared (the row
    history keeps it). Who: the office. The leader and the team are told."""
    suggestion, item = lock_item(item, expected_version=expected_version)
    transition = workflow.check(item, Action.REOPEN, actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请说明恢复督办的理由。"), field="reason")
    item.conclusion = ""
    item.finished_at = None
    item_move(
        item,
        transition.target,
        suggestion=suggestion,
        actor=actor,
        event_type=E.SUPERVISION_REOPENED,
        fields=["conclusion", "finished_at"],
        reason=reason,
        payload=item_payload(item),
    )
    notify(
        team_recipients(item),
        kind="supervision.reopened",
        title=_("恢复督办（{kind}）：{title}").format(kind=item.get_kind_display(), title=suggestion.title),
        body=reason,
        link=item_link(item),
        target=item,
    )
    return item
