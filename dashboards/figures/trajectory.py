"""Trajectory against target: the aggregate progress of a group of goals (small multiples for the
review, a full chart for a pillar or objective) and one goal's figures against its current and
original trajectories, target and forecast band. Pure: data in, ``go.Figure`` out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from urllib.parse import quote

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboards.theme import STATUS_COLOURS
from delivery.i18n import _, formats
from delivery.vocabulary import Status

INK, PLAN, ORIGINAL, GRID = "#14213d", "#8c959f", "#c4c9cf", "#eaecef"
DOUBT = "#b45309"  # a data-quality flag: its expected band and the flagged period
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', sans-serif", "size": 12,
        "color": "#1f2328"}


def _base(height: int, *, margin: dict | None = None, legend: bool = False) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(
        height=height, margin=margin or {"l": 48, "r": 16, "t": 8, "b": 32},
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", font=FONT,
        showlegend=legend, hovermode="x unified", separators=formats.separators(),
        legend={"orientation": "h", "y": -0.18, "x": 0, "font": {"size": 11}},
    )
    figure.update_xaxes(showgrid=False, linecolor=GRID, ticks="outside", tickcolor=GRID)
    figure.update_yaxes(gridcolor=GRID, zeroline=False, separatethousands=True)
    return figure


def progress_figure(series: pd.DataFrame, *, status: str | None = None,
                    compact: bool = False) -> go.Figure:
    """Mean progress toward target (share of the promised change) against the plan, with the
    target at 100%. ``series``: on, actual, planned (shares). ``compact``: a sparkline."""
    return go.Figure(progress_spec(series, status=status, compact=compact))


def progress_spec(series: pd.DataFrame, *, status: str | None = None,
                  compact: bool = False) -> dict:
    """``progress_figure`` as the plain dict a ``dcc.Graph`` is sent, unvalidated: the review
    draws one per pillar on every load, and building and serialising plotly's objects costs
    more than the rest of the page. Dates are ISO text and values plain floats."""
    colour = STATUS_COLOURS[Status(status)] if status else INK
    layout = _plain_layout(96 if compact else 320, legend=not compact,
                           margin={"l": 4, "r": 4, "t": 4, "b": 4} if compact else None)
    if series.empty:
        layout["annotations"] = [{"text": _("No figures yet"), "showarrow": False,
                                  "font": {"color": PLAN}}]
        layout["xaxis"]["visible"] = layout["yaxis"]["visible"] = False
        return {"data": [], "layout": layout}
    percent = "%{y:.0%}"
    actual = series["actual"].to_numpy(dtype=float)
    planned = series["planned"].to_numpy(dtype=float)
    layout["shapes"] = [{"type": "line", "xref": "x domain", "yref": "y", "x0": 0, "x1": 1,
                         "y0": 1, "y1": 1,
                         "line": {"color": PLAN, "width": 1, "dash": "dot"}}]
    if not compact:
        layout["annotations"] = [{"text": _("target"), "xref": "x domain", "yref": "y", "x": 0,
                                  "y": 1, "xanchor": "left", "yanchor": "bottom",
                                  "showarrow": False, "font": {"color": PLAN}}]
    values = np.concatenate([actual, planned])
    layout["yaxis"].update(range=[min(0.0, float(np.nanmin(values)) - 0.05),
                                  max(1.05, float(np.nanmax(values)) + 0.05)],
                           tickformat=".0%", visible=not compact)
    layout["xaxis"]["visible"] = not compact
    days = pd.to_datetime(series["on"]).to_numpy().astype("datetime64[D]").astype(str).tolist()
    return {"data": [
        {"type": "scatter", "x": days, "y": _plain(planned),
         "name": _("planned"), "mode": "lines",
         "line": {"color": PLAN, "width": 1.5, "dash": "dash"}, "hovertemplate": percent},
        {"type": "scatter", "x": days, "y": _plain(actual),
         "name": _("achieved"), "mode": "lines" if compact else "lines+markers",
         "line": {"color": colour, "width": 2.5 if compact else 3},
         "hovertemplate": percent},
    ], "layout": layout}


SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 240, 96, 4


def sparkline_svg(series: pd.DataFrame, *, status: str | None = None) -> str:
    """``progress_spec(series, compact=True)`` drawn on the server as SVG markup: the review
    shows one per pillar, and as plain SVG they need no plotly.js in the browser (nor a
    component each, nor a chart laid out after the page arrives). Same lines, colours and
    scale: achieved against planned (dashed), the target (100%) dotted; a gap where a month
    has no figure."""
    width, height, pad = SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" preserveAspectRatio="none">')
    if series.empty:
        return (f'{head}<text x="{width / 2}" y="{height / 2}" text-anchor="middle" '
                f'dominant-baseline="middle" font-family="system-ui, sans-serif" '
                f'font-size="12" fill="{PLAN}">{escape(_("No figures yet"))}</text></svg>')
    actual = series["actual"].to_numpy(dtype=float)
    planned = series["planned"].to_numpy(dtype=float)
    values = np.concatenate([actual, planned])
    low = min(0.0, float(np.nanmin(values)) - 0.05) if not np.isnan(values).all() else 0.0
    high = max(1.05, float(np.nanmax(values)) + 0.05) if not np.isnan(values).all() else 1.05
    xs = np.linspace(pad, width - pad, len(series)) if len(series) > 1 else np.array(
        [width / 2])

    def y(value: float) -> float:
        return pad + (high - value) / (high - low) * (height - 2 * pad)

    def path(ys: np.ndarray) -> str:
        moves, pen = [], "M"
        for x, v in zip(xs, ys, strict=True):
            if np.isnan(v):
                pen = "M"
                continue
            moves.append(f"{pen}{x:.1f},{y(v):.1f}")
            pen = "L"
        return " ".join(moves)

    colour = STATUS_COLOURS[Status(status)] if status else INK
    target = y(1.0)
    return (f'{head}<line x1="0" x2="{width}" y1="{target:.1f}" y2="{target:.1f}" '
            f'stroke="{PLAN}" stroke-width="1" stroke-dasharray="1 3"/>'
            f'<path d="{path(planned)}" fill="none" stroke="{PLAN}" stroke-width="1.5" '
            f'stroke-dasharray="6 4" vector-effect="non-scaling-stroke"/>'
            f'<path d="{path(actual)}" fill="none" stroke="{colour}" stroke-width="2.5" '
            f'stroke-linejoin="round" vector-effect="non-scaling-stroke"/></svg>')


def svg_data_uri(svg: str) -> str:
    """SVG markup as an image address (for an ``<img>``: no component per drawing)."""
    return "data:image/svg+xml;charset=utf-8," + quote(svg, safe="=:,/.-")


def _plain(values: np.ndarray) -> list[float | None]:
    """Floats as JSON has them: a gap is null, not NaN."""
    return [None if np.isnan(v) else v for v in values.tolist()]


def _plain_layout(height: int, *, margin: dict | None = None, legend: bool = False) -> dict:
    """``_base``'s layout as a plain dict."""
    return {
        "height": height, "margin": margin or {"l": 48, "r": 16, "t": 8, "b": 32},
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)", "font": FONT,
        "showlegend": legend, "hovermode": "x unified", "separators": formats.separators(),
        "legend": {"orientation": "h", "y": -0.18, "x": 0, "font": {"size": 11}},
        "xaxis": {"showgrid": False, "linecolor": GRID, "ticks": "outside", "tickcolor": GRID},
        "yaxis": {"gridcolor": GRID, "zeroline": False, "separatethousands": True},
    }


