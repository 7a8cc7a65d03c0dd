"""Data-quality and performance-paradox checks: figures that deserve doubt, with evidence.

- ``checks``: pure functions, one module per family, a series of figures in, ``Finding`` (kind,
  period, reason, evidence: what moved, by how much, how unusual, the expected band) out: late,
  missing, outlier, level shift, bunching at the plan, variance collapse, digit patterns,
  shadow divergence. ``check_all`` runs those that apply.
- ``pooling``: a break shared by many related series is one event listing them.
- ``flags``: the database side. ``run_checks`` raises ``DataQualityFlag`` rows (once per goal,
  kind and period), ``resolve_flag`` confirms or dismisses one (never deletes it).
- ``shadows``: which goals shadow which (data/quality/shadows.yaml).
- ``plant``, ``realseries`` and ``measure``: planting known manipulations into copies of real
  series, and measuring what the checks catch on a held-back half with seeds the tuning never
  saw (bench/quality_on_real_series.py; docs/data-quality.md).
"""

from delivery.quality.checks import KINDS, Finding, check_all
from delivery.quality.flags import flag_history, resolve_flag, run_checks
from delivery.quality.shadows import ShadowPairs, load_shadows

__all__ = [
    "KINDS",
    "Finding",
    "ShadowPairs",
    "check_all",
    "flag_history",
    "load_shadows",
    "resolve_flag",
    "run_checks",
]
