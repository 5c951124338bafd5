"""Co-signing (联名/附议), shared by suggestions and motions: who may be invited, and a
co-signer's answer. The caller holds the lock on its suggestion or motion and writes its event."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import DomainError

from .choices import MandateStatus, SignerStatus


def cosigners_check(
    mandates: Sequence[Any],
    *,
    lead_mandate_id: int | None,
    congress_id: int,
    term_id: int,
    existing: Iterable[int],
    word: str | Promise,
    field: str,
) -> None:
    """Refuse, in Chinese, a co-signer who is the lead, already listed, not a deputy of the same
    congress and term, or whose mandate is not active. ``word``: 联名 or 附议, as the user knows it."""
    seen = set(existing)
    for mandate in mandates:
        name = mandate.person.name
        if mandate.pk == lead_mandate_id:
            raise DomainError(_("领衔代表不能同时作为{word}代表。").format(word=word), field=field)
        if mandate.pk in seen:
            raise DomainError(_("{name}已在{word}代表名单中。").format(name=name, word=word), field=field)
        if mandate.congress_id != congress_id or mandate.term_id != term_id:
            raise DomainError(_("{name}不是本届代表，不能{word}。").format(name=name, word=word), field=field)
        if mandate.status != MandateStatus.ACTIVE:
            raise DomainError(
                _("{name}的代表资格状态为“{status}”，不能{word}。").format(
                    name=name, status=MandateStatus(mandate.status).label, word=word
                ),
                field=field,
            )
        seen.add(mandate.pk)


def cosigner_respond(signers: QuerySet[Any], *, actor: Any, confirm: bool) -> Any:
    """Record the answer of ``actor``'s invitation among ``signers`` (the suggestion's or motion's
    signers): confirmed or declined, now. Locks the signer row; returns it with its person."""
    signer = (
        signers.select_for_update(of=("self",))
        .select_related("mandate__person")
        .get(status=SignerStatus.INVITED, mandate__person__user_id=actor.pk)
    )
    signer.status = SignerStatus.CONFIRMED if confirm else SignerStatus.DECLINED
    signer.responded_at = timezone.now()
    signer.save(update_fields=["status", "responded_at", "updated_at"])
    return signer
