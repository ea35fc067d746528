from core.tests.matrix import LOGIN_REQUIRED, SIGNED_IN, Route

ROUTES = [
    Route("portal:home", expect={**LOGIN_REQUIRED, **dict.fromkeys(SIGNED_IN, 200)}),
]
