"""Two people at once: one session's change, still uncommitted, while another session makes its
own on another thread; the database decides which one holds."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker


def while_first_is_open(factory: sessionmaker[Session], first: Callable[[Session], Any],
                        second: Callable[[Session], Any]) -> tuple[Any, Any, bool]:
    """Run ``first`` in one session; before it commits, run ``second`` in another session on
    another thread; then commit the first and let the second finish (each in its own
    transaction). Returns the first's result, the second's result or the exception it raised,
    and whether the second was still waiting when the first committed (the race was real)."""
    outcome: dict[str, Any] = {}

    def run_second() -> None:
        with factory() as session:
            try:
                with session.begin():
                    outcome["second"] = second(session)
            except Exception as exc:  # noqa: BLE001 - the caller judges what was raised
                outcome["second"] = exc

    with factory() as session:
        session.begin()
        mine = first(session)
        other = threading.Thread(target=run_second)
        other.start()
        other.join(timeout=1)  # now waiting on the first's uncommitted change
        waited = other.is_alive()
        session.commit()
        other.join(timeout=30)
    return mine, outcome["second"], waited
