"""Field encryption and keyed hashes."""

from __future__ import annotations

import base64

import pytest
from cryptography.exceptions import InvalidTag
from hypothesis import given
from hypothesis import strategies as st

from core.crypto import decrypt, encrypt, keyed_hash


@given(st.text(max_size=200))
def test_round_trip(plain: str) -> None:
    assert decrypt(encrypt(plain)) == plain


@given(st.text(min_size=1, max_size=50))
def test_ciphertext_differs_each_time(plain: str) -> None:
    first, second = encrypt(plain), encrypt(plain)
    assert first != second
    assert decrypt(first) == decrypt(second) == plain


@given(st.text(max_size=50), st.text(max_size=50))
def test_hash_is_stable_and_tells_values_apart(a: str, b: str) -> None:
    assert keyed_hash(a) == keyed_hash(a)
    assert len(keyed_hash(a)) == 64
    assert (keyed_hash(a) == keyed_hash(b)) is (a == b)


def test_empty_stays_empty() -> None:
    assert (encrypt(""), decrypt("")) == ("", "")


def test_tampered_ciphertext_is_refused() -> None:
    raw = bytearray(base64.b64decode(encrypt("330212196503120013")))
    raw[-1] ^= 1
    with pytest.raises(InvalidTag):
        decrypt(base64.b64encode(bytes(raw)).decode())


def test_hash_depends_on_the_key(settings: pytest.FixtureRequest) -> None:
    before = keyed_hash("330212196503120013")
    settings.FIELD_HASH_KEY = base64.b64encode(b"k" * 32).decode()  # type: ignore[attr-defined]
    assert keyed_hash("330212196503120013") != before