@dataclass(frozen=True)
class GoalChart:
    """What one goal's chart shows. Frames have columns on, value (``figures`` also
    ``provisional``); ``original`` is empty when the promise was never re-planned."""

    unit: str
    status: str
    figures: pd.DataFrame
    current: pd.DataFrame
    original: pd.DataFrame
    target_date: date
    target_value: float | None
    target_low: float | None = None
    target_high: float | None = None
    forecast_value: float | None = None
    forecast_low: float | None = None
    forecast_high: float | None = None
    flag_bands: tuple[FlagBand, ...] = ()


@dataclass(frozen=True)
class FlagBand:
    """An open data-quality flag drawn on the chart: the period it is about and the band the
    check expected the figures in (a flag's ``evidence["band"]``: periods, expected, low,
    high)."""

    kind: str
    period_end: date
    band: dict


def goal_figure(chart: GoalChart) -> go.Figure:
    """Figures against the current trajectory and the original promise, the target and the
    forecast to the deadline with its 80% band, and for each open data-quality flag the band
    its check expected the figures in."""
    figure = _base(380, legend=True)
    if not chart.original.empty:
        figure.add_trace(go.Scatter(x=chart.original["on"], y=chart.original["value"],
                                    name=_("original promise"), mode="lines",
                                    line={"color": ORIGINAL, "width": 2, "dash": "dot"}))
    if not chart.current.empty:
        figure.add_trace(go.Scatter(x=chart.current["on"], y=chart.current["value"],
                                    name=_("trajectory in force"), mode="lines",
                                    line={"color": PLAN, "width": 2, "dash": "dash"}))
    _add_forecast(figure, chart)
    for flag in chart.flag_bands:
        _add_flag_band(figure, flag)
    if not chart.figures.empty:
        colour = STATUS_COLOURS[Status(chart.status)]
        provisional = chart.figures.get("provisional", pd.Series(False, index=chart.figures.index))
        figure.add_trace(go.Scatter(
            x=chart.figures["on"], y=chart.figures["value"], name=_("figures"),
            mode="lines+markers",
            line={"color": colour, "width": 2.5},
            marker={"size": 6, "color": ["#fff" if p else colour for p in provisional],
                    "line": {"color": colour, "width": 1.5}}))
    _add_target(figure, chart)
    figure.update_yaxes(title={"text": chart.unit, "font": {"size": 11}} if chart.unit else None)
    return figure


