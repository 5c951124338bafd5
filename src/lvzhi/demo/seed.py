"""``seed_demo``: the demo data's structure, accounts and deputies, in one transaction."""

from __future__ import annotations

from django.db import transaction

from lvzhi.deputies.models import Mandate

from .accounts import seed_accounts, seed_cosigner_accounts
from .deputies import seed_deputies
from .motions import seed_motions
from .plan import build_plan
from .report import SeedReport
from .structure import seed_structure


@transaction.atomic
def seed_demo() -> SeedReport:
    """Load the demo data; idempotent: what exists is kept as it is and nothing is duplicated.

    Structure and accounts are matched by name; the deputies are seated only while neither demo
    term has a mandate. Callers must check ``settings.LVZHI_ALLOW_DEMO`` (the command does).
    """
    report = SeedReport()
    plan = build_plan()
    structure = seed_structure(report)
    users = seed_accounts(report, structure, plan)
    if Mandate.objects.filter(term__in=[structure.city_term, structure.provincial_term]).exists():
        if report.changed:  # only part of the demo data was there: say what was left alone
            report.notes.append("代表名册已有数据，未载入演示代表。")
    else:
        seed_deputies(report, structure, plan, actor=users["demo-staff"])
    seed_cosigner_accounts(report, structure)
    seed_motions(report, structure)
    return report
