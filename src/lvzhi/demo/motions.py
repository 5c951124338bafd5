"""Demo motions (议案) at every step of their life, through the services as users would:

- two drafts: one led by ``demo-deputy2`` inviting ``demo-deputy`` (who has still to answer, so its
  desk asks it), one led by ``demo-deputy`` with the nine other 鼓楼区 demo deputies confirmed:
  ten deputies including the lead (Organic Law Art. 24), ready to submit;
- delegation motions (代表团, no co-signers needed) submitted, placed on the agenda and sent to
  the 城建环资工作委员会, reported by ``demo-committee``, closed; and at the provincial congress one
  of the 福州代表团 not placed on the agenda and handled as a suggestion.

Idempotent: nothing is written when the city congress already has motions, or without the demo
accounts and deputies.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from lvzhi.accounts.models import User
from lvzhi.deputies.choices import MandateStatus
from lvzhi.deputies.models import Mandate
from lvzhi.motions import services
from lvzhi.motions.choices import DecisionOutcome
from lvzhi.motions.models import Motion
from lvzhi.organizations.models import ElectoralUnit, ExpertiseField, Session, Term

from .report import SeedReport
from .structure import PROVINCIAL_CONGRESS, PROVINCIAL_UNIT, Structure

OFFICE = "demo-staff"
COMMITTEE_STAFF = "demo-committee"
LEAD = "demo-deputy"
OTHER_LEAD = "demo-deputy2"
COSIGNERS = tuple(f"demo-deputy{number}" for number in range(2, 11))
COMMITTEE = "城建环资工作委员会"
HOME_DELEGATION = "鼓楼区"
OTHER_DELEGATION = "台江区"

# (subject, grounds, plan) of each motion, by the step it is left at.
TEXTS = {
    "draft_invited": (
        "关于制定《福州市历史文化街区保护条例》的议案",
        "三坊七巷以外的历史文化街区保护依据不足，修缮与利用缺少统一规范。",
        "建议市人大常委会将该条例列入立法计划，明确保护范围、责任主体和资金保障。",
    ),
    "draft_ready": (
        "关于制定《福州市城市内涝防治条例》的议案",
        "近年台风暴雨频发，城区内涝点整治缺乏长效机制，排水设施建设管理职责分散。",
        "建议制定专项条例，明确规划、建设、运维和应急各环节的责任，建立内涝点清单管理制度。",
    ),
    "submitted": (
        "关于修改《福州市闽江河口湿地自然保护区管理办法》的议案",
        "保护区周边开发强度增大，现行办法对缓冲区活动的规定已不适应保护需要。",
        "建议修改管理办法，细化缓冲区、实验区的活动管控和生态补偿措施。",
    ),
    "placed": (
        "关于制定《福州市城市绿道管理条例》的议案",
        "福道等城市绿道建成后管理养护标准不一，占用、损坏绿道的行为缺乏处罚依据。",
        "建议制定条例，统一绿道规划建设、养护管理和使用规范，明确违法行为的法律责任。",
    ),
    "reported": (
        "关于制定《福州市既有住宅加装电梯条例》的议案",
        "老旧小区加装电梯需求大，但业主协商难、审批流程长、后期维护责任不清。",
        "建议制定条例，规范加装电梯的协商表决、审批程序、资金分摊和运行维护。",
    ),
    "closed": (
        "关于制定《福州市生活垃圾分类管理条例》实施办法的议案",
        "垃圾分类投放点设置和收运衔接存在短板，部分小区分类效果反弹。",
        "建议出台实施办法，细化分类投放、收集、运输和处理各环节的管理要求。",
    ),
    "converted": (
        "关于加强城区老旧供水管网改造的议案",
        "部分城区供水管网使用年限长，爆管漏损频发，影响居民正常用水。",
        "建议加大老旧供水管网改造投入，制定分年度改造计划并向社会公布。",
    ),
}
REPORT_TEXT = "委员会经调研审议认为，制定该条例十分必要，建议列入明年立法计划，并已与市司法局沟通起草工作。"
CONVERT_REASON = "该议案所提事项属于政府日常工作范围，作为代表建议交有关部门办理更为适宜。"


def _users() -> dict[str, User]:
    names = (OFFICE, COMMITTEE_STAFF, LEAD, *COSIGNERS)
    return {
        user.username: user for user in get_user_model().objects.filter(username__in=names, is_active=True)
    }


def _mandate(user: User, structure: Structure) -> Mandate | None:
    return Mandate.objects.filter(
        person__user=user, congress=structure.city, term=structure.city_term
    ).first()


def _session(structure: Structure, today: date) -> Session | None:
    return _session_of(structure.city_term, today)


def _session_of(term: Term, today: date) -> Session | None:
    """The term's latest session already opened: motions are raised at a session."""
    sessions = Session.objects.filter(term=term).order_by("-start_date")
    return sessions.filter(start_date__lte=today).first() or sessions.last()


