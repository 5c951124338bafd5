"""Factories and step helpers for suggestions. ``SuggestionFactory`` puts rows in a state directly
(lists, scoping, bulk); the helpers drive a suggestion through the real services, as users would."""

from datetime import date

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from lvzhi.suggestions import services
from lvzhi.suggestions.choices import (
    ContactMethod,
    ContactStage,
    ReviewDecision,
    SuggestionSeries,
    SuggestionStatus,
)
from lvzhi.suggestions.models import Assignment, Suggestion

from ..factories import CongressFactory, ExpertiseFieldFactory, MandateFactory, TermFactory, UserFactory

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str = "答复函.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class SuggestionFactory(DjangoModelFactory):
    """A suggestion in a given state without going through the services (numbered when accepted:
    ``SuggestionFactory(accepted=True)``)."""

    class Meta:
        model = Suggestion

    congress = factory.SubFactory(CongressFactory)
    term = factory.SubFactory(TermFactory, congress=factory.SelfAttribute("..congress"))
    session = None
    series = factory.LazyAttribute(
        lambda o: SuggestionSeries.IN_SESSION if o.session else SuggestionSeries.BETWEEN_SESSIONS
    )
    lead_mandate = factory.SubFactory(
        MandateFactory, congress=factory.SelfAttribute("..congress"), term=factory.SelfAttribute("..term")
    )
    title = factory.Sequence(lambda n: f"关于改善第{n + 1}片区停车难问题的建议")
    body = "建议内容：增设公共停车位，推行错时共享停车。"
    status = SuggestionStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory)

    class Params:
        accepted = factory.Trait(
            status=SuggestionStatus.ACCEPTED,
            field=factory.SubFactory(ExpertiseFieldFactory, name="城建环境"),
            year=2025,
            number=factory.Sequence(lambda n: 2001 + n),
            number_label=factory.LazyAttribute(lambda o: f"第{o.number}号"),
            accepted_at=factory.LazyFunction(timezone.now),
        )


# -- Steps through the services ---------------------------------------------------------------------


def draft(mandate, *, session=None, title: str = "关于加快老旧小区加装电梯的建议", actor=None) -> Suggestion:
    return services.suggestion_create(
        actor=actor or mandate.person.user,
        mandate=mandate,
        title=title,
        body="老旧小区居民上下楼难，建议简化审批、加大补助。",
        session=session,
    )


def submit(
    mandate, *, cosigners=(), session=None, title: str = "关于加快老旧小区加装电梯的建议"
) -> Suggestion:
    """Drafted, co-signers invited and confirmed, submitted."""
    suggestion = draft(mandate, session=session, title=title)
    if cosigners:
        services.suggestion_invite_cosigners(
            suggestion=suggestion, mandates=list(cosigners), actor=mandate.person.user
        )
        for cosigner in cosigners:
            services.suggestion_cosigner_respond(
                suggestion=suggestion, actor=cosigner.person.user, confirm=True
            )
    return services.suggestion_submit(suggestion=suggestion, actor=mandate.person.user)


def accept(
    mandate, staff, *, field, cosigners=(), session=None, is_hard: bool = False, title=None
) -> Suggestion:
    suggestion = submit(mandate, cosigners=cosigners, session=session, **({"title": title} if title else {}))
    return services.suggestion_review(
        suggestion=suggestion, actor=staff, decision=ReviewDecision.ACCEPT, field=field, is_hard=is_hard
    )


def assign(
    mandate,
    staff,
    *,
    field,
    lead,
    co_units=(),
    cosigners=(),
    on: date = date(2025, 3, 5),
    is_hard: bool = False,
) -> tuple[Suggestion, list[Assignment]]:
    suggestion = accept(mandate, staff, field=field, cosigners=cosigners, is_hard=is_hard)
    assignments = services.suggestion_assign(
        suggestion=suggestion, actor=staff, lead=lead, co_units=co_units, on=on
    )
    suggestion.refresh_from_db()
    return suggestion, assignments


def reply(
    assignment,
    unit_user,
    *,
    result_class: str = "A",
    contact_deputy=None,
    body: str = "经研究，已列入今年计划。",
):
    """The unit acknowledges (if needed), logs a contact, drafts and submits its reply. Without
    ``contact_deputy`` it submits saying the deputy could not be reached (Art. 51 asks one or the
    other)."""
    assignment.refresh_from_db()
    if assignment.status == "assigned":
        services.assignment_acknowledge(assignment=assignment, actor=unit_user)
    if contact_deputy is not None:
        services.contact_log(
            assignment=assignment,
            actor=unit_user,
            deputy=contact_deputy,
            contacted_on=timezone.localdate(),
            stage=ContactStage.BEFORE,
            method=ContactMethod.PHONE,
        )
    draft_reply = services.reply_draft(
        assignment=assignment,
        actor=unit_user,
        body=body,
        result_class=result_class,
        signed_by="张局长",
        letter=pdf(),
    )
    if contact_deputy is not None:
        return services.reply_submit(reply=draft_reply, actor=unit_user)
    return services.reply_submit(
        reply=draft_reply, actor=unit_user, no_contact_reason="unreachable", no_contact_note="电话未接通。"
    )


def released(assignment, unit_user, staff, **kwargs):
    """Replied and released after the second review."""
    submitted = reply(assignment, unit_user, **kwargs)
    return services.reply_review(reply=submitted, actor=staff, release=True)
