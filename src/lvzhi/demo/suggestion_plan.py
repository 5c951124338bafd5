"""One generated suggestion and everything that happened to it up to a given status
(``plan_suggestion``), unsaved, drawn from the demo data (``load_world``): its signers,
assignments, replies, contacts, recipients, commitments, evaluations and events.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import CommandError

from lvzhi.accounts.models import User
from lvzhi.core import calendar
from lvzhi.deputies.choices import MandateStatus
from lvzhi.deputies.models import Mandate
from lvzhi.organizations.models import Congress, ExpertiseField, HandlingUnit, Session, Term
from lvzhi.suggestions.choices import (
    AssignmentRole,
    AssignmentStatus,
    ContactMethod,
    ContactStage,
    InadmissibleReason,
    ReplyKind,
    ReplyStatus,
    Satisfaction,
    SignerStatus,
    SuggestionSeries,
)
from lvzhi.suggestions.choices import (
    SuggestionEventType as E,
)
from lvzhi.suggestions.choices import (
    SuggestionStatus as S,
)
from lvzhi.suggestions.models import (
    Assignment,
    Commitment,
    Contact,
    Evaluation,
    Reply,
    ReplyRecipient,
    Suggestion,
    SuggestionSigner,
)
from lvzhi.suggestions.rules import rules_for

from .accounts import DEMO_UNIT_HANDLING
from .structure import CITY_CONGRESS, CITY_TERM, DEMO_TODAY, FIELDS


class Batch(Protocol):
    """Where a planned suggestion's rows go (``suggestions.Batch`` writes them)."""

    suggestions: list[Suggestion]
    plans: list[dict]


NEEDS_DEMO = "请先载入演示数据：lvzhi seed_demo（需要福州市人大、代表、承办单位和演示账户）。"
TZ = ZoneInfo(settings.TIME_ZONE)

ASSIGNED_STATUSES = (S.ASSIGNED, S.HANDLING, S.REPLY_SUBMITTED, S.REPLIED, S.REHANDLING, S.CLOSED)
NUMBERED = (S.ACCEPTED, *ASSIGNED_STATUSES)
RELEASED_STATUSES = (S.REPLIED, S.REHANDLING, S.CLOSED)

