"""Plausibility rules: what a figure must be to be stored, on every way in.

- ``rules``: each goal's rules (defaults from its unit, overrides in ``goal_rule``).
- ``check``: ``check_figures`` (whole columns) and ``admit_figure`` (one typed figure), the
  single check every path calls before it stores a figure.
- ``flags``: after a write, the ``implausible`` flag on figures stored with a warning, and the
  data-quality checks on the goals written.
- ``store``: checking, storing and flagging a frame of figures in one call.
"""

from delivery.plausibility.check import (
    FigureRefused,
    admit_figure,
    admit_figures,
    check_figures,
    field_label,
)
from delivery.plausibility.flags import IMPLAUSIBLE, check_written, flag_implausible
from delivery.plausibility.rules import (
    RULE_FIELDS,
    Rules,
    UnitKind,
    read_rule_changes,
    rules_for,
    set_rules,
    unit_kind,
)

__all__ = [
    "IMPLAUSIBLE",
    "RULE_FIELDS",
    "FigureRefused",
    "Rules",
    "UnitKind",
    "admit_figure",
    "admit_figures",
    "check_figures",
    "check_written",
    "field_label",
    "flag_implausible",
    "read_rule_changes",
    "rules_for",
    "set_rules",
    "unit_kind",
]
