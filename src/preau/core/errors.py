"""Domain errors: what a user can cause, with a French message, caught at the edge."""

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """An error the user caused; `message` is shown to them as is."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError, PermissionDenied):
    """The actor may not do this (policy said no). Views answer 403."""
