"""Pieces of the likelihood-of-delivery screen (pure: no database, no callbacks).

Judgements are drawn as square chips in their own four colours, two-tone for the amber ratings;
the computed status keeps its round, filled badges. Nobody should mistake a judgement for a
computation, so the legend says which is which."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards.components.review import goal_href, group_href
from dashboards.components.status import status_badge, status_mark
from delivery.i18n import N_, _, _n, formats
from delivery.status import format_date
from delivery.vocabulary import LIKELIHOOD_FACTORS, Likelihood, Status, factor_label

GREEN, AMBER, RED = "#37b24d", "#f59f00", "#e03131"
LIKELIHOOD_SWATCH = {
    Likelihood.GREEN: GREEN,
    Likelihood.AMBER_GREEN: f"linear-gradient(135deg, {AMBER} 50%, {GREEN} 50%)",
    Likelihood.AMBER_RED: f"linear-gradient(135deg, {AMBER} 50%, {RED} 50%)",
    Likelihood.RED: RED,
}
LIKELIHOOD_TINT = {Likelihood.GREEN: "#e6f6e9", Likelihood.AMBER_GREEN: "#f3f6e0",
                   Likelihood.AMBER_RED: "#fdebd8", Likelihood.RED: "#fde2e2"}
WORST_FIRST = list(reversed(Likelihood))
FACTOR_CHOICES = {  # what the form offers for each factor (the domain takes any word)
    "challenge": ["low", "medium", "high", "very high"],
    "stage": ["policy development", "design", "early implementation", "embedding",
              "delivered"],
}
QUALITY_CHOICES = ["green", "amber_green", "amber", "amber_red", "red"]
# The words of the choices as shown (stored in English, the values above).
CHOICE_WORDS = {
    "low": N_("low"), "medium": N_("medium"), "high": N_("high"), "very high": N_("very high"),
    "policy development": N_("policy development"), "design": N_("design"),
    "early implementation": N_("early implementation"), "embedding": N_("embedding"),
    "delivered": N_("delivered"), "green": N_("green"), "amber_green": N_("amber-green"),
    "amber": N_("amber"), "amber_red": N_("amber-red"), "red": N_("red"),
}


def factor_choices(factor: str) -> list[str]:
    return FACTOR_CHOICES.get(factor, QUALITY_CHOICES)


def word(value: str) -> str:
    """A factor's stored value in the reader's language (unknown words as typed)."""
    return _(CHOICE_WORDS[value]) if value in CHOICE_WORDS else value.replace("_", "-")


def rating_chip(rating: str, *, rater: str | None = None, title: str = "") -> html.Span:
    """A square chip: the rating's swatch and its name (and who gave it)."""
    value = Likelihood(rating)
    return html.Span([
        html.Span(className="rating-swatch", style={"background": LIKELIHOOD_SWATCH[value]}),
        html.Span(rater, className="rater") if rater else None,
        value.label,
    ], className=f"rating-chip rating-{value.value}", title=title or value.label)


def legend() -> html.Div:
    # two groups, each wrapping on its own (a "·" between them was left dangling at the end
    # of a line once a narrow card wrapped it)
    group = "likelihood-legend d-inline-flex"
    return html.Div([
        html.Div([html.Span(_("Judgement"), className="fw-semibold small"),
                  *[rating_chip(r.value) for r in Likelihood]], className=group),
        html.Div([html.Span(_("Computed status"), className="fw-semibold small"),
                  *[status_badge(s.value)
                    for s in (Status.ON_TRACK, Status.SLIPPING, Status.OFF_TRACK)]],
                 className=group),
    ], className="likelihood-legend likelihood-legend-groups")


def legend_note() -> dbc.Alert:
    return dbc.Alert([
        legend(),
        html.Div(_("Square chips are the delivery unit's judgements of how likely a goal or "
                   "pact is to deliver: people's ratings with reasons, not computed from the "
                   "figures. Round badges are the computed status of figures against "
                   "trajectories."),
                 className="small mt-2"),
    ], color="light", className="border likelihood-note")


def _count_cell(n: int, rating: Likelihood) -> html.Td:
    style = ({"backgroundColor": LIKELIHOOD_TINT[rating]} if n else {"color": "#6e7781"})
    return html.Td(html.Span(formats.number(n, decimals=0), className="rating-count",
                             style=style),
                   className="text-center")


