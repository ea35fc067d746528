from core.tests.matrix import Route

ROUTES: list[Route] = []
