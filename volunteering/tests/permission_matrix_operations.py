"""volunteering.operations: its routes x the cast."""

from core.tests.matrix import Route

ROUTES: list[Route] = []
