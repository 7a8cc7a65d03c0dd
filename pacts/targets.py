"""Negotiated pact targets against the goal's own promise."""

from __future__ import annotations

from datetime import date

from delivery.i18n import _, formats

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
