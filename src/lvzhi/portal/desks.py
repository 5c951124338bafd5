"""The work desk (工作台): each role's home page shows its work, counted, each count a link to the
list narrowed to exactly those items (the lists' own filters: ``?status=``, ``?desk=`` …).

The counts come from the owning apps' selectors (``suggestions``, ``motions``, ``supervision``),
each a fixed number of aggregate queries, so a desk costs the same for ten suggestions or 100,000.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.motions import selectors as motion_selectors
from lvzhi.motions.choices import MotionStatus
from lvzhi.suggestions import selectors as suggestion_selectors
from lvzhi.suggestions.choices import SuggestionStatus
from lvzhi.supervision import selectors as supervision_selectors
from lvzhi.supervision.choices import SupervisionKind, SupervisionStatus

# Tones of a count: ``danger`` for what is late, ``warning`` for what falls due soon.
PLAIN, WARNING, DANGER = "", "warning", "danger"


@dataclass(frozen=True)
class DeskCount:
    """One count of a desk and the list it links to."""

    label: str | Promise
    count: int
    url: str
    tone: str = PLAIN


@dataclass(frozen=True)
class DeskItem:
    """One thing waiting for the user, linked to the page where it acts on it."""

    label: str | Promise
    title: str
    url: str


@dataclass
class DeskSection:
    """A card of the desk: a title, its counts, and (for a deputy) the items themselves."""

    title: str | Promise
    counts: list[DeskCount] = field(default_factory=list)
    items: list[DeskItem] = field(default_factory=list)


# A deputy's desk lists at most this many of the things waiting for it (the counts link to all).
DEPUTY_ITEMS = 10


def _link(name: str, **params: Any) -> str:
    address = reverse(name)
    return f"{address}?{urlencode(params)}" if params else address


def _late(count: int) -> str:
    return DANGER if count else PLAIN


def _soon(count: int) -> str:
    return WARNING if count else PLAIN


def _suggestion_states(counts: Mapping[str, int], title: str | Promise) -> DeskSection:
    """The suggestions by status, in the workflow's order, only the statuses that have some."""
    return DeskSection(
        title,
        [
            DeskCount(status.label, counts[status.value], _link("suggestions:list", status=status.value))
            for status in SuggestionStatus
            if counts.get(status.value)
        ],
    )


def _motion_states(counts: Mapping[str, int], title: str | Promise, **params: Any) -> DeskSection:
    return DeskSection(
        title,
        [
            DeskCount(
                status.label, counts[status.value], _link("motions:list", status=status.value, **params)
            )
            for status in MotionStatus
            if counts.get(status.value)
        ],
    )


def office_desk(user: Any, today: date) -> list[DeskSection]:
    """代表工委: what waits for review, assignment and the second review; the units that are late."""
    c = suggestion_selectors.office_desk_counts(user=user, today=today)
    motions = motion_selectors.motion_desk_counts(user=user)["by_status"]
    return [
        DeskSection(
            _("建议待办"),
            [
                DeskCount(_("待审查"), c["to_review"], _link("suggestions:list", status="submitted")),
                DeskCount(_("待交办"), c["to_assign"], _link("suggestions:list", status="accepted")),
                DeskCount(
                    _("交办期限将至"),
                    c["assign_due_soon"],
                    _link("suggestions:list", desk="assign_due_soon"),
                    _soon(c["assign_due_soon"]),
                ),
                DeskCount(
                    _("已超过交办期限"),
                    c["assign_overdue"],
                    _link("suggestions:list", desk="assign_overdue"),
                    _late(c["assign_overdue"]),
                ),
                DeskCount(
                    _("答复待审核"),
                    c["replies_to_review"],
                    _link("suggestions:list", status="reply_submitted"),
                ),
            ],
        ),
        DeskSection(
            _("承办单位催办"),
            [
                DeskCount(
                    _("逾期未签收"),
                    c["late_acknowledgement"],
                    _link("suggestions:list", desk="late_acknowledgement"),
                    _late(c["late_acknowledgement"]),
                ),
                DeskCount(
                    _("逾期未答复"),
                    c["late_reply"],
                    _link("suggestions:list", desk="late_reply"),
                    _late(c["late_reply"]),
                ),
                DeskCount(
                    _("协办单位逾期未提交意见"),
                    c["silent_co_unit"],
                    _link("suggestions:list", desk="silent_co_unit"),
                    _late(c["silent_co_unit"]),
                ),
            ],
        ),
        DeskSection(
            _("议案"),
            [
                DeskCount(
                    MotionStatus.SUBMITTED.label,
                    motions.get(MotionStatus.SUBMITTED, 0),
                    _link("motions:list", status=MotionStatus.SUBMITTED.value),
                ),
                DeskCount(
                    MotionStatus.PLACED_ON_AGENDA.label,
                    motions.get(MotionStatus.PLACED_ON_AGENDA, 0),
                    _link("motions:list", status=MotionStatus.PLACED_ON_AGENDA.value),
                ),
            ],
        ),
    ]


