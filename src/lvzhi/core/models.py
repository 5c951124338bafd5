"""Base models shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .errors import ConflictError


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A record edited by people: ``version`` makes concurrent edits collide loudly, never silently.

    Edit forms carry the version they were read at; ``save_versioned`` writes only if nobody has
    written since, otherwise it raises ``ConflictError``.
    """

    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True

    @classmethod
    def lock_for_edit(cls, pk: int, expected_version: int):
        """Lock the row (inside a transaction) and check nobody has written since it was read.

        Saving the returned object with ``save()`` keeps the row history (``update()`` would not).
        """
        obj = cls._default_manager.select_for_update().get(pk=pk)
        if obj.version != expected_version:
            raise ConflictError(_("该记录已被他人修改，请刷新页面后重新编辑。"))
        obj.version = expected_version + 1
        return obj
