"""Small print charts for the briefing memo, drawn with reportlab's vector graphics: one goal's
figures against the trajectory in force, the original promise and the target, with the
forecast at the deadline. Pure: ``GoalData`` in, ``Drawing`` out; colours from
``delivery.palette`` so that paper and screen agree."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib.colors import HexColor, white

from delivery.briefing.pack import GoalData
from delivery.i18n import _, formats
from delivery.palette import GRID, INK, MUTED, ORIGINAL, PLAN, STATUS_COLOURS
from delivery.status import format_number
from delivery.vocabulary import Status

FONT, SIZE = "Helvetica", 7
LEFT, RIGHT, BOTTOM, TOP = 40, 10, 26, 8  # points around the plot area


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """About ``count`` round tick values covering ``low``..``high`` (1, 2, 2.5 or 5 x 10^n)."""
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def goal_chart(goal: GoalData, width: float, height: float) -> Drawing:
    """Figures (status colour) against the trajectory in force (dashed), the original promise
    (dotted, if re-planned), the target (diamond) and the forecast with its 80% range."""
    drawing = Drawing(width, height)
    colour = HexColor(STATUS_COLOURS[Status(goal.status)])
    start = _start(goal)
    end = max(d for d in [goal.target_date, *_days(goal.current), *_days(goal.figures), start]
              if d is not None)
    figures = goal.figures[pd.to_datetime(goal.figures["on"]) >= pd.Timestamp(start)]
    values = [v for v in [*figures["value"], *goal.current["value"], *goal.original["value"],
                          goal.target_value, *_forecast_values(goal)] if v is not None]
    if not values:
        drawing.add(String(width / 2, height / 2, _("No figures or trajectory yet"),
                           fontName=FONT, fontSize=8, fillColor=HexColor(MUTED),
                           textAnchor="middle"))
        return drawing
    ticks = nice_ticks(min(values), max(values))
    plot_w, plot_h = width - LEFT - RIGHT, height - BOTTOM - TOP
    span = max((end - start).days, 1)

    def x(day: date) -> float:
        return LEFT + plot_w * (pd.Timestamp(day).date() - start).days / span

    def y(value: float) -> float:
        return BOTTOM + plot_h * (value - ticks[0]) / (ticks[-1] - ticks[0])

    for tick in ticks:
        drawing.add(Line(LEFT, y(tick), LEFT + plot_w, y(tick), strokeColor=HexColor(GRID),
                         strokeWidth=0.5))
        drawing.add(String(LEFT - 4, y(tick) - 2.5, format_number(tick), fontName=FONT,
                           fontSize=SIZE, fillColor=HexColor(MUTED), textAnchor="end"))
    for day, label in _x_ticks(start, end):
        drawing.add(Line(x(day), BOTTOM, x(day), BOTTOM - 2.5, strokeColor=HexColor(PLAN),
                         strokeWidth=0.5))
        drawing.add(String(x(day), BOTTOM - 10, label, fontName=FONT, fontSize=SIZE,
                           fillColor=HexColor(MUTED), textAnchor="middle"))
    drawing.add(Line(LEFT, BOTTOM, LEFT + plot_w, BOTTOM, strokeColor=HexColor(PLAN),
                     strokeWidth=0.6))
    if not goal.original.empty:
        drawing.add(_line(goal.original, x, y, HexColor(ORIGINAL), 1.2, (1, 2)))
    if not goal.current.empty:
        drawing.add(_line(goal.current, x, y, HexColor(PLAN), 1.2, (4, 2)))
    _forecast(drawing, goal, x, y, colour)
    if not figures.empty:
        drawing.add(_line(figures, x, y, colour, 1.8, None))
        for on, value, provisional in zip(figures["on"], figures["value"],
                                          figures["provisional"], strict=True):
            drawing.add(Circle(x(on), y(value), 1.7, strokeColor=colour, strokeWidth=0.8,
                               fillColor=white if provisional else colour))
    if goal.target_value is not None and goal.target_date is not None:
        cx, cy = x(goal.target_date), y(goal.target_value)
        drawing.add(Polygon([cx, cy + 3.5, cx + 3.5, cy, cx, cy - 3.5, cx - 3.5, cy],
                            fillColor=HexColor(INK), strokeColor=HexColor(INK)))
    _legend(drawing, goal, colour)
    return drawing


def _start(goal: GoalData) -> date:
    candidates = [goal.baseline_date, *_days(goal.current)[:1]]
    known = [d for d in candidates if d is not None]
    if known:
        return min(known)
    days = _days(goal.figures)
    return days[0] if days else goal.target_date or date.today()


def _days(frame: pd.DataFrame) -> list[date]:
    return [pd.Timestamp(d).date() for d in frame["on"]] if not frame.empty else []


def _forecast_values(goal: GoalData) -> list[float | None]:
    f = goal.forecast
    return [] if f is None or goal.target_date is None else [f.value, f.low, f.high]


def _line(frame: pd.DataFrame, x, y, colour, width: float, dash) -> PolyLine:  # type: ignore[no-untyped-def]
    points: list[float] = []
    for on, value in zip(frame["on"], frame["value"], strict=True):
        points += [x(on), y(float(value))]
    return PolyLine(points, strokeColor=colour, strokeWidth=width, strokeDashArray=dash,
                    strokeLineJoin=1, strokeLineCap=1)


def _forecast(drawing: Drawing, goal: GoalData, x, y, colour) -> None:  # type: ignore[no-untyped-def]
    f = goal.forecast
    if f is None or f.value is None or goal.target_date is None:
        return
    cx = x(goal.target_date) - 7  # beside the target's diamond, not on it
    if f.low is not None and f.high is not None:
        drawing.add(Rect(cx - 2, y(f.low), 4, max(y(f.high) - y(f.low), 0.8),
                         fillColor=colour, fillOpacity=0.25, strokeColor=None))
    drawing.add(Circle(cx, y(f.value), 2.2, strokeColor=colour, strokeWidth=1,
                       fillColor=white))


def _legend(drawing: Drawing, goal: GoalData, colour) -> None:  # type: ignore[no-untyped-def]
    entries: list[tuple[str, object]] = [
        (_("Figures"), ("line", colour, None)),
        (_("Trajectory in force"), ("line", HexColor(PLAN), (4, 2)))]
    if not goal.original.empty:
        entries.append((_("Original promise"), ("line", HexColor(ORIGINAL), (1, 2))))
    entries.append((_("Target"), ("diamond", HexColor(INK), None)))
    if goal.forecast is not None and goal.forecast.value is not None:
        entries.append((_("Forecast at deadline (80% range)"), ("circle", colour, None)))
    left, base = LEFT, 2
    for label, (kind, shade, dash) in entries:  # type: ignore[misc]
        if kind == "line":
            drawing.add(Line(left, base + 2.5, left + 12, base + 2.5, strokeColor=shade,
                             strokeWidth=1.5, strokeDashArray=dash))
        elif kind == "diamond":
            drawing.add(Polygon([left + 6, base + 5.5, left + 9, base + 2.5, left + 6, base - 0.5,
                                 left + 3, base + 2.5], fillColor=shade, strokeColor=shade))
        else:
            drawing.add(Circle(left + 6, base + 2.5, 2.2, strokeColor=shade, fillColor=white))
        drawing.add(String(left + 15, base, label, fontName=FONT, fontSize=SIZE,
                           fillColor=HexColor(MUTED)))
        left += 15 + _text_width(label) + 12


def _text_width(text: str) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, FONT, SIZE)


def _x_ticks(start: date, end: date) -> list[tuple[date, str]]:
    """Years for long spans; quarters (``Jan 23``) for spans under two years."""
    if (end - start).days >= 730:
        return [(date(year, 1, 1), str(year)) for year in range(start.year + 1, end.year + 1)
                if start <= date(year, 1, 1) <= end]
    ticks = []
    for year in range(start.year, end.year + 1):
        for month in (1, 4, 7, 10):
            day = date(year, month, 1)
            if start <= day <= end:
                ticks.append((day, formats.month(day)))
    return ticks
