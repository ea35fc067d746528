"""The import as 确认导入 runs it (``services.import_file``): checked and written in one pass and
one transaction. New people of each checked chunk are written while the next chunk is checked
(on PostgreSQL by a writer thread); a refusal anywhere in the file leaves nothing written."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from census import importer, services
from census.models import ImportBatch
from core.errors import DomainError
from core.models import AuditEntry
from core.request_context import current_ip, set_current_ip
from people import bulk
from people.models import Honour, Person, PersonNameToken

from .helpers import HEADER, make_id, xlsx


def _rows(count: int) -> list[list[Any]]:
    return [
        [
            f"王{'一二三四五六七八九十'[i % 10]}明",
            make_id("330212", f"19{60 + i:02d}0312", "005"),
            "鄞州",
            "",
            "浙江工匠（2019）",
            "在职",
        ]
        for i in range(count)
    ]


def _written() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        PersonNameToken.objects.count(),
        Honour.objects.count(),
        AuditEntry.objects.filter(action="people.person.created").count(),
    )


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 3 rows, so that a 10-row file is written in four pieces while it is checked."""
    monkeypatch.setattr(importer, "CHUNK", 3)


def test_one_pass_import_writes_what_check_then_commit_writes(cast: Any, small_chunks: None) -> None:
    before = _written()
    validation, counts = services.import_file(actor=cast.city, data=xlsx([HEADER, *_rows(10)]), filename="a.xlsx")
    assert counts == {"created": 10, "updated": 0, "unchanged": 0, "proposals": 0}
    people, tokens, honours, entries = (a - b for a, b in zip(_written(), before, strict=True))
    assert (people, honours, entries) == (10, 10, 10)
    assert tokens == 30  # three pairs of a three-character name
    assert all(p.person_id for p in validation.plans)
    created = Person.objects.filter(pk__in=[p.person_id for p in validation.plans])
    assert sorted(p.name for p in created) == sorted(r[0] for r in _rows(10))
    assert {p.top_level for p in created} == {"provincial"}
    # Again: every row unchanged, nothing new but the summary entry.
    summaries = AuditEntry.objects.filter(action="census.import.committed").count()
    _, again = services.import_file(actor=cast.city, data=xlsx([HEADER, *_rows(10)]), filename="a.xlsx")
    assert again == {"created": 0, "updated": 0, "unchanged": 10, "proposals": 0}
    assert _written() == (before[0] + 10, before[1] + 30, before[2] + 10, before[3] + 10)
    assert AuditEntry.objects.filter(action="census.import.committed").count() == summaries + 1


def test_a_refusal_in_the_last_row_leaves_nothing_written(cast: Any, small_chunks: None) -> None:
    rows = _rows(10)
    rows[-1][1] = rows[-1][1][:-1] + ("0" if rows[-1][1][-1] != "0" else "1")  # wrong check digit
    before = _written()
    validation, counts = services.import_file(actor=cast.city, data=xlsx([HEADER, *rows]), filename="a.xlsx")
    assert counts is None and validation.refused
    assert [e.row for e in validation.errors] == [11]
    assert _written() == before
    assert not AuditEntry.objects.filter(action="census.import.committed").exists()
    # The registry is usable afterwards (the transaction was rolled back cleanly).
    _, counts = services.import_file(actor=cast.city, data=xlsx([HEADER, *rows[:-1]]), filename="a.xlsx")
    assert counts is not None and counts["created"] == 9


def test_a_person_registered_meanwhile_refuses_the_whole_import(
    cast: Any, small_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If somebody registers a person of the file while it is being imported, the unique ID
    constraint stops the import; nothing of it is written and the clerk is told to retry."""
    rows = _rows(10)
    services.import_file(actor=cast.city, data=xlsx([HEADER, rows[7]]), filename="b.xlsx")
    before = _written()
    monkeypatch.setattr(importer, "_known_people", lambda hashes: [])  # the check did not see it
    with pytest.raises(DomainError, match="导入期间登记库有其他改动"):
        services.import_file(actor=cast.city, data=xlsx([HEADER, *rows]), filename="a.xlsx")
    assert _written() == before


def test_commit_batch_imports_in_one_pass_and_records_a_refusal(cast: Any, small_chunks: None) -> None:
    good = services.store_upload(actor=cast.city, data=xlsx([HEADER, *_rows(7)]), filename="a.xlsx")
    services.validate_batch(actor=cast.city, batch=good)
    assert services.commit_batch(actor=cast.city, batch=good)["created"] == 7
    good.refresh_from_db()
    assert good.status == ImportBatch.Status.COMMITTED
    assert good.report["committed"]["created"] == 7

    rows = [*_rows(9)[7:], ["", make_id("330212", "19900101", "007"), "鄞州", "", "", "在职"]]
    bad = services.store_upload(actor=cast.city, data=xlsx([HEADER, *rows]), filename="b.xlsx")
    before = _written()
    with pytest.raises(DomainError):
        services.commit_batch(actor=cast.city, batch=bad)
    bad.refresh_from_db()
    assert bad.status == ImportBatch.Status.REFUSED
    assert bad.report["error_count"] == 1
    assert _written() == before


def test_the_quick_lock_handoff_is_restored_after_overlapping_imports() -> None:

    before = sys.getswitchinterval()
    with bulk._quick_gil_handoff():
        with bulk._quick_gil_handoff():
            assert sys.getswitchinterval() == pytest.approx(0.0005)
        assert sys.getswitchinterval() == pytest.approx(0.0005)
    assert sys.getswitchinterval() == before


@pytest.mark.parametrize("ip", ["203.0.113.9", "2001:db8::7", None])
def test_entries_keep_the_clerks_address_and_every_value_through_the_binary_copy(cast: Any, ip: str | None) -> None:
    """PostgreSQL receives the rows in COPY's binary format, each column in its own type's
    format (the audit JSON as jsonb, the address as inet, dates, timestamps, small integers):
    what is read back is what was meant, on either database."""
    saved = current_ip()
    set_current_ip(ip)
    try:
        honours = "全国劳动模范（2015）；浙江工匠（2019）"
        row = ["欧阳·娜仁花", make_id("330212", "19650312", "005"), "鄞州", "", honours, "退休"]
        validation, counts = services.import_file(actor=cast.city, data=xlsx([HEADER, row]), filename="a.xlsx")
    finally:
        set_current_ip(saved)
    assert counts is not None and counts["created"] == 1
    person = Person.objects.get(pk=validation.plans[0].person_id or 0)
    assert (person.name, str(person.birth_date), person.status, person.top_level, person.hardship) == (
        "欧阳·娜仁花",
        "1965-03-12",
        "retired",
        "national",
        False,
    )
    assert person.created == person.updated and person.created.tzinfo is not None
    assert sorted(Honour.objects.filter(person=person).values_list("title__name", "year", "revoked")) == [
        ("全国劳动模范", 2015, False),
        ("浙江工匠", 2019, False),
    ]
    entry = AuditEntry.objects.get(action="people.person.created", object_id=str(person.pk))
    assert entry.ip == ip
    assert entry.actor_id == cast.city.pk
    assert entry.changes["name"] == [None, "欧阳·娜仁花"]
    assert entry.changes["honour"] == [None, "全国劳动模范（2015）；浙江工匠（2019）"]
