"""Background jobs of the registry: Celery tasks in production, called in-process otherwise."""

from celery import shared_task

from . import services


@shared_task(name="lvzhi.deputies.tasks.resume_ended_suspensions")
def resume_ended_suspensions() -> int:
    return services.resume_ended_suspensions()
