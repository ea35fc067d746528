from __future__ import annotations

from django.utils.translation import gettext


class DomainError(Exception):
    """A rule said no. ``message`` is for the person who tried, in words they can act on."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InputProblem(ValueError):
    """A value that cannot be taken (an ID number, a phone number), with a hint how to fix it.

    ``message`` and ``hint`` are Chinese: the census importer puts them in its report and in the
    marked-up copy of the clerk's file, which are Chinese documents. Pages and the API show
    ``text()`` (or ``problem()`` alone), in the reader's language. Messages are written with
    ``gettext_noop`` and ``%(name)s`` placeholders filled from ``params``."""

    def __init__(self, message: str, hint: str = "", **params: object) -> None:
        self.template = message
        self.params = params
        self.message = message % params if params else message
        self.hint = hint
        super().__init__(self.message)

    def problem(self) -> str:
        return gettext(self.template) % self.params if self.params else gettext(self.template)

    def text(self) -> str:
        if not self.hint:
            return self.problem()
        return gettext("%(problem)s。%(hint)s") % {"problem": self.problem(), "hint": gettext(self.hint)}
