"""The demo's description (data/demo/government.yaml) read and expanded into one plan per goal.

Everything random is drawn from a generator seeded by the file's seed and the name of what is
drawn, so each goal's numbers depend only on its own code: the demo is the same on every load.
"""

from __future__ import annotations

import zlib
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from delivery.i18n import current_locale
from delivery.vocabulary import Direction, Frequency, Shape

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DEMO_DIR = DATA_DIR / "demo"
PERFORMANCES = ("on_track", "slipping", "off_track", "late")
TEMPLATE_KEYS = {
    "code", "name", "objective", "owner", "indicator", "unit", "direction", "frequency",
    "baseline", "baseline_date", "target", "target_date", "band", "shape", "milestones",
    "absolute", "renegotiate", "regions", "measure", "decimals", "clip", "tolerance", "public",
    "output", "cumulative", "provisional", "performance",
}


# The keys whose texts are the government's own names and words, given in each language by
# data/demo/names.<language>.yaml (English, government.yaml's own, needs none).
# The minutes' words (agenda topics, notes, decisions, reasons) and the people invited too.
NAMED_KEYS = frozenset({"name", "title", "description", "indicator", "unit", "source", "agenda",
                        "notes", "note", "decisions", "reason", "reasons", "rationale",
                        "attendees", "absent", "invited", "display_name"})


def _yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def read_government(path: Path = DEMO_DIR / "government.yaml", *,
                    language: str | None = None) -> dict[str, Any]:
    """The demo's description, its names in ``language`` (default: the current locale, which
    the CLI sets from DELIVERY_LANGUAGE) where ``names.<language>.yaml`` gives them. The
    numbers never change with the language. ``templates`` holds the sentences the loader
    composes itself, in that language."""
    gov = _yaml(path)
    names = path.parent / f"names.{language or current_locale()}.yaml"
    words = _yaml(names) if names.exists() else {}
    gov["templates"] = words.get("templates", {})
    return _named(gov, _folded(words.get("texts", {})))


def demo_texts(language: str | None = None) -> dict[str, str]:
    """The demo's own texts in ``language`` (default: the current locale), by their English
    (whitespace folded); empty for English."""
    names = DEMO_DIR / f"names.{language or current_locale()}.yaml"
    return _folded(_yaml(names).get("texts", {})) if names.exists() else {}


def _folded(texts: dict[str, str]) -> dict[str, str]:
    """Keys with their whitespace folded: a long text wraps over lines in the YAML files."""
    return {" ".join(str(k).split()): v for k, v in texts.items()}


def _named(value: Any, texts: dict[str, str], key: str | None = None,
           keys: Collection[str] = NAMED_KEYS) -> Any:
    """``value`` with the texts under ``keys`` replaced by their translation in ``texts``."""
    if isinstance(value, dict):
        return {k: _named(v, texts, k, keys) for k, v in value.items()}
    if isinstance(value, list):
        return [_named(v, texts, key, keys) for v in value]
    if isinstance(value, str) and key in keys:
        return texts.get(" ".join(value.split()), value)
    return value


def template(gov: dict[str, Any], text: str) -> str:
    """A sentence the loader composes (``"{name} in Pernambuco"``) in the demo's language."""
    return gov.get("templates", {}).get(text, text)


def reporter(secretariat_code: str) -> str:
    """Who reports a secretariat's figures: its Management-for-Results centre."""
    return f"results-centre-{secretariat_code.lower()}"


def rng_for(seed: int, name: str) -> np.random.Generator:
    """A generator for one named thing: the same name always draws the same numbers."""
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


@dataclass
class GoalPlan:
    """One goal to create, with how its figures should behave up to the review date."""

    code: str
    template: str
    name: str
    objective: str
    owner: str
    indicator: str
    unit: str
    direction: Direction
    frequency: Frequency
    baseline: float
    baseline_date: date
    target: float
    target_date: date
    shape: Shape
    performance: str
    decimals: int = 1
    band: tuple[float, float] | None = None
    tolerance: tuple[float, float] = (0.05, 0.15)
    is_public: bool = False
    is_output: bool = False
    provisional: bool = False
    cumulative: bool = False
    clip: tuple[float, float] = (0.0, float("inf"))
    milestones: list[tuple[date, float]] = field(default_factory=list)  # hand-set, inner only
    renegotiate: dict[str, Any] | None = None


