"""Factories and step helpers for motions. ``MotionFactory`` puts rows in a state directly (lists,
scoping, query counts); the helpers drive a motion through the real services, as users would."""

from datetime import date

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from lvzhi.motions import services
from lvzhi.motions.choices import DecisionOutcome, MotionStatus
from lvzhi.motions.models import Motion

from ..factories import MandateFactory, SessionFactory, UserFactory

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
SUBJECT = "关于制定《福州市养犬管理条例》的议案"
GROUNDS = "城市养犬数量增长，扰民和伤人事件时有发生，现行规定层级低、处罚弱。"
PLAN = "建议市人大常委会将养犬管理条例列入立法计划，明确登记、免疫和处罚制度。"


def pdf(name: str = "审议结果报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class MotionFactory(DjangoModelFactory):
    """A motion in a given state without going through the services."""

    class Meta:
        model = Motion

    # Pass ``session`` (the fixture): congress and term follow it.
    session = factory.SubFactory(SessionFactory)
    term = factory.SelfAttribute("session.term")
    congress = factory.SelfAttribute("session.term.congress")
    lead_mandate = factory.SubFactory(
        MandateFactory, congress=factory.SelfAttribute("..congress"), term=factory.SelfAttribute("..term")
    )
    subject = factory.Sequence(lambda n: f"关于第{n + 1}项地方立法的议案")
    grounds = GROUNDS
    plan = PLAN
    status = MotionStatus.SUBMITTED
    number = factory.Sequence(lambda n: n + 1)
    number_label = factory.LazyAttribute(lambda o: f"第{o.number}号" if o.number else "")
    submitted_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory)

    class Params:
        draft = factory.Trait(status=MotionStatus.DRAFT, number=None, submitted_at=None)
        placed = factory.Trait(
            status=MotionStatus.PLACED_ON_AGENDA,
            report_due=date(2025, 10, 31),
            decided_at=factory.LazyFunction(timezone.now),
        )


# -- Steps through the services ---------------------------------------------------------------------


def draft(lead, session, *, cosigners=(), subject: str = SUBJECT, actor=None) -> Motion:
    return services.motion_create(
        actor=actor or lead.person.user,
        session=session,
        mandate=lead,
        subject=subject,
        grounds=GROUNDS,
        plan=PLAN,
        cosigners=list(cosigners),
    )


def signed(lead, session, cosigners, **kwargs) -> Motion:
    """Drafted with ``cosigners`` invited, each of whom confirms."""
    motion = draft(lead, session, cosigners=cosigners, **kwargs)
    for cosigner in cosigners:
        services.motion_sign(motion=motion, actor=cosigner.person.user, confirm=True)
    motion.refresh_from_db()
    return motion


def submitted(lead, session, cosigners, **kwargs) -> Motion:
    motion = signed(lead, session, cosigners, **kwargs)
    return services.motion_submit(motion=motion, actor=lead.person.user)


def placed(lead, session, cosigners, staff, committee, **kwargs) -> Motion:
    motion = submitted(lead, session, cosigners, **kwargs)
    services.motion_decide(
        motion=motion, actor=staff, outcome=DecisionOutcome.PLACE_ON_AGENDA, committee=committee
    )
    motion.refresh_from_db()
    return motion