def unit_desk(user: Any, today: date) -> list[DeskSection]:
    """承办单位: what to receive, what falls due, what is late, what is to be handled again."""
    c = suggestion_selectors.unit_desk_counts(user=user, today=today)
    work = "suggestions:work"
    return [
        DeskSection(
            _("本单位办理"),
            [
                DeskCount(
                    _("待签收"),
                    c["to_acknowledge"],
                    _link(work, status="assigned"),
                    _soon(c["to_acknowledge"]),
                ),
                DeskCount(_("即将到期"), c["due_soon"], _link(work, due_soon="true"), _soon(c["due_soon"])),
                DeskCount(_("已逾期"), c["overdue"], _link(work, overdue="true"), _late(c["overdue"])),
                DeskCount(
                    _("重新办理"), c["rehandling"], _link(work, status="rehandling"), _late(c["rehandling"])
                ),
            ],
        )
    ]


def deputy_desk(user: Any, today: date) -> list[DeskSection]:
    """代表: the questions waiting for it, then its suggestions and motions by state."""
    c = suggestion_selectors.deputy_desk_counts(user=user, today=today)
    motions = motion_selectors.motion_desk_counts(user=user)
    return [
        DeskSection(
            _("等待您处理"),
            counts=[
                DeskCount(
                    _("待确认联名的建议"),
                    c["to_confirm"],
                    _link("suggestions:list", desk="to_confirm"),
                    _soon(c["to_confirm"]),
                ),
                DeskCount(
                    _("待确认附议的议案"),
                    motions["to_confirm"],
                    _link("motions:list", desk="to_confirm"),
                    _soon(motions["to_confirm"]),
                ),
                DeskCount(
                    _("待评价的答复"),
                    c["to_evaluate"],
                    _link("suggestions:list", desk="to_evaluate"),
                    _soon(c["to_evaluate"]),
                ),
            ],
            items=_waiting_for_deputy(user, today),
        ),
        _suggestion_states(suggestion_selectors.suggestion_status_counts(user=user), _("我的建议")),
        _motion_states(motions["by_status"], _("我领衔的议案"), desk="mine"),
    ]


def _waiting_for_deputy(user: Any, today: date) -> list[DeskItem]:
    """The invitations and replies themselves, each linked to its page: three queries."""
    signers = suggestion_selectors.invitations_to_confirm(user=user).select_related("suggestion")
    endorsements = motion_selectors.motion_invitations_to_confirm(user=user).select_related("motion")
    replies = suggestion_selectors.replies_to_evaluate(user=user, today=today).select_related(
        "reply__assignment__suggestion"
    )
    items = [
        DeskItem(_("待确认联名"), s.suggestion.title, reverse("suggestions:detail", args=[s.suggestion_id]))
        for s in signers.order_by("suggestion_id")[:DEPUTY_ITEMS]
    ]
    items += [
        DeskItem(_("待确认附议"), m.motion.subject, reverse("motions:detail", args=[m.motion_id]))
        for m in endorsements.order_by("motion_id")[:DEPUTY_ITEMS]
    ]
    for recipient in replies.order_by("evaluation_due", "id")[:DEPUTY_ITEMS]:
        suggestion = recipient.reply.assignment.suggestion
        items.append(
            DeskItem(_("待评价"), suggestion.title, reverse("suggestions:detail", args=[suggestion.pk]))
        )
    return items


def committee_desk(user: Any, today: date) -> list[DeskSection]:
    """委员会: the motions sent to it, its supervision items, the suggestions in its fields."""
    items = supervision_selectors.committee_desk_counts(user)
    items_link = "supervision:list"
    return [
        _motion_states(
            motion_selectors.motion_desk_counts(user=user)["by_status"], _("交本委员会审议的议案")
        ),
        DeskSection(
            _("本委员会督办"),
            [
                DeskCount(
                    _("督办中"),
                    items["in_progress"],
                    _link(
                        items_link, committee=user.committee_id, status=SupervisionStatus.IN_PROGRESS.value
                    ),
                ),
                DeskCount(
                    SupervisionKind.COUNTERPART.label,
                    items["counterpart"],
                    _link(
                        items_link,
                        committee=user.committee_id,
                        status=SupervisionStatus.IN_PROGRESS.value,
                        kind=SupervisionKind.COUNTERPART.value,
                    ),
                ),
            ],
        ),
        _suggestion_states(suggestion_selectors.suggestion_status_counts(user=user), _("对口领域的建议")),
    ]


def county_desk(user: Any, today: date) -> list[DeskSection]:
    """选举单位（县区）: the suggestions and motions of the deputies it elected."""
    return [
        _suggestion_states(
            suggestion_selectors.suggestion_status_counts(user=user), _("本选举单位代表的建议")
        ),
        _motion_states(
            motion_selectors.motion_desk_counts(user=user)["by_status"], _("本选举单位代表的议案")
        ),
    ]


def desk_for(user: Any, today: date) -> list[DeskSection]:
    """The desk of ``user``'s role (a leader's is its supervision card, shown by the page)."""
    if is_office(user):
        return office_desk(user, today)
    builders = {
        Role.HANDLING_UNIT_STAFF: unit_desk,
        Role.DEPUTY: deputy_desk,
        Role.COMMITTEE_STAFF: committee_desk,
        Role.COUNTY_STAFF: county_desk,
    }
    builder = builders.get(user.role)
    return builder(user, today) if builder is not None else []
