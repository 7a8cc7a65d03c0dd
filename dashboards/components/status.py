"""Status badges and bars: the same colours and words on every screen."""

from __future__ import annotations

from collections.abc import Mapping

from dash import html

from dashboards.theme import STATUS_COLOURS, STATUS_ORDER
from delivery.i18n import formats
from delivery.vocabulary import Status


def status_badge(status: str) -> html.Span:
    value = Status(status)
    return html.Span(
        value.label,
        className="status-badge",
        style={"backgroundColor": STATUS_COLOURS[value]},
        title=value.label,
    )


def status_bar(counts: Mapping[str, int], *, height: str = "10px") -> html.Div:
    """A thin bar split by status, worst first, with the counts as its tooltip."""
    total = sum(counts.values()) or 1
    segments = [
        html.Div(
            style={
                "width": f"{100 * counts.get(s.value, 0) / total:.2f}%",
                "backgroundColor": STATUS_COLOURS[s],
            },
            title=f"{s.label}: {formats.number(counts.get(s.value, 0), decimals=0)}",
        )
        for s in STATUS_ORDER
        if counts.get(s.value, 0)
    ]
    return html.Div(segments, className="status-bar", style={"height": height})


def status_counts_line(counts: Mapping[str, int]) -> html.Div:
    """``3 off track · 5 slipping · ...`` with each count in its status colour."""
    parts = []
    for s in STATUS_ORDER:
        n = counts.get(s.value, 0)
        parts.append(html.Span([html.Span("●", style={"color": STATUS_COLOURS[s]}),
                                f" {formats.number(n, decimals=0)} {s.counted(n)}"],
                               className="me-3 text-nowrap"))
    return html.Div(parts, className="small")
