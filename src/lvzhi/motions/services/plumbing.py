"""What every motion service does the same way: lock the motion, read the congress's rules, save
with the version, write the event, and queue notifications and reminders for after the commit.

Shared by the modules of ``lvzhi.motions.services`` only; nothing outside motions imports it."""

from collections.abc import Callable, Iterable
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import OFFICE_ROLES
from lvzhi.core.errors import ConflictError
from lvzhi.notifications.services import after_commit
from lvzhi.suggestions.rules import rules_for

from ..choices import SignerStatus
from ..models import Motion, MotionActivity, MotionEvent, MotionSigner
from ..workflow import Context

# The reminder the committee gets until it reports (scheduled by the decision, completed by the report).
REMIND_REPORT = "motion.report_due"


def lock_motion(motion, *, expected_version: int | None = None) -> Motion:
    """Lock the motion row for the rest of the transaction: every action on a motion takes this lock
    first, so concurrent actions queue and the later one sees the earlier one's result. A stale
    ``expected_version`` (the page or API read an older state) is a conflict."""
    pk = getattr(motion, "pk", motion)
    locked = (
        Motion.objects.select_for_update(of=("self",))
        .select_related("lead_mandate__person", "session", "congress", "delegation", "committee")
        .prefetch_related(
            Prefetch("signers", queryset=MotionSigner.objects.select_related("mandate__person"))
        )
        .get(pk=pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(_("该议案已被他人处理或修改，请刷新页面后重试。"))
    return locked


def context_of(motion: Motion, *, today: date | None = None) -> Context:
    """What the workflow's guards read: the day and the congress's rules."""
    return Context(today=today or timezone.localdate(), rules=rules_for(motion.congress_id))


def save_motion(motion: Motion, actor, fields: Iterable[str]) -> None:
    """Save the named fields and the version, recording the actor in the row history."""
    motion.version += 1
    motion._history_user = actor
    motion.save(update_fields=[*dict.fromkeys([*fields, "version", "updated_at"])])


def record_event(
    motion: Motion,
    type: str,
    actor,
    *,
    from_status: str = "",
    to_status: str = "",
    reason="",
    activity: MotionActivity | None = None,
    payload: dict | None = None,
) -> MotionEvent:
    """Write one event of the motion's history now."""
    return MotionEvent.record(
        type,
        actor,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        motion=motion,
        activity=activity,
        payload=payload,
    )


# -- Side effects after commit ----------------------------------------------------------------------


def motion_link(motion: Motion) -> str:
    return reverse("motions:detail", args=[motion.pk])


def notify(recipients: Callable[[], list], *, kind: str, title, motion: Motion, body="") -> None:
    after_commit(
        "notify",
        recipients=recipients,
        kind=kind,
        title=str(title),
        body=str(body),
        link=motion_link(motion),
        target=motion,
    )


def users(**filters) -> Callable[[], list]:
    return lambda: list(get_user_model().objects.filter(is_active=True, **filters).distinct())


def deputy_users(*mandate_ids: int) -> Callable[[], list]:
    return users(person__mandates__in=mandate_ids)


def office_users() -> Callable[[], list]:
    return users(role__in=OFFICE_ROLES)


def committee_users(committee_id: int) -> Callable[[], list]:
    return users(role=Role.COMMITTEE_STAFF, committee_id=committee_id)


def proposer_users(motion: Motion) -> Callable[[], list]:
    """Who hears of a motion's progress: the lead and the confirmed co-signers, or the staff of the
    delegation's electoral unit."""
    if motion.delegation_id is not None:
        return users(role=Role.COUNTY_STAFF, electoral_unit_id=motion.delegation_id)
    confirmed = motion.signers.filter(status=SignerStatus.CONFIRMED).values_list("mandate_id", flat=True)
    return deputy_users(motion.lead_mandate_id, *confirmed)
