"""Every write to motions that carries a rule: one keyword-only function per use case.

Each one runs in one transaction; locks the motion row first (then the rows it changes), so two
people acting on the same motion queue and the second sees the first's result; checks the actor's
role and scope and the current state through ``workflow``; applies the rule; saves with
``update_fields``; writes a ``MotionEvent`` (who, when, from, to, why); and queues notifications
and reminders with ``transaction.on_commit``. A refusal raises ``DomainError`` (``ForbiddenError``
for role or scope, ``ConflictError`` for a stale version) with a Chinese message, and nothing is
written.

By sub-subject: ``drafting`` (create, edit, co-signing, submission, withdrawal), ``decisions``
(the presidium's decision, conversion to a suggestion), ``committee`` (activities, attendance,
report, closing); ``plumbing`` is what they share. Import the services from here.

Callers: the motion pages and API, tests.
"""

from .committee import (
    MAX_UPLOAD_BYTES,
    REPORT_FILE_TYPES,
    motion_activity_attendance_record,
    motion_activity_record,
    motion_close,
    motion_report_submit,
)
from .decisions import (
    DECISION_ACTIONS,
    DEFAULT_REPORT_DUE,
    default_report_due,
    motion_decide,
    suggestion_body,
)
from .drafting import (
    EDITABLE,
    NUMBER_FORMAT,
    TEXT_FIELDS,
    TEXT_REQUIRED,
    motion_create,
    motion_sign,
    motion_submit,
    motion_update,
    motion_withdraw,
)
from .plumbing import REMIND_REPORT

__all__ = [
    "DECISION_ACTIONS",
    "DEFAULT_REPORT_DUE",
    "EDITABLE",
    "MAX_UPLOAD_BYTES",
    "NUMBER_FORMAT",
    "REMIND_REPORT",
    "REPORT_FILE_TYPES",
    "TEXT_FIELDS",
    "TEXT_REQUIRED",
    "default_report_due",
    "motion_activity_attendance_record",
    "motion_activity_record",
    "motion_close",
    "motion_create",
    "motion_decide",
    "motion_report_submit",
    "motion_sign",
    "motion_submit",
    "motion_update",
    "motion_withdraw",
    "suggestion_body",
]