def _add_forecast(figure: go.Figure, chart: GoalChart) -> None:
    if chart.forecast_value is None or chart.figures.empty:
        return
    last = chart.figures.iloc[-1]
    xs = [last["on"], chart.target_date]
    if chart.forecast_low is not None and chart.forecast_high is not None:
        figure.add_trace(go.Scatter(
            x=[*xs, chart.target_date, last["on"]],
            y=[last["value"], chart.forecast_high, chart.forecast_low, last["value"]],
            fill="toself", fillcolor="rgba(20,33,61,0.08)", line={"width": 0}, mode="lines",
            name=_("forecast 80% range"), hoverinfo="skip"))
    figure.add_trace(go.Scatter(x=xs, y=[last["value"], chart.forecast_value], name=_("forecast"),
                                mode="lines+markers",
                                line={"color": INK, "width": 1.5, "dash": "dashdot"},
                                marker={"size": [0, 7]}))


def _add_flag_band(figure: go.Figure, flag: FlagBand) -> None:
    """The band the check expected, shaded, with a ring on the flagged period."""
    periods = pd.to_datetime(flag.band.get("periods", []))
    low, high = flag.band.get("low", []), flag.band.get("high", [])
    if len(periods) == 0 or len(low) != len(periods) or len(high) != len(periods):
        return
    name = f"expected ({flag.kind.replace('_', ' ')})"
    figure.add_trace(go.Scatter(
        x=[*periods, *periods[::-1]], y=[*high, *low[::-1]], fill="toself",
        fillcolor="rgba(180,83,9,0.10)", line={"width": 0}, mode="lines", name=name,
        hoverinfo="skip"))
    figure.add_vline(x=pd.Timestamp(flag.period_end), line={"color": DOUBT, "width": 1,
                                                             "dash": "dot"})


def _add_target(figure: go.Figure, chart: GoalChart) -> None:
    if chart.target_low is not None and chart.target_high is not None:
        figure.add_hrect(y0=chart.target_low, y1=chart.target_high, line_width=0,
                         fillcolor=STATUS_COLOURS[Status.ON_TRACK], opacity=0.08)
    if chart.target_value is not None:
        figure.add_trace(go.Scatter(x=[chart.target_date], y=[chart.target_value], name=_("target"),
                                    mode="markers", marker={"symbol": "star", "size": 14,
                                                            "color": INK}))
