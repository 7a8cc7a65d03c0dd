"""Helpers for the import tests: the shipped mappings, small files written on the fly, and
what the database holds afterwards."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from delivery.models import Figure, Goal

MAPPINGS = Path(__file__).resolve().parents[2] / "data" / "mappings"
EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"


@pytest.fixture
def mappings() -> Path:
    return MAPPINGS


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write(name, text, encoding="utf-8") -> the path of a new file in tmp_path."""

    def _write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return _write


@pytest.fixture
def count() -> Callable[[Session, type], int]:
    def _count(session: Session, model: type) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    return _count


@pytest.fixture
def revisions_of() -> Callable[[Session, str, date], list[Figure]]:
    """Every revision of one goal's figure for the period starting on the given day."""

    def _revisions(session: Session, code: str, start: date) -> list[Figure]:
        query = (
            select(Figure)
            .join(Goal, Goal.id == Figure.goal_id)
            .where(Goal.code == code, Figure.period_start == start)
            .order_by(Figure.revision)
        )
        return list(session.scalars(query))

    return _revisions
