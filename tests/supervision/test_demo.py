"""The demo's supervision data: key items led by ``demo-leader`` with activities and a supervision
month, through the services; idempotent."""

from datetime import date

from lvzhi.accounts.choices import Role
from lvzhi.demo.supervision import seed_supervision_demo
from lvzhi.supervision.choices import SupervisionKind
from lvzhi.supervision.models import SupervisionActivity, SupervisionCampaign, SupervisionItem

from ..factories import CommitteeFactory, UserFactory
from .conftest import assigned_suggestion


def test_the_demo_makes_key_items_activities_and_a_campaign(congress, own_mandate, urban_field, lead_unit):
    leader = UserFactory(username="demo-leader", role=Role.LEADER)
    UserFactory(username="demo-staff", role=Role.DEPUTY_AFFAIRS_STAFF)
    committee = CommitteeFactory(congress=congress, name="城建环资工作委员会")
    member = UserFactory(username="demo-committee", role=Role.COMMITTEE_STAFF, committee=committee)
    suggestions = [
        assigned_suggestion(own_mandate, unit=lead_unit, field=urban_field, title=f"关于第{n}项的建议")
        for n in range(4)
    ]

    created = seed_supervision_demo(suggestions=suggestions, today=date(2025, 3, 5))

    assert created == {"重点督办事项": 3, "督办活动": 9, "督办月活动": 1, "督办月建议": 4}
    items = SupervisionItem.objects.order_by("id")
    assert [(i.kind, i.year, i.leader, i.committee) for i in items] == [
        (SupervisionKind.KEY, 2025, leader, committee)
    ] * 3
    assert all(list(item.team_members.all()) == [member] for item in items)
    assert max(SupervisionActivity.objects.values_list("happened_on", flat=True)) <= date(2025, 3, 5)
    campaign = SupervisionCampaign.objects.get()
    assert (campaign.name, campaign.entries.count()) == ("2025年代表建议督办月", 4)

    # Idempotent: nothing new the second time.
    assert seed_supervision_demo(today=date(2025, 3, 5)) == {}
    assert SupervisionItem.objects.count() == 3


def test_without_the_demo_accounts_nothing_happens(own_mandate, urban_field, lead_unit):
    assigned_suggestion(own_mandate, unit=lead_unit, field=urban_field)
    assert seed_supervision_demo() == {}
    assert SupervisionItem.objects.count() == 0
