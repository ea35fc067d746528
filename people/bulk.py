"""Registering people: what a new record derives, written once, for one person or 100,000.

A new person derives: the encrypted ID number with its keyed hash, masked form and last four;
the masked bank account; the name cleaned, its pinyin, initials and character pairs (the
``PersonNameToken`` table); the district of the region; ``top_level`` from the honours; and one
``people.person.created`` audit entry holding all of it. ``people.services.create_person`` uses
the single-value helpers here (``id_number_columns``, ``bank_account_columns``, ``best_level``);
``register_people`` / ``Registrar`` compute the same for many at once and write them with COPY
(PostgreSQL) or executemany (SQLite), without model instances: the census import and the demo
registry register through them. Other apps learn of the new people through
``people.changes.person_changed`` after commit.

The bulk path trusts its input: the caller has checked it (``census.importer``, the demo's
generator). The database still refuses a second record of one ID number (IntegrityError).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Self

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from core import crypto
from core.errors import DomainError
from core.masking import mask_bank_account, mask_id_number, mask_mobile, scrub
from core.models import Actor, AuditEntry, Region, RegionKind
from core.request_context import current_ip
from people import names
from people.changes import CREATED, person_changed
from people.models import (
    LEVEL_RANK,
    Honour,
    HonourTitle,
    Level,
    Person,
    PersonNameToken,
    PersonStatus,
    Skill,
    SkillGrade,
    Trade,
)

# ---------------------------------------------------------------- one person's derived values


def id_number_columns(
    number: str, *, seal: Callable[[str], str] = crypto.encrypt, hasher: Callable[[str], str] = crypto.keyed_hash
) -> tuple[str, str | None, str, str]:
    """(encrypted, keyed hash, masked, last four) of a checked ID number ("" → all empty)."""
    if not number:
        return "", None, "", ""
    return seal(number), hasher(number), mask_id_number(number), number[-4:]


def bank_account_columns(number: str, *, seal: Callable[[str], str] = crypto.encrypt) -> tuple[str, str]:
    """(encrypted, masked) of a checked bank account number."""
    return seal(number), mask_bank_account(number)


def best_level(levels: Iterable[str]) -> str:
    """``top_level``: the best of the effective levels of a person's unrevoked honours."""
    best = ""
    for level in levels:
        if not best or LEVEL_RANK[Level(level)] > LEVEL_RANK[Level(best)]:
            best = level
    return best


def keyed_hasher() -> Callable[[str], str]:
    """``core.crypto.keyed_hash`` with the key decoded once (the same digest; see
    census/tests/test_row_parser.py). HMAC-SHA256 spelt out (RFC 2104): the hashes of the padded
    key are taken once, and each value costs two copies and two updates, about half of copying
    an ``hmac`` object."""
    key = base64.b64decode(settings.FIELD_HASH_KEY)
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def keyed(value: str) -> str:
        h = inner.copy()
        h.update(value.encode())
        o = outer.copy()
        o.update(h.digest())
        return o.hexdigest()

    return keyed


class Sealer:
    """``core.crypto.encrypt`` for many values: one AESGCM object, nonces drawn from the OS in
    blocks. The same format (version byte, 12-byte nonce, sealed text; see its test)."""

    VERSION = b"\x01"

    def __init__(self) -> None:
        self.aead = AESGCM(base64.b64decode(settings.FIELD_ENCRYPTION_KEY))
        self.nonces = b""
        self.at = 0

    def __call__(self, plain: str) -> str:
        if plain == "":
            return ""
        if self.at >= len(self.nonces):
            self.nonces, self.at = os.urandom(12 * 4096), 0
        nonce = self.nonces[self.at : self.at + 12]
        self.at += 12
        sealed = self.aead.encrypt(nonce, plain.encode(), self.VERSION)
        return base64.b64encode(self.VERSION + nonce + sealed).decode()


# ---------------------------------------------------------------- many people


@dataclass(slots=True)
class NewPerson:
    """One person to register. ``fields`` holds ``name``, ``gender``, ``birth_date`` and any of
    ``people.services.PLAIN_FIELDS``; the ID number is checked (18 characters, agreeing with sex
    and birth date), ``id_hash`` its keyed hash when the caller has it already. ``honours`` are
    (title id, year), ``certificates`` their certificate numbers if any (same order); ``skills``
    are (trade id, grade, specialties). ``person_id`` is set when registered."""

    fields: dict[str, Any]
    region_id: int
    id_number: str = ""
    id_hash: str = ""
    bank_account: str = ""
    honours: tuple[tuple[int, int], ...] = ()
    certificates: tuple[str, ...] = ()
    skills: tuple[tuple[int, str, str], ...] = ()
    user_id: int | None = None
    person_id: int | None = field(default=None)


