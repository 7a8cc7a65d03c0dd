"""Delivery-plan charts: the milestones' Gantt (baseline against forecast against actual), the
physical against financial curve, and the risks' heat map. Pure: frames in, ``go.Figure`` out.

Status is never told by colour alone: each milestone status has its own marker symbol too.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from dashboards.figures.trajectory import FONT, GRID, INK, PLAN
from delivery.i18n import _, formats
from delivery.plans.vocabulary import MilestoneStatus

MILESTONE_STYLE: dict[str, tuple[str, str, str]] = {  # status -> colour, plotly symbol, glyph
    MilestoneStatus.DONE_ON_TIME.value: ("#1a7f37", "circle", "●"),
    MilestoneStatus.NOT_DUE.value: ("#57606a", "circle-open", "○"),
    MilestoneStatus.DUE.value: ("#0969da", "square", "■"),
    MilestoneStatus.DONE_LATE.value: ("#8250df", "circle-x", "⊗"),
    MilestoneStatus.AT_RISK.value: ("#b45309", "triangle-up", "▲"),
    MilestoneStatus.LATE.value: ("#cf222e", "diamond", "◆"),
}
MONEY, WORK = "#b45309", INK


def _layout(figure: go.Figure, height: int) -> go.Figure:
    figure.update_layout(
        height=height, margin={"l": 8, "r": 16, "t": 24, "b": 40}, font=FONT,
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        separators=formats.separators(),
        # at the figure's foot, not a share of the plot's height below it: on a phone the
        # date ticks turn sideways and ran over a legend placed that way
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0,
                "font": {"size": 11}, "title": None})
    figure.update_xaxes(showgrid=True, gridcolor=GRID, linecolor=GRID)
    return figure


def gantt_figure(milestones: pd.DataFrame, as_of: date, *, start: date | None = None
                 ) -> go.Figure:
    """One row per milestone: a grey bar from the previous milestone's baseline (or the
    initiative's start) to its baseline; its forecast (or actual date, once done) marked in the
    colour and shape of its status, joined to the baseline by the slip; today's line.

    ``milestones``: name, baseline_on, forecast_on, actual_on, status, slip (in order).
    """
    if milestones.empty:
        figure = go.Figure()
        figure.add_annotation(text=_("No milestones yet"), showarrow=False,
                              font={"color": PLAN})
        figure.update_xaxes(visible=False)
        figure.update_yaxes(visible=False)
        return _layout(figure, 160)
    frame = milestones.reset_index(drop=True).copy()
    baseline = pd.to_datetime(frame["baseline_on"])
    first = pd.Timestamp(start) if start else baseline.min() - pd.Timedelta(days=30)
    frame["from"] = baseline.shift(1).fillna(first).clip(upper=baseline)
    frame["to"] = baseline.where(baseline > frame["from"], baseline + pd.Timedelta(days=1))
    frame["row"] = [f"{i + 1}. {name}" for i, name in enumerate(frame["name"])]
    frame["series"] = _("Baseline")
    figure = px.timeline(frame, x_start="from", x_end="to", y="row", color="series",
                         color_discrete_map={_("Baseline"): "#d0d7de"})
    figure.update_traces(hovertemplate=_("Baseline") + ": %{x|%Y-%m-%d}<extra></extra>")
    done = frame["actual_on"].notna() & (pd.to_datetime(frame["actual_on"]) <= pd.Timestamp(
        as_of))
    marked = pd.to_datetime(frame["actual_on"]).where(done, pd.to_datetime(frame["forecast_on"]))
    for i, row in frame.iterrows():
        if marked[i] != baseline[i]:
            figure.add_trace(go.Scatter(
                x=[baseline[i], marked[i]], y=[row["row"], row["row"]], mode="lines",
                line={"color": MILESTONE_STYLE[row["status"]][0], "width": 2, "dash": "dot"},
                showlegend=False, hoverinfo="skip"))
    for status in MilestoneStatus:
        chosen = frame["status"] == status.value
        if not chosen.any():
            continue
        colour, symbol, _glyph = MILESTONE_STYLE[status.value]
        text = [_("{name}: {status}, baseline {baseline}, {which} {day}, slip {slip} d").format(
            name=r["name"], status=status.label, baseline=formats.day(r["baseline_on"]),
            which=_("done") if done[i] else _("forecast"), day=formats.day(marked[i].date()),
            slip=int(r["slip"])) for i, r in frame[chosen].iterrows()]
        figure.add_trace(go.Scatter(
            x=marked[chosen], y=frame.loc[chosen, "row"], mode="markers", name=status.label,
            marker={"color": colour, "symbol": symbol, "size": 13,
                    "line": {"color": colour, "width": 2}},
            hovertext=text, hoverinfo="text"))
    figure.add_vline(x=pd.Timestamp(as_of).timestamp() * 1000, line={"color": INK, "width": 1,
                                                                        "dash": "dash"})
    figure.add_annotation(x=pd.Timestamp(as_of), y=1, yref="paper", text=_("today"),
                          showarrow=False, yanchor="bottom", font={"size": 11, "color": INK})
    figure.update_yaxes(autorange="reversed", title=None, automargin=True)
    figure.update_xaxes(title=None, range=[first - pd.Timedelta(days=15), max(
        marked.max(), baseline.max(), pd.Timestamp(as_of)) + pd.Timedelta(days=45)])
    return _layout(figure, 120 + 34 * len(frame))


def progress_curve_figure(physical: pd.DataFrame, financial: pd.DataFrame) -> go.Figure:
    """Physical completion against the share of the budget spent, both 0-100 %.

    ``physical``: on, pct (0-100); ``financial``: on, share (0-1)."""
    figure = go.Figure()
    if physical.empty and financial.empty:
        figure.add_annotation(text=_("No progress reported and no budget linked"),
                              showarrow=False, font={"color": PLAN})
        figure.update_xaxes(visible=False)
        figure.update_yaxes(visible=False)
        return _layout(figure, 160)
    if not physical.empty:
        figure.add_trace(go.Scatter(
            x=pd.to_datetime(physical["on"]), y=physical["pct"].astype(float) / 100,
            name=_("Physical completion"), mode="lines+markers",
            line={"color": WORK, "width": 2}, marker={"symbol": "circle"}))
    if not financial.empty:
        figure.add_trace(go.Scatter(
            x=pd.to_datetime(financial["on"]), y=financial["share"].astype(float),
            name=_("Budget spent"), mode="lines+markers",
            line={"color": MONEY, "width": 2, "dash": "dash"}, marker={"symbol": "square"}))
    figure.update_yaxes(tickformat=".0%", range=[0, 1.05], gridcolor=GRID)
    figure.update_layout(hovermode="x unified")
    return _layout(figure, 260)


def heat_map_figure(grid: list[list[int]]) -> go.Figure:
    """Counts of open risks by probability (rows, 1-5) and impact (columns, 1-5); the count is
    written in each cell, so the shade is never the only cue."""
    scores = [[(p + 1) * (i + 1) for i in range(5)] for p in range(5)]
    figure = go.Figure(go.Heatmap(
        z=scores, x=[1, 2, 3, 4, 5], y=[1, 2, 3, 4, 5], showscale=False,
        colorscale=[[0, "#e6f4ea"], [0.3, "#fff4d6"], [0.6, "#fde2cf"], [1, "#f8c9c4"]],
        text=[[str(n) if n else "" for n in row] for row in grid], texttemplate="%{text}",
        textfont={"size": 14, "color": INK},
        hovertemplate=_("probability %{y}, impact %{x}: %{text} risks") + "<extra></extra>",
        xgap=2, ygap=2))
    figure.update_xaxes(title=_("Impact"), dtick=1, showgrid=False)
    figure.update_yaxes(title=_("Probability"), dtick=1, showgrid=False)
    figure.update_layout(margin={"l": 48, "r": 8, "t": 8, "b": 40})
    return _layout(figure, 240)
