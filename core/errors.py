from __future__ import annotations


class DomainError(Exception):
    """A rule said no. ``message`` is for the person who tried, in words they can act on."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
