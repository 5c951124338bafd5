"""Roster import (名册导入): staff upload an Excel roster, every row is checked, a preview shows what
would change, and applying it seats every deputy of the file at once, or nobody.

The life of an import (``RosterImportStatus``)::

    UPLOADED → VALIDATING → INVALID | VALIDATED | FAILED
    VALIDATED → APPLYING → APPLIED | INVALID (the registry changed meanwhile) | FAILED
    anything but APPLIED → CANCELLED (an in-progress one only when its job was interrupted)

Checking and applying run in the background (``deputies.tasks``, queued with
``lvzhi.core.queue.enqueue`` after commit); their progress is in ``lvzhi.core.progress``.
Callers: ``deputies.import_views``, ``deputies.tasks``, the ``import_roster`` command and
``bench/roster_import.py``. Only the deputy-affairs office may upload or apply
(``accounts.roles.can_import_roster``).

The package, by subject: ``columns`` (the file format), ``workbook`` (reading it), ``checks`` (every
row against the structure and the registry), ``template`` (the Excel template), ``services`` (the
import's life: upload, check, confirm, apply, cancel) and ``bulk`` (writing a checked roster).
Callers import from ``lvzhi.deputies.importer``; the names below are its public interface.
"""

from .checks import CheckResult, RosterChecker, RosterRow, check_roster, parse_date
from .columns import COLUMN_BY_KEY, COLUMNS, PROGRESS_KIND, Column
from .services import (
    FINISHED,
    IN_PROGRESS,
    STALE_AFTER,
    roster_import_apply,
    roster_import_cancel,
    roster_import_create,
    roster_import_run_apply,
    roster_import_validate,
)
from .template import roster_template_bytes
from .workbook import RosterFileError, RosterSheet, read_roster_sheet

__all__ = [
    "COLUMNS",
    "COLUMN_BY_KEY",
    "FINISHED",
    "IN_PROGRESS",
    "PROGRESS_KIND",
    "STALE_AFTER",
    "CheckResult",
    "Column",
    "RosterChecker",
    "RosterFileError",
    "RosterRow",
    "RosterSheet",
    "check_roster",
    "parse_date",
    "read_roster_sheet",
    "roster_import_apply",
    "roster_import_cancel",
    "roster_import_create",
    "roster_import_run_apply",
    "roster_import_validate",
    "roster_template_bytes",
]
