"""Background jobs of supervision: Celery tasks in production, called in-process otherwise."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="lvzhi.supervision.tasks.carry_over_key_items")
def carry_over_key_items(year: int | None = None) -> int:
    """DOMAIN §5.8: on 1 January the unfinished key items of the year just ended carry over to the
    new one (``services.supervision_carry_over``; idempotent). Returns how many carried over."""
    year = year if year is not None else timezone.localdate().year - 1
    return len(services.supervision_carry_over(year=year))