def expand_goals(gov: dict[str, Any]) -> list[GoalPlan]:
    """Every synthetic goal of the demo, in file order, regional templates expanded."""
    plans = []
    for template in gov["goals"]:
        regions = template.get("regions")
        if regions is None:
            plans.append(_plan(gov, template, None))
            continue
        codes = list(gov["regions"]) if regions == "all" else regions
        plans.extend(_plan(gov, template, code) for code in codes)
    return plans


def _plan(gov: dict[str, Any], t: dict[str, Any], region: str | None) -> GoalPlan:
    unknown = set(t) - TEMPLATE_KEYS  # e.g. an unquoted comma in a flow mapping
    if unknown:
        raise ValueError(f"goal template {t.get('code')}: unknown keys {sorted(unknown)}")
    code = f"{t['code']}-{region}" if region else t["code"]
    rng = rng_for(gov["seed"], code)
    baseline, target = _regional_values(gov, t, region, rng)
    band = tuple(t["band"]) if "band" in t else None
    if band is not None:
        target = (band[0] + band[1]) / 2
    tolerance = tuple(t.get("tolerance", (0.05, 0.15)))
    return GoalPlan(
        code=code,
        template=t["code"],
        name=t["name"].format(region=gov["regions"][region]["name"] if region else ""),
        objective=t["objective"],
        owner=t["owner"],
        indicator=t["indicator"],
        unit=t["unit"],
        direction=Direction(t["direction"]),
        frequency=Frequency(t["frequency"]),
        baseline=baseline,
        baseline_date=t.get("baseline_date", gov["baseline_date"]),
        target=target,
        target_date=t["target_date"],
        shape=Shape(t["shape"]),
        performance=_performance(gov, t, region, rng),
        decimals=t.get("decimals", 1),
        band=band,  # type: ignore[arg-type]
        tolerance=tolerance,  # type: ignore[arg-type]
        is_public=t.get("public", False),
        is_output=t.get("output", False),
        provisional=t.get("provisional", False),
        cumulative=t.get("cumulative", False),
        clip=tuple(t.get("clip", (0.0, float("inf")))),  # type: ignore[arg-type]
        milestones=_hand_set(t, baseline, target),
        renegotiate=t.get("renegotiate"),
    )


def _regional_values(
    gov: dict[str, Any], t: dict[str, Any], region: str | None, rng: np.random.Generator
) -> tuple[float, float]:
    """State-wide baseline and target, split by population (counts) or varied a little (rates)."""
    baseline, target = float(t["baseline"]), float(t.get("target", t["baseline"]))
    if region is None:
        return baseline, target
    if t.get("measure", "rate") == "count":
        share, decimals = gov["regions"][region]["share"], t.get("decimals", 1)
        return round(baseline * share, decimals), round(target * share, decimals)
    low, high = t.get("clip", (0.0, float("inf")))
    regional = float(np.clip(baseline * (1 + rng.uniform(-0.1, 0.1)), low, high))
    change = (target - baseline) * rng.uniform(0.8, 1.2)
    decimals = t.get("decimals", 1)
    return round(regional, decimals), round(float(np.clip(regional + change, low, high)), decimals)


def _performance(gov: dict[str, Any], t: dict[str, Any], region: str | None,
                 rng: np.random.Generator) -> str:
    """As the template says (for all its regions, or by region), else drawn from the mix."""
    fixed = t.get("performance")
    if isinstance(fixed, dict):
        fixed = fixed.get(region)
    if fixed is not None:
        return str(fixed)
    weights = np.array([gov["performance_mix"][p] for p in PERFORMANCES], dtype=float)
    return str(rng.choice(PERFORMANCES, p=weights / weights.sum()))


def _hand_set(t: dict[str, Any], baseline: float, target: float) -> list[tuple[date, float]]:
    """Hand-set inner milestones: absolute values, or shares of the way to the target."""
    points = t.get("milestones", [])
    if t.get("absolute"):
        return [(d, float(v)) for d, v in points]
    return [(d, baseline + float(f) * (target - baseline)) for d, f in points]
