"""Negotiated pact targets against the goal's own promise and against what is possible."""

from __future__ import annotations

from datetime import date

from delivery.i18n import _, formats
from delivery.plausibility.check import KIND_NAMES
from delivery.plausibility.rules import Rules, UnitKind

# Differences smaller than this share of the target are float noise, not a looser target.
SLACK = 1e-9


def looser_terms(
    direction: str,
    own_value: float | None,
    own_date: date | None,
    negotiated_value: float | None,
    negotiated_date: date | None,
    *,
    own_low: float | None = None,
    own_high: float | None = None,
) -> list[str]:
    """How a pact's negotiated target asks for less than the goal's own target: a value on
    the wrong side of it (for a range goal: outside its band) and/or a later deadline.
    An empty list means the pact is at least as demanding. Missing values are not compared.
    """
    terms = []
    if negotiated_value is not None and _weaker(direction, own_value, negotiated_value,
                                                own_low, own_high):
        negotiated = formats.number(negotiated_value)
        terms.append(
            _("target {negotiated} instead of the band {low} to {high}").format(
                negotiated=negotiated, low=formats.number(own_low), high=formats.number(own_high))
            if direction == "range" else
            _("target {negotiated} instead of {own}").format(negotiated=negotiated,
                                                             own=formats.number(own_value)))
    if negotiated_date and own_date and negotiated_date > own_date:
        terms.append(_("deadline {negotiated} instead of {own}").format(
            negotiated=formats.day(negotiated_date), own=formats.day(own_date)))
    return terms


def _weaker(direction: str, own: float | None, negotiated: float,
            low: float | None, high: float | None) -> bool:
    if direction == "range":
        if low is None or high is None:
            return False
        slack = SLACK * max(abs(low), abs(high), 1.0)
        return negotiated < low - slack or negotiated > high + slack
    if own is None:
        return False
    slack = SLACK * max(abs(own), 1.0)
    if direction == "up":
        return negotiated < own - slack
    if direction == "down":
        return negotiated > own + slack
    raise ValueError(f"unknown direction {direction!r}")


def impossible_terms(rules: Rules, negotiated_value: float | None) -> list[str]:
    """Why a negotiated target cannot be reached at all: a value the goal's plausibility rules
    (``delivery.plausibility``: its unit's bounds and the analysts' plausible range) would
    refuse or question as a figure. An empty list means it is possible."""
    if negotiated_value is None:
        return []
    value, problems = float(negotiated_value), []

    def shown(x: float) -> str:
        return formats.number(x, up_to=2)

    if value < 0 and not rules.allow_negative:
        problems.append(_("target {value} is negative, which {kind} cannot be").format(
            value=shown(value), kind=KIND_NAMES.get(rules.kind, rules.kind)))
    if rules.kind is UnitKind.PERCENTAGE and value > 100 and not rules.allow_over_100:
        problems.append(_("target {value}% is over 100%, which a percentage cannot be").format(
            value=shown(value)))
    if rules.min_plausible is not None and value < rules.min_plausible:
        problems.append(_("target {value} is below the plausible minimum {bound}").format(
            value=shown(value), bound=shown(rules.min_plausible)))
    if rules.max_plausible is not None and value > rules.max_plausible:
        problems.append(_("target {value} is above the plausible maximum {bound}").format(
            value=shown(value), bound=shown(rules.max_plausible)))
    return problems
