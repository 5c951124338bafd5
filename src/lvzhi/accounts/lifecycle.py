"""The account changes that lower floors need too: the log entry, and switching an account off or
on when its holder's mandate ends or comes back (called by ``deputies.services``).

The management pages and their rules live in ``lvzhi.access``; these primitives take the caller's
transaction and lock the row themselves.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import AccountEventType, InactiveCause
from .models import AccountEvent, User


def account_log(*, user: User, type: str, actor: User | None, note: str | Promise = "") -> AccountEvent:
    """Write one line of the account's change log (who, when, what, why)."""
    return AccountEvent.objects.create(user=user, type=type, actor=actor, note=str(note)[:500])


def account_follow_mandates(*, user_id: int, holds_active_mandate: bool, actor: User | None) -> None:
    """Deactivate a deputy's account when no active mandate is left, reactivate it when one comes
    back, but only if it was switched off for that reason (a manual deactivation stays)."""
    user = User.objects.select_for_update().get(pk=user_id)
    if not holds_active_mandate and user.is_active:
        user.is_active = False
        user.inactive_cause = InactiveCause.MANDATE_ENDED
        user.save(update_fields=["is_active", "inactive_cause"])
        account_log(
            user=user,
            type=AccountEventType.DEACTIVATED,
            actor=actor,
            note=_("代表资格终止或暂停执行代表职务，账户自动停用。"),
        )
    elif holds_active_mandate and not user.is_active and user.inactive_cause == InactiveCause.MANDATE_ENDED:
        user.is_active = True
        user.inactive_cause = InactiveCause.NONE
        user.save(update_fields=["is_active", "inactive_cause"])
        account_log(
            user=user,
            type=AccountEventType.REACTIVATED,
            actor=actor,
            note=_("恢复执行代表职务，账户自动重新启用。"),
        )
