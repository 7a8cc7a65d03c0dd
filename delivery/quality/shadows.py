"""Which goals shadow which: read from data/quality/shadows.yaml (goal code -> shadow codes,
with ``{placeholders}`` standing for one "/"-separated part of a code).

Kept in a file rather than a table so that adding a pairing needs no migration; the pairing
used for a flag is copied into the flag's evidence, so history does not depend on the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

SHADOWS_FILE = Path(__file__).resolve().parents[2] / "data" / "quality" / "shadows.yaml"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class ShadowPairs:
    """Rules ``(pattern, shadow templates)``; ``shadows_of(code)`` applies them."""

    rules: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = ()

    def shadows_of(self, code: str) -> list[str]:
        """The shadow goal codes of ``code``, in file order, without repeats."""
        found: list[str] = []
        for pattern, templates in self.rules:
            match = pattern.fullmatch(code)
            if match:
                found += [t.format(**match.groupdict()) for t in templates]
        return list(dict.fromkeys(s for s in found if s != code))

    def peers_of(self, code: str, shadow: str, codes: Iterable[str]) -> list[tuple[str, str]]:
        """The same pair elsewhere: ``(target, its shadow)`` among ``codes`` where the target
        differs from ``code`` in the one "/"-separated part in which the shadow carries the
        same value (``SINESP/Acre/Homicídio doloso`` with ``SINESP/Acre/Lesão ...``: every
        other state's homicides with that state's bodily harm followed by death)."""
        parts, other = code.split("/"), shadow.split("/")
        known = set(codes)
        found = []
        if len(parts) != len(other):
            return found
        for j, part in enumerate(parts):
            if other[j] != part:
                continue
            for candidate in sorted(known):
                cparts = candidate.split("/")
                if (candidate == code or len(cparts) != len(parts)
                        or any(a != b for k, (a, b) in enumerate(zip(cparts, parts, strict=True))
                               if k != j)):
                    continue
                twin = "/".join(other[:j] + [cparts[j]] + other[j + 1:])
                if twin in known and twin in self.shadows_of(candidate):
                    found.append((candidate, twin))
        return found


def pairs_from_mapping(mapping: Mapping[str, Iterable[str]]) -> ShadowPairs:
    """Rules from ``{target code or pattern: [shadow code or template, ...]}``.

    Raises ValueError when a shadow template uses a placeholder its key does not define.
    """
    rules = []
    for key, shadows in mapping.items():
        names = set(_PLACEHOLDER.findall(key))
        templates = tuple(str(s) for s in ([shadows] if isinstance(shadows, str) else shadows))
        for template in templates:
            unknown = set(_PLACEHOLDER.findall(template)) - names
            if unknown:
                raise ValueError(f"shadow {template!r} of {key!r} uses {sorted(unknown)}, "
                                 "which the goal code does not define")
        rules.append((_pattern(key), templates))
    return ShadowPairs(tuple(rules))


def load_shadows(path: Path | str = SHADOWS_FILE) -> ShadowPairs:
    """The pairing in a YAML file (none if the file does not exist)."""
    path = Path(path)
    if not path.exists():
        return ShadowPairs()
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of goal code to shadow goal codes")
    return pairs_from_mapping(data)


def _pattern(key: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(key)
    # split gives literal, name, literal, name, ...: literals escaped, names as groups
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)"
                    for i, part in enumerate(parts))
    return re.compile(regex)