# The columns of people_person a bulk registration writes, in this order (id first).
PERSON_COLUMNS = [
    "id",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number_encrypted",
    "id_number_hash",
    "id_number_masked",
    "id_last4",
    "political_status",
    "education",
    "employer",
    "post",
    "region_id",
    "district_id",
    "status",
    "status_date",
    "mobile",
    "landline",
    "address",
    "bank_name",
    "bank_account_name",
    "bank_account_encrypted",
    "bank_account_masked",
    "hardship",
    "photo",
    "notes",
    "name_pinyin",
    "name_initials",
    "top_level",
    "user_id",
    "merged_into_id",
    "created",
    "updated",
]
_TOKEN_COLUMNS = ["person_id", "token"]
_HONOUR_COLUMNS = ["person_id", "title_id", "year", "awarding_body", "certificate_no", "revoked", "revoked_reason"]
_SKILL_COLUMNS = ["person_id", "trade_id", "grade", "specialties"]
_AUDIT_COLUMNS = [
    "created",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "ip",
]

Table = tuple[str, list[str], list[tuple[Any, ...]]]


@lru_cache(maxsize=65536)
def _scrubbed(value: str) -> str:
    return scrub(value)


def _audit_value(value: Any) -> Any:
    """core.audit's conversion. A string shorter than 11 characters cannot hold a number to mask
    (the shortest, a mobile, has 11 digits), so only longer ones go through the masking regexes."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value if len(value) < 11 else _scrubbed(value)
    if isinstance(value, list):
        return [_audit_value(v) for v in value]
    return value


_json = json.JSONEncoder(ensure_ascii=False).encode
_MOBILE = re.compile(r"1[3-9][0-9]{9}")


class Registration:
    """Everything ``people.services.create_person`` (given honours and skills) derives for one
    new person, computed for many at once: answers that repeat (a name's pinyin and pairs, a
    region's district, a set of honours' level and text, an employer in the audit entry) are
    kept. Nothing here queries the database after ``__init__`` (a COPY may be open)."""

    def __init__(self, actor: Actor) -> None:
        self.titles = {t.pk: t for t in HonourTitle.objects.all()}
        self.trades: dict[int, Trade] | None = None
        self.regions = {r.pk: r for r in Region.objects.all()}
        self.districts: dict[int, int] = {}
        self.now = timezone.now()
        self.actor_id = actor.pk if actor is not None and actor.is_authenticated else None
        self.actor_name = str(actor) if self.actor_id else ""
        self.ip = current_ip()
        self.seal = Sealer()
        self.hasher = keyed_hasher()
        self.names: dict[str, tuple[str, str, list[str]]] = {}
        self.honour_info: dict[tuple[tuple[int, int], ...], tuple[str, str]] = {}
        self.fragments: dict[tuple[str, Any], str] = {}

    def district(self, region_id: int) -> int:
        """people.services.district_of over the regions in memory."""
        found = self.districts.get(region_id)
        if found is None:
            node: Region | None = self.regions[region_id]
            while node is not None and node.kind not in {RegionKind.DISTRICT, RegionKind.ZONE}:
                node = self.regions.get(node.parent_id) if node.parent_id else None
            if node is None:
                raise DomainError(gettext("所属区域必须是区县(市)、功能区或其下的镇街"), field="region")
            found = self.districts[region_id] = node.pk
        return found

    def name(self, name: str) -> tuple[str, str, list[str]]:
        found = self.names.get(name)
        if found is None:
            if len(self.names) >= 100_000:
                self.names.clear()
            pinyin, initials, pairs = names.search_keys(name)
            found = self.names[name] = (pinyin, initials, sorted(pairs))
        return found

    def honours(self, honours: tuple[tuple[int, int], ...]) -> tuple[str, str]:
        """(top level, the honours as the person.created audit entry shows them)."""
        found = self.honour_info.get(honours)
        if found is None:
            text = "；".join(f"{self.titles[t].name}（{y}）" for t, y in honours)
            level = best_level(self.titles[t].effective_level for t, _y in honours)
            found = self.honour_info[honours] = (level, text)
        return found

    def skills_text(self, skills: tuple[tuple[int, str, str], ...]) -> str:
        """The skills as ``Skill.__str__`` shows them, for the audit entry."""
        if self.trades is None:
            raise RuntimeError("Registration.load_trades() before registering skills")
        return "；".join(f"{self.trades[t]} {SkillGrade(g).label if g else ''}" for t, g, _s in skills)

    def load_trades(self) -> None:
        if self.trades is None:
            self.trades = {t.pk: t for t in Trade.objects.all()}

    def fragment(self, key: str, value: Any) -> str:
        """``"key": [null, value]`` as JSON, the audit value masked as core.audit masks it."""
        found = self.fragments.get((key, value))
        if found is None:
            found = f"{_json(key)}: [null, {_json(_audit_value(value))}]"
            if len(value) < 40 if isinstance(value, str) else True:
                if len(self.fragments) >= 100_000:
                    self.fragments.clear()
                self.fragments[(key, value)] = found
        return found

    def person(self, new: NewPerson) -> tuple[tuple[Any, ...], str]:
        """The person row without its id (``PERSON_COLUMNS[1:]``), and the JSON of the
        ``people.person.created`` audit entry (what create_person logs: its ``_snapshot`` of the
        fresh record, non-empty values only, in field order)."""
        f = new.fields
        name = names.clean_name(f["name"])
        pinyin, initials, _pairs = self.name(name)
        region_id = new.region_id
        number = new.id_number
        # The caller may have the keyed hash already (the census matched people on it).
        hasher = self.hasher if not new.id_hash else lambda _number: new.id_hash
        encrypted, id_hash, masked, last4 = id_number_columns(number, seal=self.seal, hasher=hasher)
        account = new.bank_account
        account_encrypted, account_masked = bank_account_columns(account, seal=self.seal) if account else ("", "")
        status = f.get("status") or PersonStatus.WORKING
        status_date = f.get("status_date")
        top_level = self.honours(new.honours)[0] if new.honours else ""
        ethnicity = f.get("ethnicity", "")
        political = f.get("political_status", "")
        education = f.get("education", "")
        employer = f.get("employer", "")
        post = f.get("post", "")
        mobile = f.get("mobile", "")
        landline = f.get("landline", "")
        address = f.get("address", "")
        bank_name = f.get("bank_name", "")
        bank_account_name = f.get("bank_account_name", "")
        hardship = bool(f.get("hardship", False))
        notes = f.get("notes", "")
        birth_date = f.get("birth_date")
        row = (
            name,
            f["gender"],
            ethnicity,
            birth_date,
            encrypted,
            id_hash,
            masked,
            last4,
            political,
            education,
            employer,
            post,
            region_id,
            self.district(region_id),
            status,
            status_date,
            mobile,
            landline,
            address,
            bank_name,
            bank_account_name,
            account_encrypted,
            account_masked,
            hardship,
            "",
            notes,
            pinyin,
            initials,
            top_level,
            new.user_id,
            None,
            self.now,
            self.now,
        )
        # Values unique per person are encoded directly: a checked name has no digits, a
        # masked ID number keeps 8, and a checked mobile is masked the way scrub masks it.
        fragment = self.fragment
        parts = [
            '"name": [null, ' + _json(name if len(name) < 11 else _audit_value(name)) + "]",
            fragment("gender", f["gender"]),
        ]
        if ethnicity:
            parts.append(fragment("ethnicity", ethnicity))
        if birth_date:
            parts.append('"birth_date": [null, "' + birth_date.isoformat() + '"]')
        for key, value in (
            ("political_status", political),
            ("education", education),
            ("employer", employer),
            ("post", post),
            ("status", status),
        ):
            if value:
                parts.append(fragment(key, value))
        if status_date:
            parts.append('"status_date": [null, "' + status_date.isoformat() + '"]')
        if mobile:
            shown = mask_mobile(mobile) if _MOBILE.fullmatch(mobile) else _audit_value(mobile)
            parts.append('"mobile": [null, ' + _json(shown) + "]")
        for key, value in (
            ("landline", landline),
            ("address", address),
            ("bank_name", bank_name),
            ("bank_account_name", bank_account_name),
        ):
            if value:
                parts.append(fragment(key, value))
        if hardship:
            parts.append('"hardship": [null, true]')
        if notes:
            parts.append(fragment("notes", notes))
        parts.append(fragment("region", self.regions[region_id].name))
        if masked:
            parts.append('"id_number": [null, ' + _json(masked) + "]")
        if account_masked:
            parts.append('"bank_account": [null, ' + _json(account_masked) + "]")
        if new.honours:
            parts.append('"honour": [null, ' + _json(_audit_value(self.honours(new.honours)[1])) + "]")
        if new.skills:
            parts.append('"skill": [null, ' + _json(_audit_value(self.skills_text(new.skills))) + "]")
        return row, "{" + ", ".join(parts) + "}"

    def dependents(self, pk: int, new: NewPerson, name: str, changes: str) -> tuple[Table, ...]:
        """Name-pair tokens, honours, skills and the audit entry of the person with id ``pk``."""
        certificates = new.certificates or ("",) * len(new.honours)
        return (
            (PersonNameToken._meta.db_table, _TOKEN_COLUMNS, [(pk, t) for t in self.name(name)[2]]),
            (
                Honour._meta.db_table,
                _HONOUR_COLUMNS,
                [
                    (pk, title_id, year, self.titles[title_id].awarding_body, certificate, False, "")
                    for (title_id, year), certificate in zip(new.honours, certificates, strict=True)
                ],
            ),
            (Skill._meta.db_table, _SKILL_COLUMNS, [(pk, *skill) for skill in new.skills]),
            (
                AuditEntry._meta.db_table,
                _AUDIT_COLUMNS,
                [
                    (
                        self.now,
                        self.actor_id,
                        self.actor_name,
                        "people.person.created",
                        "people.person",
                        str(pk),
                        name[:200],
                        changes,
                        self.ip,
                    )
                ],
            ),
        )


ID_BLOCK = 10_000
_SWITCH_INTERVAL = 0.0005
_switch_lock = threading.Lock()
_switch_users = 0
_switch_saved = 0.0


@contextlib.contextmanager
def _quick_gil_handoff() -> Iterator[None]:
    """While a writer thread COPYs and this thread checks and builds rows, hand the interpreter
    lock over every 0.5 ms instead of every 5 ms: the writer needs it briefly after each buffer
    it sends, and otherwise waits up to 5 ms for it each time, which left the server idle (a
    100,000-row import took 27 s instead of 20 s). Process-wide, so counted across imports."""
    global _switch_users, _switch_saved
    with _switch_lock:
        if _switch_users == 0:
            _switch_saved = sys.getswitchinterval()
            sys.setswitchinterval(_SWITCH_INTERVAL)
        _switch_users += 1
    try:
        yield
    finally:
        with _switch_lock:
            _switch_users -= 1
            if _switch_users == 0:
                sys.setswitchinterval(_switch_saved)


class Registrar:
    """Registers new people chunk by chunk, as ``Registration`` builds them. Must run inside a
    transaction (the caller's); after it commits, ``on_person_changed`` hooks hear of everyone
    registered (``fields`` {"created"}).

    PostgreSQL: a writer thread COPYs each chunk on this transaction's own connection while the
    caller goes on (checking the next chunk of a file, or building the next rows): the server
    works while Python works. The writer holds ``lock`` around each chunk; a caller that queries
    the database meanwhile holds it around its queries, since a connection runs one statement
    at a time. Foreign keys are checked as each COPY ends (SET CONSTRAINTS ALL IMMEDIATE while
    registering) rather than all at COMMIT, so that work overlaps too. Ids are drawn from the
    sequence in blocks. Elsewhere (SQLite): each chunk is written at once with executemany.

    Use as a context manager: leaving it waits for the last chunk and raises a writer's error."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.reg = Registration(actor)
        self.lock = threading.Lock()
        self.postgres = connection.vendor == "postgresql"
        self.ids: list[int] = []
        self.registered: list[int] = []
        self.pending: Future[None] | None = None
        self.held: list[Table] | None = None
        self.writer: ThreadPoolExecutor | None = None
        self.cleanup = contextlib.ExitStack()

    def __enter__(self) -> Self:
        if not connection.in_atomic_block:
            raise RuntimeError("Registrar must run inside a transaction")
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.raw = connection.connection  # this transaction's psycopg connection (thread-safe)
            self.errors = connection.wrap_database_errors  # psycopg errors as Django's
            self.writer = self.cleanup.enter_context(
                ThreadPoolExecutor(max_workers=1, thread_name_prefix="people-copy")
            )
            self.cleanup.enter_context(_quick_gil_handoff())
        return self

    def __exit__(self, *exc_info: Any) -> None:
        error: BaseException | None = None
        try:
            self._wait()
            if exc_info[0] is None:
                self._submit_held()
                self._wait()
        except BaseException as exc:  # noqa: BLE001 - re-raised below, the writer's error first
            error = exc
        finally:
            self.cleanup.close()  # the lock hand-over restored, the writer thread gone
        if error is not None:
            raise error
        if self.postgres and exc_info[0] is None:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        if exc_info[0] is None:
            person_changed(person_ids=self.registered, fields={CREATED}, actor=self.actor)

    def add(self, people: Sequence[NewPerson]) -> None:
        """Register these people (their ``person_id`` is set)."""
        if not people:
            return
        reg = self.reg
        if any(p.skills for p in people):
            with self.lock:
                reg.load_trades()
        if not self.postgres:
            built = [reg.person(p) for p in people]
            ids = _insert_people_sqlite([row for row, _ in built])
            for table, columns, rows in self._dependents(people, built, ids):
                _insert_rows(table, columns, rows)
            return
        ids = self._take_ids(len(people))
        # The previous chunk goes to the writer only now, after the caller's lookups for this
        # chunk: a lookup waits for a running COPY, and this order leaves the writer the time
        # from here to the next chunk's lookups.
        self._wait()
        self._submit_held()
        built = [reg.person(p) for p in people]
        rows = [(pk, *row) for pk, (row, _) in zip(ids, built, strict=True)]
        self.held = [(Person._meta.db_table, PERSON_COLUMNS, rows), *self._dependents(people, built, ids)]

    def discard_unwritten(self) -> None:
        """The work was abandoned (the caller rolls back): the chunk not yet handed to the
        writer need not be written."""
        self.held = None

    def _dependents(
        self, people: Sequence[NewPerson], built: list[tuple[tuple[Any, ...], str]], ids: list[int]
    ) -> list[Table]:
        tables: dict[str, Table] = {}
        for new, (row, changes), pk in zip(people, built, ids, strict=True):
            new.person_id = pk
            for table, columns, rows in self.reg.dependents(pk, new, row[0], changes):
                tables.setdefault(table, (table, columns, []))[2].extend(rows)
        self.registered += ids
        return list(tables.values())

    def _submit_held(self) -> None:
        held, self.held = self.held, None
        if held is not None:
            assert self.writer is not None
            self.pending = self.writer.submit(self._copy, held)

    def _copy(self, tables: list[Table]) -> None:
        with self.lock, self.errors:
            _copy_chunk(self.raw, tables)

    def _wait(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.result()

    def _take_ids(self, count: int) -> list[int]:
        if len(self.ids) < count:
            table = Person._meta.db_table
            with self.lock, connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",  # noqa: S608
                    [max(count - len(self.ids), ID_BLOCK)],
                )
                self.ids += [r[0] for r in cursor.fetchall()]
        taken, self.ids = self.ids[:count], self.ids[count:]
        return taken


WRITE_CHUNK = 5000


def register_people(*, actor: Actor, people: Iterable[NewPerson], chunk: int = WRITE_CHUNK) -> list[int]:
    """Register checked people in one transaction, ``chunk`` at a time; returns their ids in
    order. Side effects: one ``people.person.created`` audit entry each; after commit, the
    ``on_person_changed`` hooks."""
    with transaction.atomic(), Registrar(actor) as registrar:
        part: list[NewPerson] = []
        for new in people:
            part.append(new)
            if len(part) >= chunk:
                registrar.add(part)
                part = []
        registrar.add(part)
    return registrar.registered


def _copy_chunk(raw: Any, tables: list[Table]) -> None:
    """COPY each (table, columns, rows) in turn, on the given psycopg connection."""
    with raw.cursor() as cursor:
        for table, columns, rows in tables:
            if rows:
                with cursor.copy(f"COPY {_copy_target(table, columns)} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)


def _copy_target(table: str, columns: list[str]) -> str:
    return f'"{table}" (' + ", ".join(f'"{c}"' for c in columns) + ")"


def _insert_people_sqlite(rows: list[tuple[Any, ...]]) -> list[int]:
    """Insert people (without ids) and return their ids in order: inside the transaction the
    database is locked for writing from the first insert, and AUTOINCREMENT numbers one
    statement's rows consecutively, so the ids end at last_insert_rowid()."""
    columns = PERSON_COLUMNS[1:]
    _insert_rows(Person._meta.db_table, columns, rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_insert_rowid()")
        last = cursor.fetchone()[0]
    return list(range(last - len(rows) + 1, last + 1))


def _insert_rows(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Many rows into one table with executemany (SQLite; PostgreSQL registers through COPY).
    JSON columns arrive as JSON text."""
    if not rows:
        return
    marks = ", ".join(["%s"] * len(columns))
    adapt = connection.ops.adapt_datetimefield_value
    rows = [
        tuple(adapt(v) if isinstance(v, dt.datetime) else v.isoformat() if isinstance(v, dt.date) else v for v in r)
        for r in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {_copy_target(table, columns)} VALUES ({marks})", rows)  # noqa: S608
