"""The demo data: refused in production, idempotent, realistic, and consistent with the registry's rules.

The data is seeded once for the module (``seeded``) inside a transaction that is rolled back at
the end; each test runs in its own savepoint on top of it.
"""

import io
import runpy
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from lvzhi.accounts.choices import Role
from lvzhi.accounts.models import User
from lvzhi.demo import accounts, people, plan, structure
from lvzhi.deputies import workflow
from lvzhi.deputies.choices import Composition, Gender, MandateEventType, MandateStatus, Party
from lvzhi.deputies.models import Mandate, Person
from lvzhi.organizations.choices import CongressLevel, DeputyGroupKind, HandlingUnitKind
from lvzhi.organizations.models import Committee, Congress, DeputyGroup, ElectoralUnit, HandlingUnit

pytestmark = pytest.mark.django_db

CITY_UNITS = [
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
    "平潭综合实验区",
]


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def seed(**options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo data, loaded once for this module and rolled back after it. Returns the output."""
    with django_db_blocker.unblock(), transaction.atomic():
        output, _ = seed()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def city_mandates(seeded):
    return list(Mandate.objects.filter(congress__name=structure.CITY_CONGRESS).select_related("person"))


# Refusal first: it must hold on an empty database as well as on a seeded one.
def test_seed_demo_is_refused_when_demo_is_not_allowed(settings):
    settings.LVZHI_ALLOW_DEMO = False
    before = row_counts()

    with pytest.raises(CommandError, match="LVZHI_ALLOW_DEMO"):
        seed()

    assert row_counts() == before


def test_production_settings_never_allow_demo_and_bench_settings_do(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("LVZHI_SECURE_SSL_REDIRECT", "false")  # bench.py sets these: keep them undone
    monkeypatch.setenv("LVZHI_REQUIRE_SERVICES", "false")
    monkeypatch.delenv("DATABASE_URL", raising=False)

    assert runpy.run_module("lvzhi.settings.bench")["LVZHI_ALLOW_DEMO"] is True
    monkeypatch.setenv("LVZHI_REQUIRE_SERVICES", "true")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        runpy.run_module("lvzhi.settings.prod")  # production refuses to run on the embedded parts
    monkeypatch.setenv("DATABASE_URL", "postgres://lvzhi@db.example/lvzhi")
    monkeypatch.setenv("REDIS_URL", "redis://redis.example:6379/0")
    assert runpy.run_module("lvzhi.settings.prod")["LVZHI_ALLOW_DEMO"] is False


def test_demo_accounts_prints_no_account_in_production(seeded, settings):
    settings.LVZHI_ALLOW_DEMO = False
    out = io.StringIO()

    call_command("demo_accounts", stdout=out)

    assert out.getvalue().count("\n") == 1
    assert "demo-" not in out.getvalue()
    assert settings.LVZHI_DEMO_PASSWORD not in out.getvalue()


def test_seeding_again_changes_nothing(seeded):
    assert "已载入演示数据" in seeded
    before = row_counts()

    output, _ = seed()

    assert output.strip() == "演示数据已存在，未做任何修改。"
    assert row_counts() == before


def test_congresses_terms_and_sessions(seeded):
    city = Congress.objects.get(name="福州市人民代表大会")
    provincial = Congress.objects.get(name="福建省人民代表大会")
    city_term = city.terms.get()
    provincial_term = provincial.terms.get()

    assert (city.level, provincial.level) == (CongressLevel.CITY, CongressLevel.PROVINCIAL)
    assert (city_term.number, city_term.start_date.year) == (16, 2022)
    assert [(s.number, s.start_date.year, s.start_date.month) for s in city_term.sessions.all()] == [
        (n, 2021 + n, 1) for n in range(1, 6)
    ]
    assert (provincial_term.number, provincial_term.start_date.year) == (14, 2023)
    assert [s.start_date.year for s in provincial_term.sessions.all()] == [2023, 2024, 2025, 2026]
    counties = Congress.objects.filter(level=CongressLevel.COUNTY)
    assert counties.count() == 13
    assert set(counties.values_list("parent", flat=True)) == {city.pk}
    assert counties.filter(name="鼓楼区人民代表大会").exists()


def test_thirteen_electoral_units_by_their_real_names(seeded):
    units = ElectoralUnit.objects.filter(congress__name="福州市人民代表大会").order_by("order")

    assert [unit.name for unit in units] == CITY_UNITS
    assert units.get(name="鼓楼区").delegation_name == "鼓楼团"
    assert units.get(name="平潭综合实验区").delegation_name == "平潭团"
    provincial = ElectoralUnit.objects.get(congress__name="福建省人民代表大会")
    assert provincial.name == "福州市"


def test_fields_groups_and_committees(seeded):
    groups = DeputyGroup.objects.all()
    committees = Committee.objects.filter(congress__name="福州市人民代表大会")

    assert 30 <= groups.count() <= 40
    assert groups.filter(kind=DeputyGroupKind.SECTORAL).count() >= 5
    assert groups.get(name="鼓楼区第一代表小组").electoral_unit.name == "鼓楼区"
    assert {
        "法制委员会",
        "财政经济委员会",
        "监察和司法委员会",
        "代表工作委员会",
        "城建环资工作委员会",
    } <= set(committees.values_list("name", flat=True))
    assert set(committees.get(name="城建环资工作委员会").fields.values_list("name", flat=True)) == {
        "城乡建设",
        "生态环境",
        "交通运输",
    }


def test_handling_units_under_their_real_names_and_kinds(seeded):
    units = HandlingUnit.objects.all()
    government = units.get(name="福州市人民政府")

    assert units.count() >= 50
    assert units.get(name="福州市中级人民法院").kind == HandlingUnitKind.COURT
    assert units.get(name="福州市人民检察院").kind == HandlingUnitKind.PROCURATORATE
    assert units.get(name="福州市监察委员会").kind == HandlingUnitKind.SUPERVISORY_COMMISSION
    assert units.get(name="国网福州供电公司").kind == HandlingUnitKind.OTHER
    departments = units.filter(kind=HandlingUnitKind.GOVERNMENT_DEPARTMENT).exclude(pk=government.pk)
    assert departments.count() >= 35
    assert set(departments.values_list("parent", flat=True)) == {government.pk}
    assert units.get(name="福州市城乡建设局").parent == government


def test_deputy_counts_and_double_mandates(seeded, city_mandates):
    provincial = Mandate.objects.filter(congress__name="福建省人民代表大会")

    assert len(city_mandates) >= 500
    assert 95 <= provincial.count() <= 110
    assert provincial.filter(person__mandates__congress__name="福州市人民代表大会").count() >= 20
    assert all(m.card_number.startswith("16") for m in city_mandates)
    assert all(m.card_number.startswith("14") for m in provincial)


def test_every_mandate_status_is_what_its_events_give(seeded):
    mandates = Mandate.objects.prefetch_related("events")

    for mandate in mandates:
        events = sorted(mandate.events.all(), key=lambda event: (event.date, event.id))
        assert events[0].type in workflow.START_EVENTS
        assert events[0].date == mandate.start_date
        assert workflow.replay([event.type for event in events]) == mandate.status, mandate
        assert mandate.status_since == events[-1].date


def test_a_few_qualification_events_for_realism(seeded):
    mandates = Mandate.objects.all()
    terminated = mandates.filter(status=MandateStatus.TERMINATED)

    assert 3 <= terminated.count() <= 5
    assert all(m.events.get(type__in=workflow.TERMINATING_EVENTS).announcement_text for m in terminated)
    assert mandates.filter(status=MandateStatus.SUSPENDED).count() >= 1
    assert 2 <= mandates.filter(events__type=MandateEventType.SUSPENSION).count() <= 3
    assert 2 <= mandates.filter(events__type=MandateEventType.BY_ELECTION).count() <= 3
    # Art. 61: a suspension whose cause ended was resumed by itself.
    assert mandates.filter(events__type=MandateEventType.RESUMPTION, events__is_automatic=True).count() == 1


def test_city_composition_is_realistic(city_mandates):
    total = len(city_mandates)

    def share(predicate) -> float:
        return sum(1 for mandate in city_mandates if predicate(mandate)) / total

    def composition(*categories) -> float:
        return share(lambda m: m.composition in categories)

    assert 0.50 <= share(lambda m: m.is_grassroots) <= 0.55
    assert 0.18 <= composition(Composition.WORKER, Composition.FARMER) <= 0.22
    assert 0.20 <= composition(Composition.PROFESSIONAL) <= 0.25
    assert 0.28 <= composition(Composition.OFFICIAL) <= 0.33
    assert 0.13 <= composition(Composition.ENTERPRISE) <= 0.17
    assert 1 <= sum(1 for m in city_mandates if m.composition == Composition.MILITARY) <= 6
    assert 0.28 <= share(lambda m: m.person.gender == Gender.FEMALE) <= 0.35
    assert 0.03 <= share(lambda m: m.person.ethnicity != "汉族") <= 0.05
    assert 0.65 <= share(lambda m: m.person.party == Party.CPC) <= 0.70
    assert 0.12 <= share(lambda m: m.person.party not in (Party.CPC, Party.MASSES)) <= 0.18
    assert all(1960 <= m.person.birth_date.year <= 1995 for m in city_mandates)
    largest = {"福清市", "鼓楼区", "仓山区", "晋安区", "长乐区"}
    counts = {name: sum(1 for m in city_mandates if m.electoral_unit.name == name) for name in CITY_UNITS}
    assert set(sorted(counts, key=counts.get, reverse=True)[:5]) == largest


def test_every_mandate_has_one_to_three_fields_and_one_or_two_groups(seeded):
    for mandate in Mandate.objects.prefetch_related("fields", "groups"):
        assert 1 <= len(mandate.fields.all()) <= 3
        assert 1 <= len(mandate.groups.all()) <= 2


def test_id_numbers_pass_the_gb11643_checksum_and_match_the_person(seeded):
    persons = list(Person.objects.all())

    for person in persons:
        assert people.id_number_is_valid(person.id_number), person.id_number
        assert person.id_number.startswith("3501")
        assert person.id_number[6:14] == person.birth_date.strftime("%Y%m%d")
        assert (int(person.id_number[16]) % 2 == 1) == (person.gender == Gender.MALE)
    assert len({person.id_number for person in persons}) == len(persons)


def test_id_check_character_of_the_standard_example():
    # GB 11643-1999's example: 11010519491231002X.
    assert people.id_check_character("11010519491231002") == "X"
    assert not people.id_number_is_valid("110105194912310021")


def test_names_are_generated_and_unique_per_birth_date(seeded):
    persons = list(Person.objects.all())

    assert len({(person.name, person.birth_date) for person in persons}) == len(persons)
    assert not {person.name for person in persons} & people.FAMOUS_NAMES
    assert all(2 <= len(person.name) <= 3 for person in persons)
    assert all(person.name_pinyin and person.name_initials for person in persons)
    assert all(person.email.endswith("@example.com") for person in persons)


def test_persons_and_mandates_have_row_history_with_their_fields_and_groups(seeded):
    assert Person.history.filter(history_type="+").count() == Person.objects.count()
    assert Mandate.history.filter(history_type="+").count() == Mandate.objects.count()
    for mandate in Mandate.objects.prefetch_related("fields", "groups"):
        latest = mandate.history.order_by("-history_date", "-history_id").first()
        assert {row.expertisefield_id for row in latest.fields.all()} == {f.pk for f in mandate.fields.all()}
        assert {row.deputygroup_id for row in latest.groups.all()} == {g.pk for g in mandate.groups.all()}


def test_one_demo_account_per_role_with_its_scope(seeded):
    users = {
        user.username: user
        for user in User.objects.filter(username__startswith="demo-").exclude(
            username__in=accounts.DEMO_COSIGNER_USERNAMES
        )
    }

    assert {username: user.role for username, user in users.items()} == {
        "demo-admin": Role.SYSTEM_ADMIN,
        "demo-staff": Role.DEPUTY_AFFAIRS_STAFF,
        "demo-leader": Role.LEADER,
        "demo-deputy": Role.DEPUTY,
        "demo-unit": Role.HANDLING_UNIT_STAFF,
        "demo-county": Role.COUNTY_STAFF,
        "demo-committee": Role.COMMITTEE_STAFF,
    }
    assert users["demo-admin"].is_staff and users["demo-admin"].is_superuser
    assert not any(user.is_staff for name, user in users.items() if name != "demo-admin")
    assert users["demo-unit"].handling_unit.name == "福州市城乡建设局"
    assert users["demo-county"].electoral_unit.name == "鼓楼区"
    assert users["demo-county"].electoral_unit.congress.name == "福州市人民代表大会"
    assert users["demo-committee"].committee.name == "城建环资工作委员会"
    assert "常委会副主任" in users["demo-leader"].display_name
    assert all(user.display_name for user in users.values())


def test_the_demo_deputy_is_a_gulou_city_deputy_and_a_provincial_deputy(seeded):
    person = Person.objects.get(user__username="demo-deputy")
    mandates = {m.congress.name: m for m in person.mandates.select_related("congress", "electoral_unit")}

    assert set(mandates) == {"福州市人民代表大会", "福建省人民代表大会"}
    assert mandates["福州市人民代表大会"].electoral_unit.name == "鼓楼区"
    assert all(m.status == MandateStatus.ACTIVE for m in mandates.values())


def test_nine_more_gulou_deputies_log_in_for_cosigning(seeded):
    persons = Person.objects.filter(user__username__in=accounts.DEMO_COSIGNER_USERNAMES).prefetch_related(
        "mandates__electoral_unit", "mandates__congress"
    )

    assert len(persons) == 9
    for person in persons:
        city = next(m for m in person.mandates.all() if m.congress.name == "福州市人民代表大会")
        assert (city.electoral_unit.name, city.status) == ("鼓楼区", MandateStatus.ACTIVE)
        assert person.user.role == Role.DEPUTY and person.user.display_name == person.name
    # With demo-deputy that is ten deputies of one electoral unit: a motion's lead and nine co-signers.
    assert Person.objects.get(user__username="demo-deputy").pk not in {person.pk for person in persons}


def test_seeding_twice_keeps_the_cosigner_accounts(seeded):
    before = dict(
        User.objects.filter(username__in=accounts.DEMO_COSIGNER_USERNAMES).values_list("username", "pk")
    )

    seed()

    after = dict(
        User.objects.filter(username__in=accounts.DEMO_COSIGNER_USERNAMES).values_list("username", "pk")
    )
    assert after == before


@pytest.mark.parametrize("username", accounts.DEMO_USERNAMES)
def test_demo_accounts_log_in_with_the_demo_password(seeded, client, settings, username):
    assert client.login(username=username, password=settings.LVZHI_DEMO_PASSWORD)


def test_demo_accounts_prints_the_table(seeded, settings):
    out = io.StringIO()

    call_command("demo_accounts", stdout=out)

    lines = out.getvalue().splitlines()
    for username in accounts.DEMO_USERNAMES:
        line = next(line for line in lines if line.startswith(username + " "))
        assert settings.LVZHI_DEMO_PASSWORD in line
    assert any("城建环资工作委员会" in line and "委员会工作人员" in line for line in lines)


def test_the_plan_is_deterministic():
    first, second = plan.build_plan(), plan.build_plan()

    assert [(m.person.name, m.person.id_number, m.card_number) for m in first.mandates] == [
        (m.person.name, m.person.id_number, m.card_number) for m in second.mandates
    ]
    assert first.account_names == second.account_names
    assert all(event.on <= structure.DEMO_TODAY for event in first.events)
    assert min(m.start_date for m in first.mandates) == date(2022, 1, 5)


def test_demo_suggestions_give_the_demo_deputy_one_at_each_step(seeded):
    """``seed_demo --suggestions N`` (what ``make run`` does on an empty database) generates the
    suggestions and makes ``demo-deputy`` the lead of one per status, its reply recipients and
    contacts following; a second run adds nothing."""
    from lvzhi.demo.suggestions import DEMO_DEPUTY_STATUSES
    from lvzhi.suggestions.models import Contact, ReplyRecipient, Suggestion

    out, _ = seed(suggestions=120)

    assert "已生成演示建议 120 件（其中 demo-deputy 领衔 6 件）" in out
    assert "已生成演示督办数据：重点督办事项 3" in out
    leader = User.objects.get(username="demo-leader")
    assert leader.led_supervision_items.count() == 3
    deputy = User.objects.get(username="demo-deputy")
    led = Suggestion.objects.filter(lead_mandate__person__user=deputy)
    assert sorted(led.values_list("status", flat=True)) == sorted(DEMO_DEPUTY_STATUSES)
    assert not led.filter(signers__mandate__person__user=deputy).exists()
    replied = led.get(status="replied")
    lead_recipients = ReplyRecipient.objects.filter(reply__assignment__suggestion=replied, is_lead=True)
    assert lead_recipients.exists()
    assert set(lead_recipients.values_list("mandate_id", flat=True)) == {replied.lead_mandate_id}
    assert (
        not Contact.objects.filter(assignment__suggestion__in=led)
        .exclude(deputy_id__in=led.values("lead_mandate_id"))
        .exclude(deputy__in=Suggestion.objects.filter(pk__in=led).values("signers__mandate"))
        .exists()
    )

    out, _ = seed(suggestions=120)
    assert "已生成演示建议" not in out
    # The city congress's; the demo's converted motion is a provincial suggestion.
    assert Suggestion.objects.filter(congress__name="福州市人民代表大会").count() == 120
    assert led.count() == len(DEMO_DEPUTY_STATUSES)
