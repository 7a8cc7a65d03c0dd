"""``Idempotency-Key``: a write sent again with the same key (by the same token) gets the
first answer back and writes nothing. The key and the answer are stored in the transaction of
the write itself, so either both are stored or neither; of two identical requests racing, the
unique (token, key) lets one write and the other read its answer."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.i18n import _
from delivery.models import ApiIdempotencyKey

MAX_KEY = 200


class KeyMisused(ValueError):
    """The key was used before for a different request (or is not a usable key)."""


@dataclass(frozen=True)
class Stored:
    status: int
    body: Any


def request_hash(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY or not key.isprintable():
        raise KeyMisused(_("Idempotency-Key: 1 to {n} printable characters").format(n=MAX_KEY))
    return key


def replay(session: Session, token_id: int, key: str, digest: str) -> Stored | None:
    """The stored answer to ``key``, or None when it is new; KeyMisused when the key was used
    for a different request."""
    row = session.scalar(select(ApiIdempotencyKey).where(ApiIdempotencyKey.token_id == token_id,
                                                         ApiIdempotencyKey.key == key))
    if row is None:
        return None
    if row.request_hash != digest:
        raise KeyMisused(_("Idempotency-Key: already used for a different request; use a new "
                           "key for a new push"))
    return Stored(row.status, row.body)


def remember(session: Session, token_id: int, key: str, digest: str, status: int,
             body: Any) -> None:
    """Store the answer (flushed: a racing twin fails here, on the unique key)."""
    session.add(ApiIdempotencyKey(token_id=token_id, key=key, request_hash=digest,
                                  status=status, body=body))
    session.flush()
