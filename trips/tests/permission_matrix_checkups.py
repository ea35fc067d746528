"""trips.checkups: its routes x the cast."""

from __future__ import annotations

from typing import Any

from core.tests.matrix import Route, allow
from trips.tests import checkups_factories as f

STAFF = ("city", "district_a", "district_b")
WORKERS = ("worker_a", "worker_b")


def scoped(status: int) -> dict[str, int]:
    """A district_a object: city and district_a get ``status``, district_b 404, the rest 403."""
    return allow("city", "district_a", status=status) | {"district_b": 404}


def campaign_pk(cast: Any) -> dict[str, int]:
    return {"pk": f.campaign().pk}


def booking_pk(cast: Any) -> dict[str, int]:
    return {"pk": f.booking(cast).pk}


def slot_pk(cast: Any) -> dict[str, int]:
    return {"pk": f.slot().pk}


def hospital_pk(cast: Any) -> dict[str, int]:
    return {"pk": f.hospital().pk}


def package_pk(cast: Any) -> dict[str, int]:
    return {"pk": f.package().pk}


def book_for(cast: Any) -> dict[str, int]:
    return {"pk": f.campaign().pk, "person_pk": cast.person_a.pk}


ROUTES: list[Route] = [
    Route("trips:checkups_campaigns", expect=allow(*STAFF)),
    Route("trips:checkups_campaign_create", expect=allow("city")),
    Route("trips:checkups_hospitals", expect=allow("city")),
    Route("trips:checkups_hospital_edit", setup=hospital_pk, expect=allow("city")),
    Route("trips:checkups_hospital_delete", method="post", setup=hospital_pk, expect=allow("city", status=302)),
    Route("trips:checkups_packages", expect=allow("city")),
    Route("trips:checkups_package_edit", setup=package_pk, expect=allow("city")),
    Route("trips:checkups_package_delete", method="post", setup=package_pk, expect=allow("city", status=302)),
    Route("trips:checkups_slot_edit", setup=slot_pk, expect=allow("city")),
    Route("trips:checkups_slot_delete", method="post", setup=slot_pk, expect=allow("city", status=302)),
    Route("trips:checkups_rules", expect=allow("city")),
    Route("trips:checkups_mine", expect=allow(*WORKERS)),
    Route("trips:checkups_mine_cancel", method="post", expect=allow(*WORKERS, status=302)),
    Route("trips:checkups_campaign", setup=campaign_pk, expect=allow(*STAFF)),
    Route("trips:checkups_campaign_edit", setup=campaign_pk, expect=allow("city")),
    Route("trips:checkups_campaign_delete", method="post", setup=campaign_pk, expect=allow("city", status=302)),
    Route("trips:checkups_slot_add", method="post", setup=campaign_pk, expect=allow("city", status=302)),
    Route("trips:checkups_due", setup=campaign_pk, expect=allow(*STAFF)),
    Route("trips:checkups_due_export", setup=campaign_pk, expect=allow(*STAFF)),
    Route("trips:checkups_book_for", setup=book_for, expect=scoped(200)),
    Route("trips:checkups_bookings", setup=campaign_pk, expect=allow(*STAFF)),
    Route("trips:checkups_bookings_export", setup=campaign_pk, expect=allow(*STAFF)),
    Route("trips:checkups_coverage", setup=campaign_pk, expect=allow(*STAFF)),
    Route("trips:checkups_coverage_export", setup=campaign_pk, expect=allow(*STAFF)),
    Route("trips:checkups_booking", setup=booking_pk, expect=scoped(200)),
    Route("trips:checkups_attendance", method="post", setup=booking_pk, expect=scoped(302)),
    Route("trips:checkups_result", method="post", setup=booking_pk, expect=scoped(302)),
    Route("trips:checkups_cancel", method="post", setup=booking_pk, expect=scoped(302)),
    Route("trips:checkups_followup", method="post", setup=booking_pk, expect=scoped(302)),
    Route("trips:checkups_report_upload", method="post", setup=booking_pk, expect=allow("city", status=302)),
    Route("trips:checkups_report", setup=booking_pk, expect=allow("city", status=404)),
    Route("api:checkups_api_campaigns", expect=allow(*STAFF, anonymous=401)),
    Route("api:checkups_api_slots", setup=campaign_pk, expect=allow(*STAFF, anonymous=401)),
    Route("api:checkups_api_bookings", setup=campaign_pk, expect=allow(*STAFF, anonymous=401)),
    Route(
        "api:checkups_api_book",
        method="post",
        data={"person": 0, "slot": 0},
        content_type="application/json",
        expect=allow(*STAFF, status=404, anonymous=401),
    ),
]
