"""Pooling across series: a break that happens at once in many related series (every state's
robberies in April 2020, a national change of counting rules) is one real event, shown once
with the series it touched, not a flag on each of them.

Related series are found from goal codes alone: codes with the same number of "/"-separated
parts that differ in exactly one part form a *family* (``SINESP/*/Roubo de veículo``: the same
crime in every state; ``SINESP/Ceará/*``: every crime in one state; ``ISP-RJ/*``). A break
(an outlier or a level shift) in at least POOL_MIN_SERIES members of a family, and in at least
POOL_MIN_SHARE of them, within POOL_SLACK periods and in the same direction, is a shared event;
the members' own findings there are folded into it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from delivery.i18n import _, formats
from delivery.quality.checks.base import LEVEL_SHIFT, OUTLIER, Finding, num

SHARED_BREAK = "shared_break"
POOLED_KINDS = (OUTLIER, LEVEL_SHIFT)
POOL_MIN_SERIES = 3
POOL_MIN_SHARE = 0.2
POOL_SLACK = 1  # periods either side


@dataclass(frozen=True)
class SharedEvent:
    """A break seen at once in many series of a family: when (the most common period among
    the members), the family pattern, and per member code its kind and change."""

    period_end: date
    family: str
    members: dict[str, dict]
    family_size: int

    def covers(self, code: str, finding: Finding) -> bool:
        """Whether ``finding`` on series ``code`` is part of this event."""
        return (finding.kind in POOLED_KINDS and in_family(code, self.family)
                and _near(finding.period_end, self.period_end)
                and _sign(finding) == self.direction)

    @property
    def direction(self) -> int:
        signs = [m["direction"] for m in self.members.values()]
        return max(set(signs), key=signs.count)

    def as_finding(self) -> Finding:
        """The event as one finding, for the flag that records it."""
        n = len(self.members)
        words = {"when": formats.month(self.period_end, long=True), "n": n,
                 "size": self.family_size, "family": self.family}
        reason = (_("In {when} {n} of the {size} related series ({family}) broke upwards at "
                    "once; a break shared this widely is a real event (or a change of counting "
                    "rules for all of them), recorded once here rather than as a flag on each "
                    "series.") if self.direction > 0 else
                  _("In {when} {n} of the {size} related series ({family}) broke downwards at "
                    "once; a break shared this widely is a real event (or a change of counting "
                    "rules for all of them), recorded once here rather than as a flag on each "
                    "series.")).format(**words)
        evidence = {"moved": "the level of many related series at once", "family": self.family,
                    "series": sorted(self.members), "members": self.members,
                    "family_size": self.family_size, "score": num(n / self.family_size),
                    "scale": "share of the family's series that broke within "
                             f"{POOL_SLACK} period(s) of each other"}
        return Finding(SHARED_BREAK, self.period_end, reason, evidence)


def families(codes: Iterable[str]) -> dict[str, list[str]]:
    """Family pattern -> member codes, for families of at least POOL_MIN_SERIES codes."""
    found: dict[str, list[str]] = defaultdict(list)
    for code in sorted(set(codes)):
        parts = code.split("/")
        if len(parts) < 2:
            continue
        for j in range(len(parts)):
            found["/".join(parts[:j] + ["*"] + parts[j + 1:])].append(code)
    return {key: members for key, members in found.items() if len(members) >= POOL_MIN_SERIES}


def in_family(code: str, family: str) -> bool:
    parts, pattern = code.split("/"), family.split("/")
    return len(parts) == len(pattern) and all(
        a == b or b == "*" for a, b in zip(parts, pattern, strict=True))


def shared_events(findings: Mapping[str, list[Finding]]) -> list[SharedEvent]:
    """The shared breaks among the findings of many series (code -> its findings); the codes
    given are the whole population (a series with no findings is a member that did not break).
    Each break joins at most one event per family (the earliest it fits)."""
    events = []
    for family, members in families(findings).items():
        breaks = [(code, f) for code in members for f in findings[code]
                  if f.kind in POOLED_KINDS]
        need = max(POOL_MIN_SERIES, POOL_MIN_SHARE * len(members))
        taken: set[tuple[str, date]] = set()
        months = sorted({_month(f.period_end) for _, f in breaks})
        for month in months:
            for direction in (-1, 1):
                hit = {code: f for code, f in breaks
                       if (code, f.period_end) not in taken and _sign(f) == direction
                       and abs(_month(f.period_end) - month) <= POOL_SLACK}
                if len(hit) < need:
                    continue
                ends = [f.period_end for f in hit.values()]
                at = max(set(ends), key=ends.count)
                events.append(SharedEvent(at, family, {
                    code: {"kind": f.kind, "period_end": f.period_end.isoformat(),
                           "change": f.evidence.get("change"), "direction": direction}
                    for code, f in sorted(hit.items())}, len(members)))
                taken |= {(code, f.period_end) for code, f in hit.items()}
    return events


def fold(code: str, findings: list[Finding], events: Iterable[SharedEvent]) -> list[Finding]:
    """``findings`` of series ``code`` without those that are part of a shared event."""
    events = list(events)
    return [f for f in findings if not any(e.covers(code, f) for e in events)]


def _month(day: date) -> int:
    return day.year * 12 + day.month


def _near(a: date, b: date) -> bool:
    return abs(_month(a) - _month(b)) <= POOL_SLACK


def _sign(finding: Finding) -> int:
    change = finding.evidence.get("change") or 0.0
    return 1 if change > 0 else -1
