"""The life of a roster import: upload (``roster_import_create``), check
(``roster_import_validate``), confirm (``roster_import_apply``), apply (``roster_import_run_apply``)
and cancel (``roster_import_cancel``). Only the deputy-affairs office may upload, confirm or cancel
(``accounts.roles.can_import_roster``)."""

import logging
import os
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import can_import_roster
from lvzhi.core.errors import DomainError, ForbiddenError
from lvzhi.core.progress import progress_set
from lvzhi.core.queue import enqueue

from ..choices import RosterImportStatus
from ..models import RosterImport
from .bulk import create_deputies
from .checks import check_roster
from .columns import PROGRESS_KIND, row_error

logger = logging.getLogger(__name__)


DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # settings.LVZHI_ROSTER_IMPORT_MAX_BYTES overrides it

STATUS = RosterImportStatus
IN_PROGRESS = frozenset({STATUS.UPLOADED, STATUS.VALIDATING, STATUS.APPLYING})
FINISHED = frozenset({STATUS.INVALID, STATUS.APPLIED, STATUS.FAILED, STATUS.CANCELLED})
# A job still "in progress" after this long was interrupted (e.g. the server restarted).
STALE_AFTER = timedelta(minutes=10)


def _require_importer(actor) -> None:
    if not can_import_roster(actor):
        raise ForbiddenError(_("您没有导入代表名册的权限。"))


