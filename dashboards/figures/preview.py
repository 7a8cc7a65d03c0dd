"""The live preview of a trajectory being edited: the draft against the versions already saved."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import plotly.graph_objects as go

from delivery.i18n import _, formats
from delivery.trajectories import Milestone, planned_values
from delivery.vocabulary import Shape

DRAFT, SAVED, ORIGINAL = "#1f6feb", "#6e7781", "#b7791f"
_SAMPLES = 120


def path_points(milestones: Sequence[Milestone], shape: Shape) -> tuple[list[date], list[float]]:
    """Dates and planned values dense enough to draw the shape's path between milestones."""
    first, last = milestones[0][0], milestones[-1][0]
    span = max((last - first).days, 1)
    days = sorted({first + timedelta(days=round(span * i / _SAMPLES)) for i in range(_SAMPLES + 1)}
                  | {d for d, _ in milestones})
    return days, [float(v) for v in planned_values(milestones, shape, days)]


def _line(name: str, milestones: Sequence[Milestone], shape: Shape, colour: str,
          dash: str, markers: bool) -> list[go.Scatter]:
    xs, ys = path_points(milestones, shape)
    traces = [go.Scatter(x=xs, y=ys, name=name, mode="lines", hoverinfo="skip",
                         line={"color": colour, "dash": dash, "width": 2.5 if markers else 1.8},
                         legendgroup=name, line_shape="hv" if shape is Shape.STEP else "linear")]
    if markers:
        traces.append(go.Scatter(
            x=[d for d, _ in milestones], y=[v for _, v in milestones], name=name,
            mode="markers", marker={"color": colour, "size": 6}, legendgroup=name,
            showlegend=False,
            hovertemplate="%{x|" + formats.d3_date() + "}: %{y:,.4~f}<extra>" + name + "</extra>",
        ))
    return traces


def trajectory_preview(draft: Sequence[Milestone], shape: Shape, *,
                       saved: tuple[str, Shape, Sequence[Milestone]] | None = None,
                       original: tuple[str, Shape, Sequence[Milestone]] | None = None,
                       unit: str = "") -> go.Figure:
    """The draft's path with its milestones, over the latest saved version (grey) and the
    original promise (amber, dotted) when given as ``(label, shape, milestones)``."""
    figure = go.Figure()
    for line, colour, dash in ((original, ORIGINAL, "dot"), (saved, SAVED, "dash")):
        if line is not None and line[2]:
            figure.add_traces(_line(line[0], line[2], line[1], colour, dash, markers=False))
    if draft:
        figure.add_traces(_line(_("Draft"), draft, shape, DRAFT, "solid", markers=True))
    else:
        figure.add_annotation(text=_("No milestones yet"), showarrow=False, x=0.5, y=0.5,
                              xref="paper", yref="paper", font={"color": SAVED})
    figure.update_layout(
        margin={"l": 50, "r": 10, "t": 10, "b": 30}, height=380, template="plotly_white",
        legend={"orientation": "h", "y": 1.06, "x": 0}, hovermode="closest",
        separators=formats.separators(),
        yaxis_title=unit or None, yaxis_separatethousands=True,
    )
    return figure
