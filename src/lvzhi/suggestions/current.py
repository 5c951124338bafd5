"""Which of an assignment's replies is current, in one place for the services, the workflow's
guards, the forms and the pages (an assignment keeps every reply it ever wrote):

- ``open_draft``: the reply the unit is writing — a draft, or a reply the second review returned;
- ``submitted_reply``: the reply waiting for the second review;
- ``latest_evaluable_reply``: the latest released answer (first or re-handling reply), the one the
  deputies rate; follow-up replies (跟踪答复) are not rated.
"""

from .choices import ReplyKind, ReplyStatus
from .models import Assignment, Reply

OPEN_STATUSES = (ReplyStatus.DRAFT, ReplyStatus.RETURNED)


def open_draft(assignment: Assignment, *, for_update: bool = False) -> Reply | None:
    """The draft or returned reply being written (locked with ``for_update``)."""
    replies = assignment.replies.select_for_update() if for_update else assignment.replies.all()
    return replies.filter(status__in=OPEN_STATUSES).order_by("-id").first()


def submitted_reply(assignment: Assignment) -> Reply | None:
    return assignment.replies.filter(status=ReplyStatus.SUBMITTED).order_by("-id").first()


def latest_evaluable_reply(assignment: Assignment) -> Reply | None:
    return (
        assignment.replies.filter(
            status=ReplyStatus.RELEASED, kind__in=(ReplyKind.ANSWER, ReplyKind.REHANDLING)
        )
        .order_by("-released_at", "-id")
        .first()
    )