def _max_bytes() -> int:
    return int(getattr(settings, "LVZHI_ROSTER_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def roster_import_create(*, file, congress, term, actor, run_inline: bool = False) -> RosterImport:
    """Store an uploaded roster and queue its check (``roster_import_validate``) after commit.

    Only the deputy-affairs office may call it (``ForbiddenError`` otherwise). Refused with a
    Chinese ``DomainError`` when the file is not .xlsx, is empty or too large, or the term is not
    the congress's. ``run_inline`` checks it before returning, in this process (the command line,
    the benchmark); otherwise the check runs in the background (``lvzhi.core.queue``).
    """
    _require_importer(actor)
    if term.congress_id != congress.pk:
        raise DomainError(_("所选届次不属于所选人大。"), field="term")
    original_name = os.path.basename(getattr(file, "name", "") or "")
    if not original_name.lower().endswith(".xlsx"):
        raise DomainError(
            _("仅支持 .xlsx 格式的 Excel 文件；.xls 或 WPS 文件请先另存为 .xlsx。"), field="file"
        )
    size = file.size or 0
    if size == 0:
        raise DomainError(_("上传的文件是空的。"), field="file")
    if size > _max_bytes():
        raise DomainError(
            _("文件超过{limit}MB，请分批导入。").format(limit=_max_bytes() // (1024 * 1024)), field="file"
        )
    with transaction.atomic():
        roster_import = RosterImport(
            original_name=original_name[:200],
            congress=congress,
            term=term,
            created_by=actor,
            status=STATUS.UPLOADED,
        )
        # A generated name on disk: the original (often Chinese, with spaces) stays in ``original_name``.
        content = file if isinstance(file, File) else File(file, name=original_name)
        roster_import.file.save(f"{uuid.uuid4().hex}.xlsx", content, save=False)
        roster_import.save()
        progress_set(PROGRESS_KIND, roster_import.pk, done=0, total=0, stage=str(_("等待校验")))
        if not run_inline:
            enqueue("lvzhi.deputies.tasks.roster_import_validate", roster_import.pk)
    if run_inline:
        return roster_import_validate(import_id=roster_import.pk)
    return roster_import


def _read_file(roster_import: RosterImport) -> bytes:
    with roster_import.file.open("rb") as handle:
        return handle.read()


def _finish(roster_import: RosterImport, status: str, *, expected: str, **values) -> RosterImport:
    """Move the import from ``expected`` to ``status`` (with ``values``), only if it is still in
    ``expected``: a check that ends after the import was cancelled leaves it cancelled."""
    now = timezone.now()
    values.update(status=status, updated_at=now)
    if status in FINISHED:
        values["finished_at"] = now
    RosterImport.objects.filter(pk=roster_import.pk, status=expected).update(**values)
    roster_import.refresh_from_db()
    return roster_import


def _unexpected(message) -> list[dict]:
    return [row_error(None, "", message)]


def roster_import_validate(*, import_id: int) -> RosterImport:
    """Check an uploaded roster row by row; INVALID with every problem or VALIDATED with a preview.

    Run by the task ``roster_import_validate`` (no actor: the upload was authorised). Idempotent:
    an import that is no longer UPLOADED or VALIDATING is returned unchanged.
    """
    roster_import = RosterImport.objects.select_related("congress", "term__congress").get(pk=import_id)
    started = RosterImport.objects.filter(
        pk=import_id, status__in=(STATUS.UPLOADED, STATUS.VALIDATING)
    ).update(status=STATUS.VALIDATING, updated_at=timezone.now())
    if not started:
        return roster_import
    try:
        result = check_roster(
            data=_read_file(roster_import),
            congress=roster_import.congress,
            term=roster_import.term,
            progress_id=roster_import.pk,
            stage=str(_("逐行校验")),
        )
    except Exception:
        logger.exception("roster import %s: validation failed", import_id)
        return _finish(
            roster_import,
            STATUS.FAILED,
            expected=STATUS.VALIDATING,
            errors=_unexpected(_("校验时发生意外错误，请联系系统管理员。")),
        )
    if result.errors:
        return _finish(
            roster_import,
            STATUS.INVALID,
            expected=STATUS.VALIDATING,
            errors=result.errors,
            preview={},
            row_count=len(result.rows),
        )
    return _finish(
        roster_import,
        STATUS.VALIDATED,
        expected=STATUS.VALIDATING,
        errors=[],
        preview=result.preview,
        row_count=len(result.rows),
    )


def roster_import_apply(*, import_id: int, actor, run_inline: bool = False) -> RosterImport:
    """Confirm a VALIDATED import: it becomes APPLYING and ``roster_import_run_apply`` is queued
    after commit (``run_inline``: run in this process before returning).

    Only the deputy-affairs office may call it (``ForbiddenError``); refused with a Chinese
    ``DomainError`` in any other state, e.g. a second click once it is applying or applied.
    """
    _require_importer(actor)
    with transaction.atomic():
        roster_import = RosterImport.objects.select_for_update().get(pk=import_id)
        if roster_import.status != STATUS.VALIDATED:
            raise DomainError(
                _("该名册导入当前为“{status}”，只有“{validated}”的名册才能确认导入。").format(
                    status=roster_import.get_status_display(), validated=STATUS.VALIDATED.label
                )
            )
        roster_import.status = STATUS.APPLYING
        roster_import.applied_by = actor
        roster_import.save(update_fields=["status", "applied_by", "updated_at"])
        progress_set(
            PROGRESS_KIND, roster_import.pk, done=0, total=roster_import.row_count, stage=str(_("等待导入"))
        )
        if not run_inline:
            enqueue("lvzhi.deputies.tasks.roster_import_apply", roster_import.pk)
    if run_inline:
        return roster_import_run_apply(import_id=roster_import.pk)
    return roster_import


def roster_import_run_apply(*, import_id: int) -> RosterImport:
    """Apply an APPLYING import in one transaction: check the file again against the registry as it
    is now, then create every person, mandate, election event and field/group link in bulk.

    If anything is now wrong (a card number taken meanwhile…) nothing is created and the import
    becomes INVALID with the problems; an unexpected error leaves nothing behind and makes it
    FAILED. Run by the task ``roster_import_apply``; idempotent (any other state: unchanged).
    """
    try:
        with transaction.atomic():
            roster_import = (
                # ``of``: PostgreSQL cannot lock the nullable side of the outer join to applied_by.
                RosterImport.objects.select_for_update(of=("self",))
                .select_related("congress", "term__congress", "applied_by")
                .get(pk=import_id)
            )
            if roster_import.status != STATUS.APPLYING:
                return roster_import
            result = check_roster(
                data=_read_file(roster_import),
                congress=roster_import.congress,
                term=roster_import.term,
                progress_id=roster_import.pk,
                stage=str(_("导入前复核")),
            )
            if result.errors:
                return _finish(
                    roster_import, STATUS.INVALID, expected=STATUS.APPLYING, errors=result.errors, preview={}
                )
            created = create_deputies(roster_import, result.rows)
            return _finish(
                roster_import,
                STATUS.APPLIED,
                expected=STATUS.APPLYING,
                errors=[],
                created_count=created,
                row_count=len(result.rows),
            )
    except Exception:
        logger.exception("roster import %s: apply failed, nothing imported", import_id)
        RosterImport.objects.filter(pk=import_id, status=STATUS.APPLYING).update(
            status=STATUS.FAILED,
            errors=_unexpected(_("导入时发生意外错误，未导入任何数据。请重新上传校验，或联系系统管理员。")),
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        return RosterImport.objects.get(pk=import_id)


@transaction.atomic
def roster_import_cancel(*, import_id: int, actor) -> RosterImport:
    """Drop an import that will not be applied: it becomes CANCELLED and nothing is imported.

    From VALIDATED, INVALID or FAILED; also from UPLOADED, VALIDATING or APPLYING, for a job
    interrupted by a restart (a running apply holds the row lock, so it finishes first and the
    cancel is then refused). Only the deputy-affairs office may call it; refused once APPLIED.
    """
    _require_importer(actor)
    roster_import = RosterImport.objects.select_for_update().get(pk=import_id)
    if roster_import.status in (STATUS.APPLIED, STATUS.CANCELLED):
        raise DomainError(
            _("该名册导入当前为“{status}”，不能取消。").format(status=roster_import.get_status_display())
        )
    return _finish(roster_import, STATUS.CANCELLED, expected=roster_import.status)
