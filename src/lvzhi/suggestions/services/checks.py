"""The rules and checks that several modules of ``lvzhi.suggestions.services`` share: what may be
uploaded (attachments, reply letters), which fields each role may edit, dates not in the future.

Internal to ``lvzhi.suggestions``; the constants are re-exported by ``services``."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import DomainError

# Attachments (DOMAIN §5.1): PDF, Word, images; at most 20 MB. The content is checked, not only
# the name: extension → (content type, leading bytes).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ATTACHMENT_TYPES = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
LETTER_TYPES = {"pdf": ATTACHMENT_TYPES["pdf"]}

DEPUTY_EDITABLE = frozenset({"title", "body", "field", "is_confidential"})
OFFICE_EDITABLE = DEPUTY_EDITABLE | {"is_hard"}


def check_date_not_future(on: date, today: date, message) -> None:
    if on > today:
        raise DomainError(message)


def checked_upload(upload, allowed: dict, *, field: str) -> tuple[str, str]:
    """The upload's (original name, content type) if its extension, content and size are allowed."""
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in allowed:
        if allowed is LETTER_TYPES:
            raise DomainError(_("答复函须为 PDF 文件。"), field=field)
        raise DomainError(_("只能上传 PDF、Word（doc、docx）或图片（jpg、png）文件。"), field=field)
    if not upload.size:
        raise DomainError(_("文件“{name}”是空文件。").format(name=name), field=field)
    if upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(_("文件“{name}”超过 20 MB，不能上传。").format(name=name), field=field)
    content_type, signatures = allowed[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise DomainError(_("文件“{name}”的内容与扩展名不符。").format(name=name), field=field)
    return name[:200], content_type
