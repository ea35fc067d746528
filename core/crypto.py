"""Field encryption (AES-256-GCM) and keyed hashes (HMAC-SHA256) for ID and bank numbers; the
same key seals files kept at rest (health reports).

The ciphertext column is useless without the key; the hash column gives uniqueness and exact
lookup without decrypting. Keys come from settings (see laomo/settings.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_VERSION = b"\x01"


@lru_cache(maxsize=4)
def _aead(key_b64: str) -> AESGCM:
    key = base64.b64decode(key_b64)
    if len(key) != 32:
        raise ValueError("FIELD_ENCRYPTION_KEY must be 32 bytes, base64-encoded")
    return AESGCM(key)


def encrypt(plain: str) -> str:
    if plain == "":
        return ""
    nonce = os.urandom(12)
    sealed = _aead(settings.FIELD_ENCRYPTION_KEY).encrypt(nonce, plain.encode(), _VERSION)
    return base64.b64encode(_VERSION + nonce + sealed).decode()


def decrypt(token: str) -> str:
    if token == "":
        return ""
    raw = base64.b64decode(token)
    if raw[:1] != _VERSION:
        raise ValueError("unknown ciphertext version")
    return _aead(settings.FIELD_ENCRYPTION_KEY).decrypt(raw[1:13], raw[13:], _VERSION).decode()


#: Marks a sealed file (and is its associated data): a file without it was stored before sealing.
FILE_MAGIC = b"LAOMO-SEALED-1\n"


def encrypt_bytes(plain: bytes) -> bytes:
    """A file's content sealed with the field key (AES-256-GCM): magic, nonce, ciphertext."""
    nonce = os.urandom(12)
    return FILE_MAGIC + nonce + _aead(settings.FIELD_ENCRYPTION_KEY).encrypt(nonce, plain, FILE_MAGIC)


def is_sealed(data: bytes) -> bool:
    return data.startswith(FILE_MAGIC)


def decrypt_bytes(sealed: bytes) -> bytes:
    """The content ``encrypt_bytes`` sealed; raises ``ValueError`` on anything else and
    ``cryptography.exceptions.InvalidTag`` when it was altered."""
    if not is_sealed(sealed):
        raise ValueError("not a sealed file")
    body = sealed[len(FILE_MAGIC) :]
    return _aead(settings.FIELD_ENCRYPTION_KEY).decrypt(body[:12], body[12:], FILE_MAGIC)


def keyed_hash(value: str) -> str:
    key = base64.b64decode(settings.FIELD_HASH_KEY)
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()
