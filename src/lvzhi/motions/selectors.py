"""Reads of motions. Every read starts from ``motions_visible_to(user)``: the one place that decides
which motions a role may see. Missing and forbidden both give 404."""

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from lvzhi.accounts.choices import Role
from lvzhi.accounts.roles import is_office
from lvzhi.deputies.choices import MandateStatus
from lvzhi.deputies.models import Mandate

from .choices import Attendance, MotionStatus, SignerStatus
from .models import (
    NUMBERED_STATUSES,
    Motion,
    MotionActivity,
    MotionActivityParticipant,
    MotionEvent,
    MotionSigner,
)

# A deputy's draft (one its own account entered) is private to the deputies concerned.
DEPUTY_DRAFT = Q(status=MotionStatus.DRAFT, created_by_id=F("lead_mandate__person__user_id"))


def motions_visible_to(user) -> QuerySet[Motion]:
    """The motions ``user`` may see at all.

    - the office (代表工委, system administrators) and standing-committee leaders: every motion but
      a deputy's own draft (drafts the office or a delegation's staff entered are theirs to see);
    - a deputy: those it leads, was invited to co-sign (it read the text, whatever it answered) or
      its delegation raised, drafts included; and **every motion received in a congress it sits in**
      (submitted onward, not withdrawn). Decided so because motions are documents of the plenary
      session: the secretariat lists them, with the presidium's report on them, for all deputies,
      who deliberate those placed on the agenda. Drafts stay with their proposers;
    - committee staff: the motions sent to their committee;
    - county staff: those whose lead deputy their electoral unit elected or which their unit's
      delegation raised (not a deputy's private draft);
    - handling units and anybody else: none (a motion turned into a suggestion reaches the units
      as that suggestion).
    """
    motions = Motion.objects.all()
    if user is None or not user.is_authenticated:
        return motions.none()
    if is_office(user) or user.role == Role.LEADER:
        return motions.exclude(DEPUTY_DRAFT)
    if user.role == Role.DEPUTY:
        own = Mandate.objects.filter(person__user_id=user.pk)
        cosigned = MotionSigner.objects.filter(mandate__person__user_id=user.pk).values("motion_id")
        in_delegation = Exists(
            own.filter(electoral_unit_id=OuterRef("delegation_id"), term_id=OuterRef("term_id"))
        )
        return motions.filter(
            Q(lead_mandate__person__user_id=user.pk)
            | Q(pk__in=cosigned)
            | in_delegation
            | Q(status__in=NUMBERED_STATUSES, congress_id__in=own.values("congress_id"))
        )
    if user.role == Role.COMMITTEE_STAFF and user.committee_id:
        return motions.filter(committee_id=user.committee_id)
    if user.role == Role.COUNTY_STAFF and user.electoral_unit_id:
        unit = user.electoral_unit_id
        return motions.filter(Q(lead_mandate__electoral_unit_id=unit) | Q(delegation_id=unit)).exclude(
            DEPUTY_DRAFT
        )
    return motions.none()


def motion_list(*, user) -> QuerySet[Motion]:
    """The motion list: congress, session, proposer, field and committee joined; co-signers
    prefetched with their names, so a page costs the same queries for 5 motions or 5,000."""
    return (
        motions_visible_to(user)
        .select_related(
            "congress", "term", "session", "lead_mandate__person", "delegation", "field", "committee"
        )
        .prefetch_related(
            Prefetch(
                "signers",
                queryset=MotionSigner.objects.select_related("mandate__person").order_by("order", "id"),
            )
        )
        .order_by("-id")
    )


def motion_get(*, user, pk: int) -> Motion:
    """One motion the user may see, with its decision, the suggestion it became and the committee's
    activities (their deputies prefetched), or ``Motion.DoesNotExist``."""
    return (
        motion_list(user=user)
        .select_related("decision__committee", "converted_suggestion", "reported_by", "created_by")
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=MotionActivity.objects.select_related("recorded_by")
                .prefetch_related(
                    Prefetch(
                        "participants",
                        queryset=MotionActivityParticipant.objects.select_related("mandate__person").order_by(
                            "id"
                        ),
                    )
                )
                .order_by("held_on", "id"),
            )
        )
        .get(pk=pk)
    )


