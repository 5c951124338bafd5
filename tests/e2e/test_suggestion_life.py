"""The whole life of one joint suggestion, in a real browser (headless Chromium), on the demo data.

Acceptance item of issue 3: demo-deputy submits with two co-signers who confirm → demo-staff accepts
and assigns it to a lead unit and a co-unit → demo-unit acknowledges, logs a contact, records a
promise, replies with class B → staff release the reply → the deputy rates 不满意 → re-handling →
second reply → 满意 → promise kept → closed; every step visible in the history.

Every step is taken by the user whose step it is, each in a browser context of its own, through
the pages (labels and roles, not CSS). The co-unit has no step the rules require: co-units send
their input to the lead unit, and neither the reply nor the closing waits for it.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from lvzhi.accounts.choices import Role
from lvzhi.accounts.models import User
from lvzhi.core import calendar
from lvzhi.deputies.choices import MandateStatus
from lvzhi.deputies.models import Mandate
from lvzhi.suggestions.choices import CommitmentStatus, SuggestionStatus
from lvzhi.suggestions.models import Suggestion
from lvzhi.suggestions.rules import rules_for

from .conftest import login

PASSWORD = "lvzhi-demo-2025"
CITY_CONGRESS = "福州市人民代表大会"
LEAD_UNIT = "福州市城乡建设局"  # demo-unit's
CO_UNIT = "福州市住房保障和房产管理局"
TITLE = "关于加快老旧小区加装电梯的建议"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def mandate_label(mandate) -> str:
    """How the pages name a deputy in a select: name and electoral unit."""
    return f"{mandate.person.name}（{mandate.electoral_unit.name}）"


def pick_cosigners(lead, count=2):
    """Two other city deputies of the same term, without an account yet and only a city mandate,
    whose name and unit no other deputy shares (so that the select's label names one option)."""
    candidates = (
        Mandate.objects.filter(term=lead.term, status=MandateStatus.ACTIVE, person__user__isnull=True)
        .exclude(person=lead.person)
        .select_related("person", "electoral_unit")
        .order_by("person__name_pinyin", "id")
    )
    labels = [
        mandate_label(m)
        for m in Mandate.objects.filter(term=lead.term).select_related("person", "electoral_unit")
    ]
    chosen = []
    for mandate in candidates:
        if labels.count(mandate_label(mandate)) == 1 and mandate.person.mandates.count() == 1:
            chosen.append(mandate)
        if len(chosen) == count:
            return chosen
    raise AssertionError("the demo data has no two suitable co-signers")


def expected_due(start, **period) -> str:
    """A due date as the pages show it, or the calendar's flag when holidays are not entered yet."""
    result = calendar.deadline(start, **period)
    return result.due.isoformat() if result.due else "待补录工作日历"


def panel(page, unit_name):
    """The card of one unit's assignment on the detail page."""
    return page.locator("[data-testid^=assignment-]").filter(has=page.get_by_role("heading", name=unit_name))


def succeeds(page, button, message):
    """Click ``button`` and wait for the page that comes back with the success ``message``."""
    button.click()
    expect(page.get_by_role("alert").filter(has_text=message)).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_the_whole_life_of_a_joint_suggestion(new_page):
    # Transactional tests flush the working-day calendar seeded by migration: deadlines need it.
    calendar.calendar_seed_from_package()
    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()
    deputy_user = User.objects.get(username="demo-deputy")
    lead = Mandate.objects.select_related("person", "electoral_unit", "term").get(
        person__user=deputy_user, congress__name=CITY_CONGRESS, status=MandateStatus.ACTIVE
    )
    cosigners = pick_cosigners(lead)
    for index, mandate in enumerate(cosigners, start=1):
        user = User.objects.create_user(
            f"t-cosigner-{index}", password=PASSWORD, role=Role.DEPUTY, display_name=mandate.person.name
        )
        mandate.person.user = user
        mandate.person.save(update_fields=["user"])
    names = {
        username: str(User.objects.get(username=username))
        for username in ("demo-deputy", "demo-staff", "demo-unit", "t-cosigner-1", "t-cosigner-2")
    }
    commitment_due = today + timedelta(days=30)
    rules = rules_for(lead.congress_id)
    class_a, class_b = rules.result_class_label("A"), rules.result_class_label("B")
    assert rules.second_review_enabled and rules.separate_ratings_enabled and rules.needs_follow_up("B")

    def page_of(username):
        page = new_page()
        login(page, username, PASSWORD)
        return page

    deputy, first, second, staff, unit = (
        page_of(username)
        for username in ("demo-deputy", "t-cosigner-1", "t-cosigner-2", "demo-staff", "demo-unit")
    )

    # 1. demo-deputy drafts and submits it with its city mandate, inviting two co-signers.
    deputy.get_by_role("navigation").get_by_role("link", name="代表建议").click()
    deputy.get_by_role("link", name="提出建议").click()
    expect(deputy.get_by_label("领衔代表").locator("option")).to_have_count(2)  # city and provincial
    deputy.get_by_label("领衔代表").select_option(label=mandate_label(lead))
    deputy.get_by_label("标题").fill(TITLE)
    deputy.get_by_label("内容").fill("老旧小区居民上下楼难，建议简化加装电梯审批流程、加大财政补助力度。")
    deputy.get_by_label("联名代表").select_option(label=[mandate_label(m) for m in cosigners])
    deputy.get_by_role("button", name="提交建议").click()
    expect(deputy.get_by_role("alert").filter(has_text="待联名代表全部确认后送代表工委审查")).to_be_visible()
    expect(deputy.get_by_test_id("suggestion-status")).to_have_text("待联名代表确认")
    signers = deputy.get_by_role("table", name="联名代表")
    expect(signers.locator("tbody tr")).to_have_count(2)
    expect(signers.locator("tbody tr").filter(has_text="待确认")).to_have_count(2)
    url = deputy.url
    assert url.rstrip("/").split("/")[-1].isdigit()

    # 2. Each co-signer finds it in its list and confirms; the last confirmation submits it.
    for page in (first, second):
        page.get_by_role("navigation").get_by_role("link", name="代表建议").click()
        page.get_by_role("link", name=TITLE).click()
        expect(page.get_by_test_id("action-respond")).to_contain_text(
            f"{lead.person.name}代表邀请您联名提出此建议"
        )
        succeeds(page, page.get_by_role("button", name="确认联名", exact=True), "您已确认联名。")
    expect(second.get_by_test_id("suggestion-status")).to_have_text("已提交待审查")
    expect(
        second.get_by_role("table", name="联名代表").locator("tbody tr").filter(has_text="已确认")
    ).to_have_count(2)
    deputy.reload()
    expect(deputy.get_by_test_id("suggestion-status")).to_have_text("已提交待审查")

    # 3. demo-staff accepts it (a field of work is required), then assigns a lead unit and a co-unit.
    staff.goto(url)
    expect(staff.get_by_test_id("suggestion-status")).to_have_text("已提交待审查")
    staff.get_by_label("所属领域").select_option(label="城乡建设")
    succeeds(
        staff,
        staff.get_by_role("button", name="受理", exact=True),
        f"已受理，建议号：〔{today.year}〕第2001号。",
    )
    expect(staff.get_by_test_id("suggestion-status")).to_have_text("已立案待交办")
    expect(staff.get_by_test_id("number")).to_have_text(f"〔{today.year}〕第2001号")
    staff.get_by_label("主办单位").select_option(label=LEAD_UNIT)
    staff.get_by_label("协办单位").select_option(label=[CO_UNIT])
    expect(staff.get_by_label("交办日期")).to_have_value(today.isoformat())
    succeeds(
        staff,
        staff.get_by_role("button", name="交办", exact=True),
        f"已交办：{LEAD_UNIT}（主办）、{CO_UNIT}（协办）。",
    )
    expect(staff.get_by_test_id("suggestion-status")).to_have_text("已交办")
    lead_panel, co_panel = panel(staff, LEAD_UNIT), panel(staff, CO_UNIT)
    expect(lead_panel).to_contain_text("主办")
    expect(lead_panel.get_by_test_id("due")).to_have_text(expected_due(today, months=3))
    expect(co_panel).to_contain_text("协办")
    expect(co_panel.get_by_test_id("assignment-status")).to_have_text("待签收")

    # 4. demo-unit finds it in its work list, acknowledges, logs a contact, records a promise.
    unit.get_by_role("navigation").get_by_role("link", name="办理工作").click()
    unit.get_by_role("link", name=TITLE).click()
    expect(unit.get_by_test_id("action-acknowledge")).to_contain_text(
        f"如对交办有异议，请在{expected_due(today, working_days=7)}前提出。"
    )
    succeeds(unit, unit.get_by_role("button", name="签收", exact=True), "已签收。")
    expect(unit.get_by_test_id("suggestion-status")).to_have_text("办理中")
    expect(unit.get_by_label("沟通代表")).to_have_value(str(lead.pk))
    unit.get_by_label("沟通环节").select_option(label="办前")
    unit.get_by_label("沟通方式").select_option(label="走访")
    unit.get_by_label("沟通情况").fill("上门听取代表和居民对加装电梯的意见")
    succeeds(unit, unit.get_by_role("button", name="记录沟通", exact=True), "已记录与代表的沟通。")
    contacts = unit.get_by_role("table", name=f"{LEAD_UNIT}沟通记录")
    expect(contacts.locator("tbody tr")).to_have_count(1)
    expect(contacts.locator("tbody tr")).to_contain_text(lead.person.name)
    unit.get_by_label("承诺内容").fill("年内完成试点小区加装电梯10部")
    unit.get_by_label("承诺兑现期限").fill(commitment_due.isoformat())
    succeeds(unit, unit.get_by_role("button", name="记录承诺事项", exact=True), "已记录承诺事项。")
    commitments = unit.get_by_role("table", name=f"{LEAD_UNIT}承诺事项")
    expect(commitments.locator("tbody tr")).to_contain_text("未兑现")

    # 5. It replies with class B: saved first, checked, then submitted for the second review.
    unit.get_by_label("答复内容").fill("已将试点小区加装电梯列入今年计划，正在逐步推进。")
    unit.get_by_label("办理结果分类").select_option("B")
    unit.get_by_label("签发人").fill("张建国")
    unit.get_by_label("答复函（盖章PDF）").set_input_files(
        files=[{"name": "答复函.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    succeeds(unit, unit.get_by_role("button", name="保存答复", exact=True), "答复已保存，请核对后提交。")
    expect(unit.get_by_test_id("action-submit_reply")).to_contain_text(f"办理结果：B {class_b}")
    expect(unit.get_by_test_id("action-submit_reply")).to_contain_text("答复函：已上传")
    succeeds(unit, unit.get_by_role("button", name="提交答复", exact=True), "答复已提交，等待代表工委审核。")
    expect(unit.get_by_test_id("suggestion-status")).to_have_text("答复待审核")

    # 6. Staff release it: the deputies get it with a 20-working-day evaluation window.
    staff.reload()
    expect(staff.get_by_test_id("suggestion-status")).to_have_text("答复待审核")
    expect(staff.get_by_test_id("action-release_reply")).to_contain_text(f"办理结果：B {class_b}")
    # The second review's checks find nothing: the contact is logged, the letter uploaded.
    expect(staff.get_by_test_id("action-release_reply")).not_to_contain_text("承办单位未记录与代表的沟通")
    expect(staff.get_by_test_id("action-release_reply")).not_to_contain_text("未上传加盖公章的答复函")
    succeeds(staff, staff.get_by_role("button", name="发布答复", exact=True), "答复已发布，代表可以评价。")
    expect(staff.get_by_test_id("suggestion-status")).to_have_text("已答复")
    expect(staff.get_by_text("需跟踪答复", exact=True)).to_be_visible()  # a B answer is followed up

    # 7. The deputy rates it 不满意 (a reason is required): the unit must handle it again.
    evaluation_due = expected_due(today, working_days=20)
    deputy.reload()
    expect(deputy.get_by_test_id("suggestion-status")).to_have_text("已答复")
    expect(deputy.get_by_test_id("result-class")).to_have_text(f"办理结果：B（{class_b}）")
    if not evaluation_due.startswith("待"):
        expect(deputy.get_by_test_id("action-evaluate")).to_contain_text(f"评价截止：{evaluation_due}。")
    deputy.get_by_label("总体评价").select_option(label="不满意")
    deputy.get_by_label("办理过程评价").select_option(label="基本满意")
    deputy.get_by_label("办理结果评价").select_option(label="不满意")
    deputy.get_by_role("button", name="提交评价", exact=True).click()
    expect(deputy.get_by_text("评价为不满意时，请说明不满意的原因，以便承办单位重新办理。")).to_be_visible()
    deputy.get_by_label("评价意见").fill("进度太慢，试点小区至今未动工")
    succeeds(
        deputy,
        deputy.get_by_role("button", name="提交评价", exact=True),
        "评价已提交。您对答复不满意，承办单位将重新办理。",
    )
    expect(deputy.get_by_test_id("suggestion-status")).to_have_text("重新办理")
    expect(deputy.get_by_test_id("satisfaction")).to_have_text("不满意")

    # 8. The unit handles it again and sends a second reply (the signer carried over).
    unit.reload()
    expect(unit.get_by_test_id("suggestion-status")).to_have_text("重新办理")
    rehandling_due = expected_due(today, months=1)
    expect(unit.get_by_test_id("action-draft_reply")).to_contain_text(
        f"代表对答复不满意，请重新办理并在{rehandling_due}前再次答复。"
    )
    expect(panel(unit, LEAD_UNIT).get_by_test_id("due")).to_have_text(rehandling_due)
    unit.get_by_label("答复内容").fill("已完成首批试点小区加装电梯并投入使用，其余小区按计划推进。")
    unit.get_by_label("办理结果分类").select_option("A")
    expect(unit.get_by_label("签发人")).to_have_value("张建国")
    unit.get_by_label("答复函（盖章PDF）").set_input_files(
        files=[{"name": "重新办理答复函.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    succeeds(unit, unit.get_by_role("button", name="保存答复", exact=True), "答复已保存，请核对后提交。")
    succeeds(unit, unit.get_by_role("button", name="提交答复", exact=True), "答复已提交，等待代表工委审核。")
    expect(unit.get_by_test_id("suggestion-status")).to_have_text("答复待审核")
    staff.reload()
    succeeds(staff, staff.get_by_role("button", name="发布答复", exact=True), "答复已发布，代表可以评价。")
    expect(staff.get_by_test_id("suggestion-status")).to_have_text("已答复")
    expect(staff.get_by_role("heading", name="重新办理答复")).to_be_visible()

    # 9. The deputy and both co-signers rate the second reply 满意 (closing waits for all three).
    for page in (deputy, first, second):
        page.reload()
        expect(page.get_by_test_id("action-evaluate")).to_contain_text(f"办理结果：A {class_a}")
        for label in ("总体评价", "办理过程评价", "办理结果评价"):
            page.get_by_label(label).select_option(label="满意")
        succeeds(page, page.get_by_role("button", name="提交评价", exact=True), "评价已提交，感谢您的评价。")
        expect(page.get_by_test_id("action-evaluate")).to_have_count(0)
    expect(second.get_by_test_id("suggestion-status")).to_have_text("已答复")

    # 10. The unit reports the promise kept.
    unit.reload()
    expect(unit.get_by_label("承诺事项", exact=True)).to_contain_text("年内完成试点小区加装电梯10部")
    unit.get_by_label("兑现情况").fill("已完成10部电梯加装并投入使用")
    succeeds(unit, unit.get_by_role("button", name="承诺已兑现", exact=True), "承诺事项已兑现。")
    expect(unit.get_by_role("table", name=f"{LEAD_UNIT}承诺事项").locator("tbody tr")).to_contain_text(
        "已兑现"
    )

    # 11. Staff close it (the page asks first; the fixture accepts).
    staff.reload()
    succeeds(staff, staff.get_by_role("button", name="办结", exact=True), "建议已办结。")
    expect(staff.get_by_test_id("suggestion-status")).to_have_text("已办结")

    # The history, as the deputy sees it: every step, in order, by whom, with its status change.
    deputy.reload()
    expect(deputy.get_by_test_id("suggestion-status")).to_have_text("已办结")
    lead_name, first_name, second_name = lead.person.name, cosigners[0].person.name, cosigners[1].person.name
    expected = [
        # (事项, 单位, 操作人, 状态变化, 说明 contains)
        ("起草建议", "—", names["demo-deputy"], "草稿", ""),
        ("邀请联名代表", "—", names["demo-deputy"], "草稿", f"邀请：{first_name}、{second_name}"),
        ("等待联名代表确认", "—", names["demo-deputy"], "草稿 → 待联名代表确认", ""),
        ("联名代表确认", "—", names["t-cosigner-1"], "待联名代表确认", first_name),
        ("联名代表确认", "—", names["t-cosigner-2"], "待联名代表确认", second_name),
        (
            "提交建议",
            "—",
            names["t-cosigner-2"],
            "待联名代表确认 → 已提交待审查",
            "联名代表均已答复，建议自动提交。",
        ),
        (
            "审查立案",
            "—",
            names["demo-staff"],
            "已提交待审查 → 已立案待交办",
            f"建议号：〔{today.year}〕第2001号；所属领域：城乡建设",
        ),
        ("交办", "—", names["demo-staff"], "已立案待交办 → 已交办", f"{LEAD_UNIT}（主办）"),
        ("签收", LEAD_UNIT, names["demo-unit"], "已交办 → 办理中", ""),
        (
            "记录沟通",
            LEAD_UNIT,
            names["demo-unit"],
            "办理中",
            f"{today.isoformat()} · 办前 · 走访 · {lead_name}",
        ),
        ("记录承诺事项", LEAD_UNIT, names["demo-unit"], "办理中", f"兑现期限 {commitment_due.isoformat()}"),
        # A reply's content is the unit's and the office's until released (docs/visibility.md): the
        # deputy follows the step, and reads the result class when the reply goes out.
        ("提交答复", LEAD_UNIT, names["demo-unit"], "办理中 → 答复待审核", ""),
        ("答复发出", LEAD_UNIT, names["demo-staff"], "答复待审核 → 已答复", "办理结果：B"),
        ("代表评价", LEAD_UNIT, names["demo-deputy"], "已答复", "不满意（过程：基本满意；结果：不满意）"),
        ("不满意，重新办理", LEAD_UNIT, names["demo-deputy"], "已答复 → 重新办理", "进度太慢"),
        ("提交答复", LEAD_UNIT, names["demo-unit"], "重新办理 → 答复待审核", ""),
        ("答复发出", LEAD_UNIT, names["demo-staff"], "答复待审核 → 已答复", "办理结果：A"),
        ("代表评价", LEAD_UNIT, names["demo-deputy"], "已答复", "满意（过程：满意；结果：满意）"),
        ("代表评价", LEAD_UNIT, names["t-cosigner-1"], "已答复", "满意（过程：满意；结果：满意）"),
        ("代表评价", LEAD_UNIT, names["t-cosigner-2"], "已答复", "满意（过程：满意；结果：满意）"),
        ("承诺事项兑现", LEAD_UNIT, names["demo-unit"], "已答复", ""),
        ("办结", "—", names["demo-staff"], "已答复 → 已办结", ""),
    ]
    rows = deputy.get_by_role("table", name="办理记录").locator("tbody tr")
    expect(rows).to_have_count(len(expected))
    shown = [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in rows.all()]
    assert [row[1] for row in shown] == [item[0] for item in expected]
    for row, (what, unit_name, actor, change, note) in zip(shown, expected, strict=True):
        assert row[1:5] == [what, unit_name, actor, change], row
        assert (note in row[5]) if note else row[5] == "", row
    assert f"评价截止 {evaluation_due}" in shown[12][5] or evaluation_due.startswith("待")
    assert f"重新办理期限 {rehandling_due}" in shown[14][5]

    # And in the database: closed, the promise kept, both replies rated as shown.
    suggestion = Suggestion.objects.get(title=TITLE)
    assert suggestion.status == SuggestionStatus.CLOSED
    assert suggestion.closed_at is not None
    assert suggestion.follow_up_required is False  # the second reply (A) needs no follow-up
    commitment = suggestion.commitments.get()
    assert commitment.status == CommitmentStatus.KEPT
    assert commitment.kept_at is not None
    assert commitment.evidence == "已完成10部电梯加装并投入使用"
    assignments = {a.unit.name: a for a in suggestion.assignments.select_related("unit")}
    assert set(assignments) == {LEAD_UNIT, CO_UNIT}
    assert assignments[LEAD_UNIT].role == "lead" and assignments[CO_UNIT].role == "co"
    assert assignments[LEAD_UNIT].status == "replied" and assignments[LEAD_UNIT].dissatisfied_count == 1
    ratings = [
        (
            reply.kind,
            reply.result_class,
            sorted(r.evaluation.satisfaction for r in reply.recipients.all() if hasattr(r, "evaluation")),
        )
        for reply in assignments[LEAD_UNIT].replies.order_by("id")
    ]
    assert ratings == [
        ("answer", "B", ["dissatisfied"]),
        ("rehandling", "A", ["satisfied", "satisfied", "satisfied"]),
    ]
