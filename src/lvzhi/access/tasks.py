"""Background jobs of account management: Celery tasks in production, called in-process otherwise."""

from celery import shared_task

from . import sheets


@shared_task(name="lvzhi.access.tasks.activation_sheet_build")
def activation_sheet_build(sheet_id: int) -> str:
    """Issue the links of one electoral unit's waiting deputy accounts and write the sheet."""
    return sheets.activation_sheet_build(sheet_id=sheet_id).status
