"""What a demo seeding created, by kind, and the lookup-or-create every part of it uses."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class SeedReport:
    """What ``seed_demo`` created, by kind (Chinese labels), and why it skipped what it skipped."""

    created: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


def get_or_create(report: SeedReport, label: str, model, defaults: dict | None = None, **lookup):
    obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
    if created:
        report.created[label] += 1
    return obj, created
