"""Background jobs of the registry: Celery tasks in production, called in-process otherwise."""

from celery import shared_task

from . import importer, services


@shared_task(name="lvzhi.deputies.tasks.resume_ended_suspensions")
def resume_ended_suspensions() -> int:
    return services.resume_ended_suspensions()


@shared_task(name="lvzhi.deputies.tasks.roster_import_validate")
def roster_import_validate(import_id: int) -> str:
    """Check an uploaded roster (queued by ``importer.roster_import_create``); returns the new status."""
    return importer.roster_import_validate(import_id=import_id).status


@shared_task(name="lvzhi.deputies.tasks.roster_import_apply")
def roster_import_apply(import_id: int) -> str:
    """Apply a confirmed roster (queued by ``importer.roster_import_apply``); returns the new status."""
    return importer.roster_import_run_apply(import_id=import_id).status
