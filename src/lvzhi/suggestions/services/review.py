"""The first review (DOMAIN §5.2): accept and number, return for revision, reject, convert to a
letter."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import DomainError
from lvzhi.organizations.models import Congress

from .. import workflow
from ..choices import InadmissibleReason, ReviewDecision, SuggestionStatus
from ..choices import SuggestionEventType as E
from ..handling import (
    REMIND_ASSIGN,
    context_for,
    deputies_of,
    deputy_users,
    lock_suggestion,
    notify,
    remind_cancel,
    suggestion_move,
)
from ..models import Suggestion
from ..rules import rules_for
from ..workflow import Action

REVIEW_ACTIONS = {
    ReviewDecision.ACCEPT: (Action.ACCEPT, E.ACCEPTED),
    ReviewDecision.RETURN: (Action.RETURN, E.RETURNED),
    ReviewDecision.REJECT: (Action.REJECT, E.REJECTED),
    ReviewDecision.CONVERT_TO_LETTER: (Action.CONVERT_TO_LETTER, E.CONVERTED_TO_LETTER),
}


def _next_number(suggestion: Suggestion, rules, year: int) -> int:
    """The next number of the suggestion's series in ``year``. Callers hold the congress row lock,
    so two acceptances cannot take the same number."""
    last = Suggestion.objects.filter(
        congress_id=suggestion.congress_id, year=year, series=suggestion.series, number__isnull=False
    ).aggregate(last=Max("number"))["last"]
    return (
        max(last + 1, rules.number_start(suggestion.series))
        if last
        else rules.number_start(suggestion.series)
    )


@transaction.atomic
def suggestion_review(
    *,
    suggestion,
    actor,
    decision: str,
    reason: str = "",
    rejection_reason: str = "",
    field=None,
    is_hard: bool | None = None,
    expected_version: int | None = None,
) -> Suggestion:
    """The first review: accept (classified by field, numbered from the congress's series), return
    for revision (with a reason), reject (with one of the inadmissible kinds of DOMAIN §5.2) or
    convert to a letter. Who: the office."""
    if decision not in REVIEW_ACTIONS:
        raise DomainError(_("请选择审查结果。"), field="decision")
    action, event_type = REVIEW_ACTIONS[decision]
    suggestion = lock_suggestion(suggestion, expected_version=expected_version)
    workflow.check_suggestion(suggestion, action, actor, context_for(suggestion))
    reason = (reason or "").strip()
    fields = ["review_reason"]
    payload = {}
    if decision == ReviewDecision.ACCEPT:
        suggestion.field = field or suggestion.field
        if suggestion.field is None:
            raise DomainError(_("立案前请为建议选择所属领域。"), field="field")
        if is_hard is not None:
            suggestion.is_hard = is_hard
        rules = rules_for(suggestion.congress_id)
        Congress.objects.select_for_update().get(pk=suggestion.congress_id)  # one numberer at a time
        now = timezone.now()
        # A session's suggestions carry its year; between sessions, the year they were received.
        year = (
            suggestion.session.start_date.year
            if suggestion.session
            else timezone.localdate(suggestion.submitted_at or now).year
        )
        suggestion.year = year
        suggestion.number = _next_number(suggestion, rules, year)
        suggestion.number_label = rules.number_label(
            series=suggestion.series, number=suggestion.number, year=year
        )
        suggestion.accepted_at = now
        fields += ["field", "is_hard", "year", "number", "number_label", "accepted_at"]
        payload = {
            "number": suggestion.number_label,
            "field": suggestion.field.name,
            "is_hard": suggestion.is_hard,
        }
    elif decision == ReviewDecision.RETURN:
        if not reason:
            raise DomainError(_("退回修改须说明理由。"), field="reason")
    elif decision == ReviewDecision.REJECT:
        if rejection_reason not in InadmissibleReason.values:
            raise DomainError(_("请选择不予立案的理由。"), field="rejection_reason")
        suggestion.rejection_reason = rejection_reason
        fields.append("rejection_reason")
        payload = {"rejection_reason": rejection_reason}
        reason = reason or str(InadmissibleReason(rejection_reason).label)
    suggestion.review_reason = reason
    suggestion_move(
        suggestion,
        {
            ReviewDecision.ACCEPT: SuggestionStatus.ACCEPTED,
            ReviewDecision.RETURN: SuggestionStatus.RETURNED_FOR_REVISION,
            ReviewDecision.REJECT: SuggestionStatus.REJECTED,
            ReviewDecision.CONVERT_TO_LETTER: SuggestionStatus.CONVERTED_TO_LETTER,
        }[decision],
        actor=actor,
        event_type=event_type,
        fields=fields,
        reason=reason,
        payload=payload,
    )
    if decision != ReviewDecision.ACCEPT:
        remind_cancel(suggestion, REMIND_ASSIGN)
    notify(
        deputy_users(*deputies_of(suggestion)),
        kind=event_type,
        title=_("您的建议“{title}”：{outcome}").format(
            title=suggestion.title, outcome=SuggestionStatus(suggestion.status).label
        ),
        body=reason,
        suggestion=suggestion,
    )
    return suggestion