def _texts(key: str) -> dict[str, str]:
    subject, grounds, plan = TEXTS[key]
    return {"subject": subject, "grounds": grounds, "plan": plan}


def seed_motions(report: SeedReport, structure: Structure) -> None:
    """Write the demo motions (see the module); count them in ``report`` as 议案."""
    if Motion.objects.filter(congress__in=[structure.city, structure.provincial]).exists():
        return
    users = _users()
    if not {OFFICE, COMMITTEE_STAFF, LEAD, *COSIGNERS} <= set(users):
        return
    mandates = {name: _mandate(users[name], structure) for name in (LEAD, *COSIGNERS)}
    today = timezone.localdate()
    session = _session(structure, today)
    committee = structure.committees.get(COMMITTEE)
    home = ElectoralUnit.objects.filter(congress=structure.city, name=HOME_DELEGATION).first()
    other = ElectoralUnit.objects.filter(congress=structure.city, name=OTHER_DELEGATION).first()
    if None in mandates.values() or session is None or committee is None or home is None or other is None:
        return
    field = ExpertiseField.objects.filter(committee=committee).order_by("id").first()
    opened = session.start_date
    office = users[OFFICE]

    # Drafts: one waiting for demo-deputy's answer, one ready with ten deputies including the lead.
    invited = [mandates[name] for name in (LEAD, *COSIGNERS) if name != OTHER_LEAD]
    draft = services.motion_create(
        actor=users[OTHER_LEAD],
        mandate=mandates[OTHER_LEAD],
        session=session,
        field=field,
        cosigners=invited,
        today=opened,
        **_texts("draft_invited"),
    )
    for name in COSIGNERS[1:5]:
        services.motion_sign(motion=draft, actor=users[name], confirm=True)
    ready = services.motion_create(
        actor=users[LEAD],
        mandate=mandates[LEAD],
        session=session,
        field=field,
        cosigners=[mandates[name] for name in COSIGNERS],
        today=opened,
        **_texts("draft_ready"),
    )
    for name in COSIGNERS:
        services.motion_sign(motion=ready, actor=users[name], confirm=True)

    # Delegation motions, each taken one step further than the one before.
    def delegation_motion(key: str, delegation: ElectoralUnit) -> Motion:
        motion = services.motion_create(
            actor=office, delegation=delegation, session=session, field=field, today=opened, **_texts(key)
        )
        return services.motion_submit(motion=motion, actor=office, today=opened)

    delegation_motion("submitted", other)
    report_due = services.default_report_due(session)
    if report_due <= today:
        report_due = today + timedelta(days=90)
    placed = {key: delegation_motion(key, home) for key in ("placed", "reported", "closed")}
    for motion in placed.values():
        services.motion_decide(
            motion=motion,
            actor=office,
            outcome=DecisionOutcome.PLACE_ON_AGENDA,
            committee=committee,
            report_due=report_due,
        )
    for key in ("reported", "closed"):
        services.motion_report_submit(motion=placed[key], actor=users[COMMITTEE_STAFF], text=REPORT_TEXT)
    services.motion_close(motion=placed["closed"], actor=office)
    _seed_converted(structure, office, today)
    report.created["议案"] += Motion.objects.filter(
        congress__in=[structure.city, structure.provincial]
    ).count()


def _seed_converted(structure: Structure, office: User, today: date) -> None:
    """A motion of the 福州代表团 at the provincial congress, not placed on the agenda and handled as
    a suggestion there (so the city's suggestion numbers and the generator's counts stay as they are)."""
    delegation = structure.units.get((PROVINCIAL_CONGRESS, PROVINCIAL_UNIT[0]))
    session = _session_of(structure.provincial_term, today)
    if delegation is None or session is None:
        return
    lead = (
        Mandate.objects.filter(
            electoral_unit=delegation, term=structure.provincial_term, status=MandateStatus.ACTIVE
        )
        .order_by("card_number", "id")
        .first()
    )
    if lead is None:
        return
    motion = services.motion_create(
        actor=office, delegation=delegation, session=session, today=session.start_date, **_texts("converted")
    )
    services.motion_submit(motion=motion, actor=office, today=session.start_date)
    services.motion_decide(
        motion=motion,
        actor=office,
        outcome=DecisionOutcome.CONVERT,
        reason=CONVERT_REASON,
        suggestion_lead=lead,
    )
