"""What a view of the goal catalogue asks for, as a value: search text, filters, sort.

A query travels in the URL (``?q=water&status=off_track&pillar=P1&sort=-shortfall``), so a link
reopens the same view. Reading one never fails: unknown keys, unknown statuses or frequencies,
over-long text and repeated values are dropped or cut, so a hostile or stale link shows the
catalogue, not an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

from delivery.vocabulary import Frequency, Status

MAX_TEXT = 200  # a search longer than this is cut
MAX_VALUES = 50  # values per filter kept from a URL
MAX_CODE = 60
# columns a view may sort on (the grid's own columns); "-" in front: descending
SORTABLE = ("code", "name", "pillar", "objective", "owner_code", "status", "frequency",
            "latest_value", "latest_period_end", "planned", "shortfall", "days_late", "unit")
LIST_FILTERS = ("pillar", "objective", "secretariat", "pact", "status", "frequency")
ALLOWED = {"status": {s.value for s in Status}, "frequency": {f.value for f in Frequency}}


@dataclass(frozen=True)
class GoalQuery:
    """A view of the catalogue. Empty filters keep every goal; ``late`` keeps the goals whose
    figure is overdue. Codes are matched exactly (pillar, objective, secretariat, pact)."""

    text: str = ""
    pillar: tuple[str, ...] = ()
    objective: tuple[str, ...] = ()
    secretariat: tuple[str, ...] = ()
    pact: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    frequency: tuple[str, ...] = ()
    late: bool = False
    sort: str = ""
    descending: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, str | Sequence[str] | None]) -> GoalQuery:
        """The query in ``params`` (a parsed query string, a dict of lists or single values)."""
        def values(key: str) -> list[str]:
            raw = params.get(key)
            if raw is None:
                return []
            items = [raw] if isinstance(raw, str) else list(raw)
            out: list[str] = []
            for item in items:
                for part in str(item).split(","):
                    part = part.strip()[:MAX_CODE]
                    if part and part not in out and "\x00" not in part:
                        out.append(part)
            return out[:MAX_VALUES]

        chosen = {}
        for key in LIST_FILTERS:
            kept = values(key)
            if key in ALLOWED:
                kept = [v for v in kept if v in ALLOWED[key]]
            chosen[key] = tuple(kept)
        text = " ".join(str(_first(params.get("q")) or "").split())[:MAX_TEXT]
        sort = str(_first(params.get("sort")) or "")
        descending = sort.startswith("-")
        sort = sort.lstrip("-")
        if sort not in SORTABLE:
            sort, descending = "", False
        late = str(_first(params.get("late")) or "").lower() in {"1", "true", "yes", "on"}
        return cls(text=text.replace("\x00", ""), late=late, sort=sort, descending=descending,
                   **chosen)

    @classmethod
    def from_search(cls, search: str | None) -> GoalQuery:
        """The query in a URL's search part (``?q=...``, with or without the ``?``)."""
        return cls.from_params(parse_qs((search or "").lstrip("?")[:8000]))

    def params(self) -> list[tuple[str, str]]:
        """The query as (key, value) pairs, only what differs from the empty query."""
        pairs: list[tuple[str, str]] = []
        if self.text:
            pairs.append(("q", self.text))
        for key in LIST_FILTERS:
            pairs.extend((key, v) for v in getattr(self, key))
        if self.late:
            pairs.append(("late", "1"))
        if self.sort:
            pairs.append(("sort", ("-" if self.descending else "") + self.sort))
        return pairs

    def search(self) -> str:
        """The query string of a link that reopens this view (``""`` for the empty view)."""
        pairs = self.params()
        return "?" + urlencode(pairs) if pairs else ""

    def is_empty(self) -> bool:
        return not self.params()

    def with_sort(self, column: str | None, descending: bool = False) -> GoalQuery:
        if column not in SORTABLE:
            return replace(self, sort="", descending=False)
        return replace(self, sort=column, descending=descending)


def _first(raw: str | Sequence[str] | None) -> str | None:
    if raw is None or isinstance(raw, str):
        return raw
    return raw[0] if raw else None


__all__ = ["SORTABLE", "GoalQuery"]
