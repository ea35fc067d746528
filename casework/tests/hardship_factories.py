"""Builders for the hardship part's tests and permission matrix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework.hardship import services
from casework.models.hardship import CareVisit, HardshipFile, HardshipTerm, HelpRecord, Step, TermKind, VisitPlan

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name: str = "auth.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def category(name: str = "深度困难") -> HardshipTerm:
    return HardshipTerm.objects.get(kind=TermKind.CATEGORY, name=name)


def cause(name: str = "因病") -> HardshipTerm:
    return HardshipTerm.objects.get(kind=TermKind.CAUSE, name=name)


def new_file(cast: Any, person: Any = None, actor: Any = None) -> HardshipFile:
    return services.open_file(
        actor=actor or cast.city,
        person=person or cast.person_a,
        category=category(),
        causes=[cause()],
        summary="患病多年",
    )


def move_to(cast: Any, file: HardshipFile, step: str, actor: Any = None) -> HardshipFile:
    """Walk ``file`` on to ``step``, meeting each step's needs."""
    actor = actor or cast.city
    today = timezone.localdate()
    while file.step != step:
        nxt = file.next_step
        assert nxt is not None
        if file.step == Step.HOME_VISIT and not file.authorisation:
            file = services.upload_authorisation(actor=actor, file=file, upload=pdf())
        if file.step == Step.FINANCE and not file.members.exists():
            services.add_member(
                actor=actor, file=file, name="李某", relation="配偶", age=60, health="高血压", monthly_income="800.00"
            )
        kwargs: dict[str, Any] = {}
        if nxt == Step.PUBLICITY:
            kwargs = {"publicity_start": today - dt.timedelta(days=10), "publicity_end": today - dt.timedelta(days=3)}
        file = services.advance_file(actor=actor, file=file, to_step=nxt, note=f"同意{nxt}", **kwargs)
    return file


def filed_file(cast: Any, person: Any = None) -> HardshipFile:
    return move_to(cast, new_file(cast, person), Step.FILED)


def pending_help(cast: Any) -> HelpRecord:
    file = filed_file(cast)
    return services.add_help(
        actor=cast.district_a, file=file, kind="cash", amount=Decimal("5000.00"), given_on=timezone.localdate()
    )


def visit(cast: Any, person: Any = None) -> CareVisit:
    return services.record_visit(
        actor=cast.city,
        person=person or cast.person_a,
        occasion="festival",
        visited_on=timezone.localdate(),
        cash="500",
        goods="米、油",
        goods_value="200",
        notes="身体尚好",
    )


def photo_of(cast: Any) -> Any:
    return services.add_visit_photo(actor=cast.city, visit=visit(cast), upload=png())


def plan(cast: Any) -> VisitPlan:
    today = timezone.localdate()
    return services.create_plan(
        actor=cast.city,
        title="春节走访",
        district=None,
        occasion="festival",
        starts_on=today - dt.timedelta(days=5),
        due=today + dt.timedelta(days=20),
        people=[cast.person_a, cast.person_b],
    )