PLACES = (
    "鼓楼区",
    "台江区",
    "仓山区",
    "晋安区",
    "马尾区",
    "长乐区",
    "福清市",
    "闽侯县",
    "连江县",
    "罗源县",
    "闽清县",
    "永泰县",
    "上街大学城",
    "三坊七巷周边",
    "五四路沿线",
    "福州新区",
    "滨海新城",
    "金山片区",
    "东二环沿线",
    "乌龙江沿岸",
)
# (field, topics, the units that handle it: the first is the usual lead)
FIELD_TOPICS = {
    "财政经济": (
        ("专项债券资金使用效益", "中小企业融资担保", "政府采购信息公开"),
        ("财政局", "发展和改革委员会", "审计局"),
    ),
    "城乡建设": (
        (
            "老旧小区改造",
            "背街小巷提升",
            "城中村改造安置",
            "既有住宅加装电梯",
            "市政道路破损修复",
            "排水管网改造",
        ),
        ("城乡建设局", "住房保障和房产管理局", "城市管理委员会", "自然资源和规划局"),
    ),
    "生态环境": (
        ("内河水系治理", "餐饮油烟扰民", "建筑工地扬尘", "垃圾分类设施"),
        ("生态环境局", "城乡建设局", "水利局"),
    ),
    "教育科技": (
        ("义务教育学位供给", "中小学课后服务", "职业教育产教融合", "科技成果转化"),
        ("教育局", "科学技术局"),
    ),
    "医疗卫生": (
        ("社区卫生服务中心建设", "基层医生队伍", "医保异地结算", "急救站点布局"),
        ("卫生健康委员会", "医疗保障局"),
    ),
    "农业农村": (
        ("高标准农田建设", "农村人居环境整治", "农产品冷链物流", "乡村道路养护"),
        ("农业农村局", "水利局", "林业局"),
    ),
    "社会保障": (
        ("居家养老服务", "灵活就业人员参保", "残疾人就业帮扶", "社区托育服务"),
        ("民政局", "人力资源和社会保障局"),
    ),
    "文化旅游": (
        ("历史文化街区保护", "公共文化场馆开放", "乡村旅游配套设施"),
        ("文化和旅游局", "体育局", "园林中心"),
    ),
    "交通运输": (
        ("公交线网优化", "地铁站点接驳", "停车泊位供给", "学校周边交通拥堵", "电动自行车充电设施"),
        ("交通运输局", "公安局", "城乡建设局", "城市管理委员会"),
    ),
    "法治建设": (("社区矫正工作", "公共法律服务", "行政执法规范化"), ("司法局", "公安局")),
    "民族宗教侨务": (("侨乡文化保护", "归侨侨眷权益保障"), ("民族与宗教事务局", "外事办公室")),
    "营商环境": (
        ("工程建设项目审批", "涉企收费清理", "政务服务一网通办", "个体工商户帮扶"),
        ("市场监督管理局", "商务局", "数据管理局"),
    ),
}
PROBLEMS = (
    "群众反映强烈，多次通过12345热线投诉。",
    "存在规划滞后、建设标准不统一的问题。",
    "相关部门职责交叉，推进缓慢。",
    "资金保障不足，后续管护缺位。",
    "现有设施老化，难以满足群众日常需要。",
    "信息不对称，群众办事仍需多头跑。",
    "近年来虽有改善，但与群众期待仍有差距。",
)
PROPOSALS = (
    "建议市政府统筹规划，分年度制定实施计划。",
    "建议加大财政投入，建立长效管护机制。",
    "建议明确牵头部门，压实属地责任。",
    "建议借鉴先进城市经验，开展试点后逐步推广。",
    "建议加强部门协同，建立定期会商制度。",
    "建议广泛听取群众意见，公开办理进度。",
)
REPLY_TEXTS = {
    "A": "经研究，您提出的问题已解决。我单位已会同有关部门完成整改，并建立长效机制。",
    "B": "经研究，您提出的建议已列入我单位年度工作计划，正在组织实施，预计年内完成。",
    "C": "经研究，您提出的建议很有价值，因受资金和用地条件限制，待条件成熟后逐步解决。",
    "D": "感谢您的建议，我单位将在今后工作中认真参考。",
}
SURNAMES = "王林陈张黄郑李吴刘杨许周何高谢"
GIVEN = ("建国", "志强", "海燕", "丽华", "文斌", "晓明", "秀英", "国平", "振华", "雪梅", "俊杰", "德明")
SATISFACTIONS = ((Satisfaction.SATISFIED, 70), (Satisfaction.BASICALLY_SATISFIED, 30))


@dataclass
class World:
    """The demo data the generator draws from."""

    congress: Congress
    term: Term
    sessions: dict[int, Session]  # by year of its start
    mandates: list[tuple[int, int | None]]  # (mandate id, user id of its person)
    fields: dict[str, ExpertiseField]
    units: dict[str, HandlingUnit]  # by name after "福州市" for departments, full name otherwise
    demo_unit: HandlingUnit
    staff: User
    unit_user: User
    rules: object
    deadlines: dict = field(default_factory=dict)


def load_world() -> World:
    congress = Congress.objects.filter(name=CITY_CONGRESS).first()
    term = Term.objects.filter(congress=congress, number=CITY_TERM).first() if congress else None
    staff = User.objects.filter(username="demo-staff").first()
    unit_user = User.objects.filter(username="demo-unit").first()
    demo_unit = HandlingUnit.objects.filter(name=DEMO_UNIT_HANDLING).first()
    mandates = (
        list(
            Mandate.objects.filter(congress=congress, term=term, status=MandateStatus.ACTIVE)
            .order_by("id")
            .values_list("id", "person__user_id")
        )
        if term
        else []
    )
    if not (congress and term and staff and unit_user and demo_unit) or len(mandates) < 10:
        raise CommandError(NEEDS_DEMO)
    units = {}
    for unit in HandlingUnit.objects.all():
        units[unit.name.removeprefix("福州市")] = unit
    return World(
        congress=congress,
        term=term,
        sessions={s.start_date.year: s for s in Session.objects.filter(term=term)},
        mandates=mandates,
        fields={f.name: f for f in ExpertiseField.objects.filter(name__in=FIELDS)},
        units=units,
        demo_unit=demo_unit,
        staff=staff,
        unit_user=unit_user,
        rules=rules_for(congress),
    )


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, dtime(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=TZ)


