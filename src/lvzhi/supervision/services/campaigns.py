"""Supervision months (督办月, DOMAIN §5.7): a period in which the office presses units on a set of
suggestions; create and edit one, put suggestions in it, take one out."""

from collections import Counter
from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import ConflictError, DomainError
from lvzhi.core.models import save_fields
from lvzhi.organizations.models import Congress
from lvzhi.suggestions.choices import SuggestionEventType as E
from lvzhi.suggestions.handling import link_to, lock_suggestion, record_event, refuse_batch, unit_users
from lvzhi.suggestions.models import Suggestion

from ..models import CampaignSuggestion, SupervisionCampaign
from .plumbing import (
    GONE,
    IN_HANDLING,
    S,
    check_office,
    check_year,
    notify,
    open_unit_ids,
    work_link,
)

CAMPAIGN_EDITABLE = frozenset({"name", "year", "starts_on", "ends_on", "note"})


def _check_campaign(*, congress_id: int, name: str, year, starts_on, ends_on, exclude_pk=None) -> None:
    if not name:
        raise DomainError(_("请填写活动名称。"), field="name")
    check_year(year)
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
    check_office(actor)
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
    check_office(actor)
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
    check_office(actor)
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
    refuse_batch(errors, _("以下建议不能列入督办月，本次全部未列入：{errors}{more}"), field="suggestions")
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
    counts = Counter(unit_id for units in open_unit_ids(ids).values() for unit_id in set(units))
    for unit_id, count in counts.items():
        notify(
            unit_users(unit_id),
            kind="supervision.campaign_added",
            title=_("您单位有{count}件建议列入“{name}”（{start}至{end}），请加快办理。").format(
                count=count, name=campaign.name, start=payload["starts_on"], end=payload["ends_on"]
            ),
            link=work_link(),
            target=campaign,
        )
    return entries


@transaction.atomic
def campaign_remove_suggestion(*, campaign, suggestion, actor) -> None:
    """Take a suggestion out of a supervision month (a ``campaign_removed`` event on it); its units
    are told. Who: the office."""
    check_office(actor)
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
    notify(
        unit_users(*open_unit_ids([suggestion.pk])[suggestion.pk]),
        kind="supervision.campaign_removed",
        title=_("建议已移出“{name}”：{title}").format(name=campaign.name, title=suggestion.title),
        link=link_to(suggestion),
        target=suggestion,
    )