def motion_events(motion: Motion) -> QuerySet[MotionEvent]:
    """The history of a motion: its events in order, with who and which activity."""
    return motion.events.select_related("actor", "activity").order_by("at", "id")


def motion_history_for_suggestion(suggestion) -> list[MotionEvent]:
    """The history of the motion a suggestion came from (empty when it did not come from one), for
    the suggestion's page: whoever may see the suggestion may see where it came from."""
    return list(
        MotionEvent.objects.filter(motion__converted_suggestion=suggestion)
        .select_related("actor", "motion")
        .order_by("at", "id")
    )


def converted_suggestion_events(motion: Motion, *, user) -> list:
    """What happened to the suggestion a motion became, if ``user`` may see that suggestion: the
    motion's page follows it on."""
    if motion.converted_suggestion_id is None:
        return []
    from lvzhi.suggestions.selectors import suggestion_events, suggestions_visible_to

    suggestion = suggestions_visible_to(user).filter(pk=motion.converted_suggestion_id).first()
    return suggestion_events(suggestion, user=user) if suggestion is not None else []


def motion_proposers(motion: Motion) -> QuerySet[Mandate]:
    """The proposers a committee invites (Art. 50): the lead deputy and the confirmed co-signers,
    or the active deputies of the delegation that raised it."""
    if motion.delegation_id is not None:
        return Mandate.objects.filter(
            electoral_unit_id=motion.delegation_id,
            term_id=motion.term_id,
            status=MandateStatus.ACTIVE,
        ).select_related("person")
    confirmed = motion.signers.filter(status=SignerStatus.CONFIRMED).values("mandate_id")
    return Mandate.objects.filter(Q(pk=motion.lead_mandate_id) | Q(pk__in=confirmed)).select_related("person")


def motion_participations(mandate) -> QuerySet[MotionActivityParticipant]:
    """What the performance record (履职档案, DOMAIN §7) credits to a deputy from motions: each
    activity of a committee it took part in, with the motion."""
    return (
        MotionActivityParticipant.objects.filter(mandate=mandate, attendance=Attendance.ATTENDED)
        .select_related("activity__motion__session")
        .order_by("activity__held_on", "id")
    )


# -- The desks (工作台) ----------------------------------------------------------------------------------

# ``?desk=<key>`` on the motion list narrows it as the desk counted (``filters.MotionFilter``).
DESK_MINE = "mine"
DESK_TO_CONFIRM = "to_confirm"


def motion_invitations_to_confirm(*, user) -> QuerySet[MotionSigner]:
    """The invitations to endorse a motion (附议) that the deputy ``user`` has still to answer, on
    motions still drafts."""
    return MotionSigner.objects.filter(
        mandate__person__user_id=user.pk, status=SignerStatus.INVITED, motion__status=MotionStatus.DRAFT
    )


def desk_motion_q(key: str, *, user) -> Q | None:
    """The condition on motions behind a desk count, or None for an unknown key."""
    if key == DESK_MINE:
        return Q(lead_mandate__person__user_id=user.pk)
    if key == DESK_TO_CONFIRM:
        return Q(pk__in=motion_invitations_to_confirm(user=user).values("motion_id"))
    return None


def motion_desk_counts(*, user) -> dict:
    """What a desk shows of motions, two queries whatever the data: ``by_status`` (the motions that
    are the user's work: a deputy's own, the ones sent to a committee, a county's deputies') and
    ``to_confirm`` (a deputy's invitations to endorse)."""
    motions = motions_visible_to(user)
    if user is not None and user.is_authenticated and user.role == Role.DEPUTY:
        motions = motions.filter(desk_motion_q(DESK_MINE, user=user))
    rows = motions.order_by().values("status").annotate(count=Count("pk"))
    to_confirm = 0
    if user is not None and user.is_authenticated and user.role == Role.DEPUTY:
        to_confirm = motion_invitations_to_confirm(user=user).count()
    return {"by_status": {row["status"]: row["count"] for row in rows}, "to_confirm": to_confirm}