def _deadline(world: World, start: date, *, months: int = 0, working_days: int = 0):
    key = (start, months, working_days)
    if key not in world.deadlines:
        result = calendar.deadline(start, months=months, working_days=working_days)
        world.deadlines[key] = (result.due, result.needs_calendar)
    return world.deadlines[key]


def _satisfaction(rng: random.Random) -> str:
    return rng.choices([s for s, _w in SATISFACTIONS], weights=[w for _s, w in SATISFACTIONS])[0]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def plan_suggestion(
    world: World, rng: random.Random, year: int, status: str, batch: Batch, numbers: Counter, stats: Counter
) -> None:
    """One suggestion and everything that happened to it up to ``status``, unsaved."""
    staff, rules = world.staff, world.rules
    session = world.sessions.get(year)
    in_session = session is not None and rng.random() < 0.6
    if in_session:
        submitted_on = session.start_date + timedelta(
            days=rng.randint(0, (session.end_date - session.start_date).days)
        )
    else:
        start = (session.end_date if session else date(year, 1, 1)) + timedelta(days=1)
        end = date(year, 12, 20)
        if year == DEMO_TODAY.year:
            end = min(end, DEMO_TODAY - timedelta(days=10))
        end = max(end, start)
        submitted_on = start + timedelta(days=rng.randint(0, (end - start).days))
    series = SuggestionSeries.IN_SESSION if in_session else SuggestionSeries.BETWEEN_SESSIONS
    field_name = rng.choice(FIELDS)
    topics, unit_names = FIELD_TOPICS[field_name]
    topic, place = rng.choice(topics), rng.choice(PLACES)
    lead_id, _lead_user = rng.choice(world.mandates)
    cosigners = [m for m in rng.sample(world.mandates, 4) if m[0] != lead_id][: rng.choice((0, 0, 1, 2, 3))]
    title = f"关于{place}{topic}的建议"
    body = "".join(
        [
            f"{place}{topic}工作事关群众切身利益。",
            *rng.sample(PROBLEMS, 2),
            *rng.sample(PROPOSALS, rng.randint(2, 3)),
        ]
    )
    is_hard = rng.random() < 0.08
    suggestion = Suggestion(
        congress=world.congress,
        term=world.term,
        session=session if in_session else None,
        series=series,
        lead_mandate_id=lead_id,
        title=title,
        body=body,
        field=world.fields[field_name],
        status=status,
        is_hard=is_hard,
        is_confidential=rng.random() < 0.02,
        created_by=staff,
    )
    events: list = []

    def event(
        type_,
        on: datetime,
        *,
        actor=staff,
        from_status="",
        to_status="",
        reason="",
        assignment=None,
        payload=None,
        payload_fn=None,
    ):
        # A plain tuple, inserted by ``_insert_events`` (a model instance each costs as much again).
        events.append(
            (
                type_,
                actor.pk if actor else None,
                on,
                from_status,
                to_status or from_status,
                reason,
                assignment,
                payload or {},
                payload_fn,
            )
        )

    created_at = _at(submitted_on - timedelta(days=rng.randint(1, 3)), rng)
    event(E.CREATED, created_at, to_status=S.DRAFT)
    signers = []
    confirm_all = status != S.AWAITING_COSIGNERS
    if cosigners:
        event(
            E.COSIGNERS_INVITED,
            created_at,
            from_status=S.DRAFT,
            payload={"mandates": [m for m, _u in cosigners]},
        )
    for order, (mandate_id, _user) in enumerate(cosigners, start=1):
        confirmed = confirm_all or order > 1
        responded = created_at + timedelta(hours=rng.randint(1, 12))
        signers.append(
            SuggestionSigner(
                mandate_id=mandate_id,
                status=SignerStatus.CONFIRMED if confirmed else SignerStatus.INVITED,
                responded_at=responded if confirmed else None,
                order=order,
            )
        )
        if confirmed:
            event(
                E.COSIGNER_CONFIRMED,
                responded,
                actor=None,
                from_status=S.DRAFT,
                payload={"mandate": mandate_id},
            )
    if status == S.AWAITING_COSIGNERS and not cosigners:
        signers.append(
            SuggestionSigner(mandate_id=next(m for m in world.mandates if m[0] != lead_id)[0], order=1)
        )
        cosigners = []
    confirmed_ids = [s.mandate_id for s in signers if s.status == SignerStatus.CONFIRMED]
    plan = {
        "signers": signers,
        "assignments": [],
        "replies": [],
        "contacts": [],
        "recipients": [],
        "commitments": [],
        "evaluations": [],
        "events": events,
    }
    batch.suggestions.append(suggestion)
    batch.plans.append(plan)
    stats[status] += 1
    if status == S.AWAITING_COSIGNERS:
        event(
            E.AWAITING_COSIGNERS, _at(submitted_on, rng), from_status=S.DRAFT, to_status=S.AWAITING_COSIGNERS
        )
        return

    submitted_at = _at(submitted_on, rng)
    suggestion.submitted_at = submitted_at
    if series == SuggestionSeries.BETWEEN_SESSIONS:
        suggestion.assign_due, suggestion.needs_calendar = _deadline(
            world, submitted_on, working_days=rules.assign_within_working_days
        )
    event(E.SUBMITTED, submitted_at, from_status=S.DRAFT, to_status=S.SUBMITTED)
    if status == S.SUBMITTED:
        return
    reviewed_on = submitted_on + timedelta(days=rng.randint(2, 10))
    reviewed_at = _at(reviewed_on, rng)
    if status == S.WITHDRAWN:
        suggestion.review_reason = ""
        event(
            E.WITHDRAWN,
            reviewed_at,
            actor=None,
            from_status=S.SUBMITTED,
            to_status=S.WITHDRAWN,
            reason="代表申请撤回。",
        )
        return
    if status in (S.REJECTED, S.CONVERTED_TO_LETTER, S.RETURNED_FOR_REVISION):
        if status == S.REJECTED:
            suggestion.rejection_reason = rng.choice(InadmissibleReason.values)
            suggestion.review_reason = str(InadmissibleReason(suggestion.rejection_reason).label)
            type_ = E.REJECTED
        elif status == S.CONVERTED_TO_LETTER:
            suggestion.review_reason = "所提事项属于个案诉求，转为来信处理。"
            type_ = E.CONVERTED_TO_LETTER
        else:
            suggestion.review_reason = "请补充问题的具体地点和现状。"
            type_ = E.RETURNED
        event(
            type_,
            reviewed_at,
            from_status=S.SUBMITTED,
            to_status=status,
            reason=suggestion.review_reason,
            payload={"rejection_reason": suggestion.rejection_reason} if status == S.REJECTED else None,
        )
        return

    # Accepted: numbered in the congress's series of the year.
    key = (year, series)
    numbers[key] += 1
    suggestion.year = year
    suggestion.number = numbers[key]
    suggestion.number_label = rules.number_label(series=series, number=suggestion.number, year=year)
    suggestion.accepted_at = reviewed_at
    event(
        E.ACCEPTED,
        reviewed_at,
        from_status=S.SUBMITTED,
        to_status=S.ACCEPTED,
        payload={"number": suggestion.number_label, "field": field_name, "is_hard": is_hard},
    )
    if status == S.ACCEPTED:
        return

    # Assigned: a lead unit, sometimes a co-unit; the demo unit takes a large share.
    assigned_on = reviewed_on + timedelta(days=rng.randint(3, 20))
    if rng.random() < 0.15:
        lead_unit = world.demo_unit
    else:
        lead_unit = world.units[unit_names[0] if rng.random() < 0.6 else rng.choice(unit_names)]
    units = [(lead_unit, AssignmentRole.LEAD)]
    if rng.random() < 0.35:
        co_choices = [world.units[n] for n in unit_names if world.units[n] != lead_unit]
        if lead_unit != world.demo_unit and rng.random() < 0.3:
            co_choices = [world.demo_unit]
        if co_choices:
            units.append((rng.choice(co_choices), AssignmentRole.CO))
    reply_due, reply_flag = _deadline(world, assigned_on, months=rules.reply_months_for(is_hard=is_hard))
    objection_due, objection_flag = _deadline(world, assigned_on, working_days=rules.objection_working_days)
    assignments = []
    for unit, role in units:
        co_due, co_flag = (None, False)
        if role == AssignmentRole.CO:
            co_due, co_flag = _deadline(world, assigned_on, months=rules.co_input_months)
        assignments.append(
            Assignment(
                unit=unit,
                role=role,
                status=AssignmentStatus.ASSIGNED,
                assigned_on=assigned_on,
                assigned_by=staff,
                reply_due=reply_due,
                objection_deadline=objection_due,
                co_input_due=co_due,
                needs_calendar=reply_flag or objection_flag or co_flag,
            )
        )
    plan["assignments"] = assignments
    lead, cos = assignments[0], assignments[1:]
    assigned_at = _at(assigned_on, rng)
    event(
        E.ASSIGNED,
        assigned_at,
        from_status=S.ACCEPTED,
        to_status=S.ASSIGNED,
        payload_fn=lambda: {
            "on": assigned_on.isoformat(),
            "units": [
                {
                    "assignment": a.pk,
                    "unit": a.unit.name,
                    "role": a.role,
                    "reply_due": a.reply_due.isoformat() if a.reply_due else None,
                }
                for a in assignments
            ],
            "merge_group": None,
            "needs_calendar": any(a.needs_calendar for a in assignments),
        },
    )
    if status == S.ASSIGNED:
        return

    # Handling: the units acknowledge, the co-units give their input, the lead contacts the deputy.
    def unit_actor(assignment):
        return world.unit_user if assignment.unit_id == world.demo_unit.pk else staff

    ack_on = assigned_on + timedelta(days=rng.randint(1, 5))
    for a in assignments:
        a.status = AssignmentStatus.ACKNOWLEDGED
        a.acknowledged_at = _at(ack_on, rng)
        event(
            E.ACKNOWLEDGED,
            a.acknowledged_at,
            actor=unit_actor(a),
            from_status=S.ASSIGNED,
            to_status=S.HANDLING,
            assignment=a,
            payload={"unit": a.unit.name},
        )
    contact_on = ack_on + timedelta(days=rng.randint(3, 20))
    plan["contacts"].append(
        Contact(
            assignment=lead,
            deputy_id=lead_id,
            contacted_on=contact_on,
            stage=ContactStage.BEFORE,
            method=rng.choice(ContactMethod.values),
            note="听取代表意见，介绍办理思路。",
            recorded_by=unit_actor(lead),
        )
    )
    event(
        E.CONTACT_LOGGED,
        _at(contact_on, rng),
        actor=unit_actor(lead),
        from_status=S.HANDLING,
        assignment=lead,
        payload={"unit": lead.unit.name, "stage": ContactStage.BEFORE},
    )
    input_on = ack_on + timedelta(days=rng.randint(5, 25))
    for a in cos:
        if status == S.HANDLING and rng.random() < 0.5:
            continue
        a.status = AssignmentStatus.INPUT_SUBMITTED
        a.input_text = "我单位将积极配合主办单位做好相关工作。"
        a.input_submitted_at = _at(input_on, rng)
        event(
            E.INPUT_SUBMITTED,
            a.input_submitted_at,
            actor=unit_actor(a),
            from_status=S.HANDLING,
            assignment=a,
            payload={"unit": a.unit.name},
        )
    if status == S.HANDLING:
        return

    # The reply: drafted, submitted, second review, released.
    result_class = rng.choices(("A", "B", "C", "D"), weights=(45, 35, 15, 5))[0]
    reply_on = min(
        input_on + timedelta(days=rng.randint(10, 60)), (reply_due or input_on) - timedelta(days=1)
    )
    reply_on = max(reply_on, contact_on + timedelta(days=1))
    reply = Reply(
        assignment=lead,
        kind=ReplyKind.ANSWER,
        body=REPLY_TEXTS[result_class],
        result_class=result_class,
        signed_by=_name(rng),
        status=ReplyStatus.SUBMITTED,
        drafted_by=unit_actor(lead),
        submitted_at=_at(reply_on, rng),
    )
    plan["replies"].append(reply)
    deputies = [lead_id, *confirmed_ids]
    recipients = [ReplyRecipient(reply=reply, mandate_id=m, is_lead=m == lead_id) for m in deputies]
    plan["recipients"] += recipients
    lead.status = AssignmentStatus.REPLY_SUBMITTED
    event(
        E.REPLY_SUBMITTED,
        reply.submitted_at,
        actor=unit_actor(lead),
        from_status=S.HANDLING,
        to_status=S.REPLY_SUBMITTED,
        assignment=lead,
        payload_fn=lambda: {"unit": lead.unit.name, "reply": reply.pk, "result_class": result_class},
    )
    if result_class == "B":
        plan["commitments"].append(
            Commitment(
                assignment=lead,
                unit=lead.unit,
                text=f"年内完成{place}{topic}相关工作。",
                due_date=reply_on + timedelta(days=rng.randint(60, 240)),
                recorded_by=unit_actor(lead),
            )
        )
        event(
            E.COMMITMENT_RECORDED,
            reply.submitted_at - timedelta(hours=1),
            actor=unit_actor(lead),
            from_status=S.HANDLING,
            assignment=lead,
            payload={"unit": lead.unit.name},
        )
    if status == S.REPLY_SUBMITTED:
        return
    released_on = reply_on + timedelta(days=rng.randint(2, 10))
    reply.status = ReplyStatus.RELEASED
    reply.reviewed_by, reply.reviewed_at = staff, _at(released_on, rng)
    reply.released_at = reply.reviewed_at
    evaluation_due, evaluation_flag = _deadline(
        world, released_on, working_days=rules.evaluation_working_days
    )
    for recipient in recipients:
        recipient.evaluation_due, recipient.needs_calendar = evaluation_due, evaluation_flag
    lead.status = AssignmentStatus.REPLIED
    suggestion.follow_up_required = rules.needs_follow_up(result_class)
    event(
        E.REPLY_RELEASED,
        reply.released_at,
        from_status=S.REPLY_SUBMITTED,
        to_status=S.REPLIED,
        assignment=lead,
        payload_fn=lambda: {
            "unit": lead.unit.name,
            "reply": reply.pk,
            "result_class": result_class,
            "evaluation_due": evaluation_due.isoformat() if evaluation_due else None,
        },
    )

    def evaluate(recipient, satisfaction, on):
        at = _at(on, rng)
        user = next((u for m, u in world.mandates if m == recipient.mandate_id), None)
        plan["evaluations"].append(
            Evaluation(
                recipient=recipient,
                satisfaction=satisfaction,
                process_rating=satisfaction,
                result_rating=satisfaction,
                evaluated_at=at,
                evaluated_by_id=user or staff.pk,
            )
        )
        event(
            E.REPLY_EVALUATED,
            at,
            actor=None,
            from_status=suggestion_status_now[0],
            assignment=lead,
            payload_fn=lambda: {
                "unit": lead.unit.name,
                "reply": recipient.reply.pk,
                "satisfaction": satisfaction,
                "process_rating": satisfaction,
                "result_rating": satisfaction,
            },
        )
        return at

    suggestion_status_now = [S.REPLIED]
    evaluated_on = released_on + timedelta(days=rng.randint(3, 15))
    if status == S.REPLIED:
        # Some deputies have rated already, the others are within their window.
        for recipient in recipients[1:]:
            if rng.random() < 0.5:
                evaluate(recipient, _satisfaction(rng), evaluated_on)
        return
    if status == S.REHANDLING:
        rated_at = evaluate(recipients[0], Satisfaction.DISSATISFIED, evaluated_on)
        lead.status = AssignmentStatus.REHANDLING
        lead.dissatisfied_count = 1
        lead.rehandling_due, _flag = _deadline(world, evaluated_on, months=rules.rehandling_months)
        event(
            E.REHANDLING,
            rated_at,
            from_status=S.REPLIED,
            to_status=S.REHANDLING,
            assignment=lead,
            payload={"unit": lead.unit.name},
        )
        return
    # Closed: every deputy satisfied or basically satisfied.
    for recipient in recipients:
        evaluate(recipient, _satisfaction(rng), evaluated_on)
    closed_at = _at(evaluated_on + timedelta(days=rng.randint(3, 20)), rng)
    suggestion.closed_at = closed_at
    event(
        E.CLOSED,
        closed_at,
        from_status=S.REPLIED,
        to_status=S.CLOSED,
        payload={
            "follow_up_required": suggestion.follow_up_required,
            "open_commitments": len(plan["commitments"]),
        },
    )