def _status_counts(row: Any) -> html.Span:
    parts = []
    for status in (Status.OFF_TRACK, Status.SLIPPING, Status.ON_TRACK, Status.NO_RECENT_DATA):
        n = int(getattr(row, status.value))
        if n:
            parts.append(html.Span([status_mark(status), f" {formats.number(n, decimals=0)}",
                                    html.Span(f" {status.counted(n)}",
                                              className="visually-hidden")],
                                   className="me-2 text-nowrap",
                                   title=f"{formats.number(n, decimals=0)} {status.counted(n)}"))
    return html.Span(parts, className="small")


SUBJECT_WORDS = {"goal": lambda: _("Goal"), "pact": lambda: _("Pact"),
                 "objective": lambda: _("Objective")}


def subject_link(kind: str, code: str, name: str) -> html.Div:
    href = {"goal": goal_href(code), "pact": group_href("pact", code),
            "objective": group_href("objective", code)}.get(kind)
    return html.Div([html.A(name, href=href) if href else name,
                     html.Div([html.Span(SUBJECT_WORDS[kind]() if kind in SUBJECT_WORDS
                                         else kind.capitalize(), className="me-1"),
                               html.Span(code, className="goal-code")],
                              className="small text-muted")])


def league_table(table: pd.DataFrame) -> html.Div | dbc.Table:
    """Pacts and objectives, worst first: their goals by the worst of their raters' latest
    ratings, a pact's own rating by each rater, disagreements, and the computed status."""
    if table.empty:
        return html.Div(_("No pacts or objectives yet."), className="text-muted small")
    rows = []
    for t in table.itertuples():
        own = [rating_chip(r, rater=who) for who, r in t.own_ratings]
        rows.append(html.Tr([
            html.Td(subject_link(t.kind, t.code, t.name)),
            html.Td(rating_chip(t.worst) if isinstance(t.worst, str) else
                    html.Span(_("not rated"), className="text-muted small")),
            *[_count_cell(int(getattr(t, r.value)), r) for r in WORST_FIRST],
            html.Td(_("{part} of {whole}").format(part=t.rated, whole=t.goals),
                    className="text-end small"),
            html.Td(html.Div(own, className="d-flex flex-wrap gap-1") if own else "—",
                    className="small"),
            html.Td(html.Span(str(t.disagreements), className="disagree") if t.disagreements
                    else "0", className="text-end"),
            html.Td(_status_counts(t)),
        ], className="league-row"))
    head = html.Thead(html.Tr([
        html.Th(_("Pact or objective")), html.Th(_("Worst judgement")),
        *[html.Th(r.label, className="text-center") for r in WORST_FIRST],
        html.Th(_("Goals rated"), className="text-end"),
        html.Th(_("Own rating"), title=_("the pact's own")),
        html.Th(_("Split"), className="text-end",
                title=_("goals (or the pact) whose raters disagree")),
        html.Th(_("Computed status"),
                title=_("goals off track, slipping, on track, without data")),
    ]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", hover=True,
                     className="review-table league-table mb-0")


def agreement_text(raters: int, spread: int) -> html.Span:
    if raters == 1:
        return html.Span(_("one rater"), className="text-muted")
    if spread == 0:
        return html.Span(_("{n} raters agree").format(n=raters), className="text-muted")
    return html.Span(_n("{raters} raters, {n} step apart", "{raters} raters, {n} steps apart",
                        spread).format(raters=raters, n=spread), className="disagree")


def factors_line(judgement: Any) -> str:
    parts = [f"{factor_label(f)}: {word(v)}"
             for f in LIKELIHOOD_FACTORS
             if isinstance(v := getattr(judgement, f, None), str) and v]
    return " · ".join(parts)


def rater_judgements(latest: pd.DataFrame) -> html.Div:
    """One subject's latest judgements (rows of ``latest_assessments``), one column per rater:
    the chip, the date and reasons, the factors."""
    return html.Div([html.Div([
        rating_chip(j.rating, rater=j.rater),
        html.Div(f"{format_date(j.assessed_on)} · {j.reasons}", className="small"),
        html.Div(factors_line(j), className="small text-muted") if factors_line(j) else None,
    ], className="rater-judgement") for j in latest.itertuples()],
        className="judgement-columns")


def judgements_table(spread: pd.DataFrame, latest: pd.DataFrame) -> html.Div | dbc.Table:
    """Each subject's latest ratings side by side, one per rater (never averaged), with the
    reasons; the widest disagreements first."""
    if spread.empty:
        return html.Div(_("Nobody has rated a goal or pact yet."), className="text-muted small")
    by_subject = {key: part for key, part in latest.groupby(["subject", "subject_id"])}
    rows = []
    for s in spread.itertuples():
        part = by_subject.get((s.subject, s.subject_id), latest.iloc[0:0])
        rows.append(html.Tr([
            html.Td(subject_link(s.subject, s.code, s.name), style={"width": "20%"}),
            html.Td(rater_judgements(part)),
            html.Td(agreement_text(int(s.raters), int(s.spread)),
                    className="small text-nowrap text-end"),
        ]))
    head = html.Thead(html.Tr([html.Th(_("Goal or pact")),
                               html.Th(_("Latest rating of each rater")),
                               html.Th(_("Agreement"), className="text-end")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm",
                     className="review-table judgement-table mb-0")


def track_record_lines(summary: pd.DataFrame, *, after_days: int) -> html.Div:
    """"Of N goals rated amber-red, M were off track 8 weeks later", worst rating first."""
    weeks = after_days // 7
    rated = summary[summary["judgements"] > 0]
    if rated.empty:
        return html.Div(_n("No goal judgement is {n} week old yet: the record starts when the "
                           "first ratings are.",
                           "No goal judgement is {n} weeks old yet: the record starts when the "
                           "first ratings are.", weeks).format(n=weeks),
                        className="text-muted small")
    lines = []
    for r in rated.set_index("rating").reindex([x.value for x in WORST_FIRST]).dropna(
            subset=["judgements"]).itertuples():
        n, later = int(r.judgements), int(r.off_track_later)
        lines.append(html.Div([
            rating_chip(r.Index), html.Span(" " + _n(
                "Of {n} goal rated {rating}, {later} {weeks} weeks later",
                "Of {n} goals rated {rating}, {later} {weeks} weeks later", n).format(
                    n=n, rating=word(r.Index), weeks=weeks,
                    later=_n("{n} was off track", "{n} were off track", later).format(n=later))
                + (" " + _n("({n} not off track when rated).", "({n} not off track when rated).",
                            int(r.newly_off_track)).format(n=int(r.newly_off_track))
                   if r.newly_off_track else ".")),
        ], className="track-line"))
    return html.Div(lines)


def subject_options(goals: Iterable[tuple[int, str, str]],
                    pacts: Iterable[tuple[int, str, str]]) -> list[dict[str, str]]:
    """Dropdown options: pacts first, then goals, each ``kind:id``."""
    return ([{"label": f"{_('Pact')} · {code} · {name}", "value": f"pact:{pid}"}
             for pid, code, name in pacts]
            + [{"label": f"{code} · {name}", "value": f"goal:{gid}"} for gid, code, name in goals])


def parse_subject(value: Any) -> tuple[str, int]:
    """("goal" | "pact", id) from a dropdown value; ValueError naming the field otherwise."""
    kind, _sep, number = value.partition(":") if isinstance(value, str) else ("", "", "")
    if kind not in {"goal", "pact"} or not number.isdigit():
        raise ValueError(_("subject: pick a goal or a pact"))
    return kind, int(number)


def rating_options() -> list[dict[str, Any]]:
    return [{"label": rating_chip(r.value), "value": r.value} for r in WORST_FIRST]


def factor_fields(ids: Sequence[str]) -> list[Any]:
    """One labelled dropdown per factor, with ``ids`` in the order of LIKELIHOOD_FACTORS."""
    return [dbc.Col([html.Label(_(label), htmlFor=field, className="small text-muted mb-0"),
                     dcc.Dropdown(id=field, options=[{"label": word(c), "value": c}
                                                     for c in factor_choices(key)],
                                  placeholder="—")], md=4, className="mb-2")
            for (key, label), field in zip(LIKELIHOOD_FACTORS.items(), ids, strict=True)]
