from core.tests.matrix import API_LOGIN_REQUIRED, Route, allow

STAFF = ("city", "district_a", "district_b")

ROUTES = [
    Route("sample:list", expect=allow(*STAFF)),
    Route("api:sample_visits", expect={**allow(*STAFF), **API_LOGIN_REQUIRED}),
]
