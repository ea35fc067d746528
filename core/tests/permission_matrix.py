"""Routes of core and how each member of the cast must be answered."""

from core.tests.matrix import ALL_200, LOGIN_REQUIRED, PUBLIC, Route, allow

STAFF_AND_ADMINS = ("city", "district_a", "district_b", "auditor", "sysadmin", "secadmin")

ROUTES = [
    Route(
        "core:home",
        expect={
            **allow(*STAFF_AND_ADMINS),
            "team_leader": 302,
            "worker_a": 302,
            "worker_b": 302,
            "requester": 302,
            "anonymous": 302,
        },
    ),
    Route("core:login", expect=PUBLIC),
    Route("core:otp", expect={**LOGIN_REQUIRED, **dict.fromkeys(ALL_200, 302)}),
    Route("core:logout", method="post", expect=dict.fromkeys(ALL_200, 302) | {"anonymous": 302}),
    Route("core:healthz", expect=PUBLIC),
    Route(
        "core:job",
        kwargs={"job_id": "00000000-0000-0000-0000-000000000000"},
        expect={**LOGIN_REQUIRED, **dict.fromkeys(ALL_200, 404)},
    ),
    Route(
        "core:job_download",
        kwargs={"job_id": "00000000-0000-0000-0000-000000000000"},
        expect={**LOGIN_REQUIRED, **dict.fromkeys(ALL_200, 404)},
    ),
    Route("set_language", method="post", expect=dict.fromkeys(PUBLIC, 302)),
    Route("api:openapi-json", expect=PUBLIC),
    Route("api:openapi-view", expect=PUBLIC),
]

ROUTES += [
    Route("api:api-root", expect=dict.fromkeys(PUBLIC, 404)),
]
