"""Domain errors: raised by services, shown to users in Chinese, mapped to HTTP by views and the API."""

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain refused the action. ``message`` is Chinese and shown as is."""

    status_code = 400

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.field = field


class ConflictError(DomainError):
    """Somebody else changed the record since it was read: the second writer must reload."""

    status_code = 409


class ForbiddenError(DomainError):
    """The actor's role or scope does not allow the action."""

    status_code = 403
