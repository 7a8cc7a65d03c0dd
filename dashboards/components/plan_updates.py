"""The delivery-plan update forms shared by ``/report`` (a secretariat's own initiatives) and
the workspace (analysts: every initiative): a milestone's done date, an initiative's physical
completion, a risk's scores, status, mitigation and review date.

Each page calls ``register(prefix)`` once with its own id prefix. The callbacks are thin: they
call ``delivery.plans.edits`` (which checks rights and values again, as the import does) and
say what happened; a refusal names the field and the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update
from dash import callback as dash_callback
from sqlalchemy import select

from dashboards.context import current_viewer, read_session, write_session
from dashboards.i18n import date_picker_format
from delivery.access import AccessDenied
from delivery.clock import review_date
from delivery.i18n import N_, _, formats
from delivery.models import Risk
from delivery.plans.choices import PlanChoices
from delivery.plans.edits import (
    PlanEditError,
    can_update_risk,
    record_actual,
    report_progress,
    update_risk,
)
from delivery.plans.notes import MAX_NOTE
from delivery.plans.vocabulary import RiskStatus

FIELDS = {"actual": N_("Done on"), "on": N_("Date"), "physical_pct": N_("Physical completion"),
          "probability": N_("Probability"), "impact": N_("Impact"), "status": N_("Status"),
          "mitigation": N_("Mitigation"), "review_on": N_("Next review"), "note": N_("Note")}
PARTS = ("actual-milestone", "actual-date", "actual-save", "actual-result",
         "progress-initiative", "progress-date", "progress-pct", "progress-note",
         "progress-note-help", "progress-save",
         "progress-result", "risk", "risk-probability", "risk-impact", "risk-status",
         "risk-mitigation", "risk-review", "risk-save", "risk-result")


def ids(prefix: str) -> dict[str, str]:
    """The component ids of one page's forms: ``{part: f"{prefix}-plan-{part}"}``."""
    return {part: f"{prefix}-plan-{part}" for part in PARTS}


def _options(pairs: list[tuple[int, str]]) -> list[dict[str, Any]]:
    return [{"label": label, "value": value} for value, label in pairs]


def _picker(ident: str, placeholder: str, day: date | None = None) -> dcc.DatePickerSingle:
    return dcc.DatePickerSingle(id=ident, date=day, placeholder=placeholder,
                                display_format=date_picker_format())


def _form(title: str, hint: str, body: list[Any]) -> dbc.Col:
    return dbc.Col(html.Div([html.H3(title, className="h6 mb-1"),
                             html.P(hint, className="small text-muted mb-2"), *body],
                            className="plan-update-form"), xs=12, lg=4)


def plan_update_forms(prefix: str, choices: PlanChoices, today: date) -> Any:
    """The three forms, or a line saying there is nothing the person may update."""
    if not choices:
        return html.P(_("You lead no initiative."), className="text-muted")
    i = ids(prefix)
    actual = _form(_("Milestone done"), _("The day it was done; not after today."), [
        dcc.Dropdown(id=i["actual-milestone"], options=_options(choices.milestones),
                     placeholder=_("Milestone"), className="mb-2"),
        html.Div(_picker(i["actual-date"], _("Done on"), today), className="mb-2"),
        html.Button(_("Record done date"), id=i["actual-save"], className="btn btn-primary"),
        html.Div(id=i["actual-result"], className="mt-2", role="status")])
    progress = _form(_("Physical progress"), _("A correction is kept as a new report."), [
        dcc.Dropdown(id=i["progress-initiative"], options=_options(choices.initiatives),
                     placeholder=_("Initiative"), className="mb-2"),
        html.Div(_picker(i["progress-date"], _("Date"), today), className="mb-2"),
        dbc.Label(_("Physical completion"), html_for=i["progress-pct"], className="small mb-0"),
        dcc.Input(id=i["progress-pct"], type="number", placeholder=_("done (%)"),
                  className="form-control mb-2", style={"maxWidth": "10rem"}),
        dbc.Label(_("Note (optional)"), html_for=i["progress-note"], className="small mb-0"),
        dcc.Textarea(id=i["progress-note"], maxLength=MAX_NOTE, className="form-control",
                     placeholder=_("e.g. works stopped by rain in March"),
                     style={"height": "4.5rem", "width": "100%"}),
        html.Div(_("What explains the figure; shown beside it on the initiative's page. At most "
                   "{n} characters.").format(n=formats.number(MAX_NOTE)),
                 id=i["progress-note-help"], className="form-text mb-2"),
        html.Button(_("Report progress"), id=i["progress-save"], className="btn btn-primary"),
        html.Div(id=i["progress-result"], className="mt-2", role="status")])
    score = [{"label": str(n), "value": n} for n in range(1, 6)]
    risk = _form(_("Risk"), _("Rescore it, close it or set its next review."), [
        dcc.Dropdown(id=i["risk"], options=_options(choices.risks), placeholder=_("Risk"),
                     className="mb-2"),
        html.Div([
            html.Div([dbc.Label(_("Probability"), html_for=i["risk-probability"],
                                className="small mb-0"),
                      dcc.Dropdown(id=i["risk-probability"], options=score, clearable=False)],
                     style={"minWidth": "6rem"}),
            html.Div([dbc.Label(_("Impact"), html_for=i["risk-impact"], className="small mb-0"),
                      dcc.Dropdown(id=i["risk-impact"], options=score, clearable=False)],
                     style={"minWidth": "6rem"}),
            html.Div([dbc.Label(_("Status"), html_for=i["risk-status"], className="small mb-0"),
                      dcc.Dropdown(id=i["risk-status"], clearable=False, options=[
                          {"label": s.label, "value": s.value} for s in RiskStatus])],
                     style={"minWidth": "8rem"}),
        ], className="d-flex flex-wrap gap-2 mb-2"),
        dcc.Textarea(id=i["risk-mitigation"], placeholder=_("Mitigation"),
                     className="form-control mb-2", style={"height": "3.5rem"}),
        html.Div(_picker(i["risk-review"], _("Next review")), className="mb-2"),
        html.Button(_("Save risk"), id=i["risk-save"], className="btn btn-primary"),
        html.Div(id=i["risk-result"], className="mt-2", role="status")])
    return dbc.Row([actual, progress, risk], className="g-3 plan-updates")


def _saved(change: Callable[[Any], object], done: str, same: str) -> dbc.Alert:
    """Run ``change(session)``; say saved, unchanged (it returned False or None) or why not."""
    try:
        with write_session() as session:
            outcome = change(session)
    except AccessDenied as exc:
        return dbc.Alert(str(exc), color="danger", className="plan-update-refused")
    except PlanEditError as exc:
        label = _(FIELDS[exc.field]) if exc.field in FIELDS else exc.field
        return dbc.Alert(_("Not saved: {field}: {reason}").format(field=label, reason=exc.reason),
                         color="warning", className="plan-update-refused")
    if outcome is None or outcome is False:
        return dbc.Alert(same, color="info", className="plan-update-unchanged")
    return dbc.Alert(done, color="success", className="plan-update-saved")


def _pick(words: str) -> dbc.Alert:
    return dbc.Alert(words, color="warning", className="plan-update-refused")


def register(prefix: str, page_module: str) -> None:
    """The forms' callbacks for the page (module ``page_module``) whose ids start with
    ``prefix``. Each callback is credited to that module: the callback gate
    (``dashboards.auth``) lets through only those who may open the page."""
    i = ids(prefix)

    def callback(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
        def wrap(function: Callable[..., Any]) -> Any:
            function.__module__ = page_module
            return dash_callback(*args, **kwargs)(function)
        return wrap

    @callback(Output(i["actual-result"], "children"), Input(i["actual-save"], "n_clicks"),
              State(i["actual-milestone"], "value"), State(i["actual-date"], "date"),
              prevent_initial_call=True)
    def save_actual(_clicks: Any, milestone_id: Any, day: Any) -> Any:
        if milestone_id is None:
            return _pick(_("Pick a milestone first."))
        return _saved(lambda s: record_actual(s, current_viewer(), milestone_id, day,
                                              review_date(s)),
                      _("Done date recorded."), _("That done date was already recorded."))

    @callback(Output(i["progress-result"], "children"), Input(i["progress-save"], "n_clicks"),
              State(i["progress-initiative"], "value"), State(i["progress-date"], "date"),
              State(i["progress-pct"], "value"), State(i["progress-note"], "value"),
              prevent_initial_call=True)
    def save_progress(_clicks: Any, initiative_id: Any, day: Any, pct: Any, note: Any) -> Any:
        if initiative_id is None:
            return _pick(_("Pick an initiative first."))
        return _saved(lambda s: report_progress(s, current_viewer(), initiative_id, day, pct,
                                                note),
                      _("Progress reported."),
                      _("That progress was already reported for that date: nothing changed."))

    @callback(Output(i["risk-probability"], "value"), Output(i["risk-impact"], "value"),
              Output(i["risk-status"], "value"), Output(i["risk-mitigation"], "value"),
              Output(i["risk-review"], "date"), Input(i["risk"], "value"),
              prevent_initial_call=True)
    def load_risk(risk_id: Any) -> tuple:
        with read_session() as session:
            if not can_update_risk(session, current_viewer(), risk_id):
                return (no_update,) * 5
            r = session.execute(select(Risk.probability, Risk.impact, Risk.status,
                                       Risk.mitigation, Risk.review_on).where(
                Risk.id == risk_id)).one()
        return r.probability, r.impact, RiskStatus(r.status).value, r.mitigation, r.review_on

    @callback(Output(i["risk-result"], "children"), Input(i["risk-save"], "n_clicks"),
              State(i["risk"], "value"), State(i["risk-probability"], "value"),
              State(i["risk-impact"], "value"), State(i["risk-status"], "value"),
              State(i["risk-mitigation"], "value"), State(i["risk-review"], "date"),
              prevent_initial_call=True)
    def save_risk(_clicks: Any, risk_id: Any, probability: Any, impact: Any, status: Any,
                  mitigation: Any, review: Any) -> Any:
        if risk_id is None:
            return _pick(_("Pick a risk first."))
        return _saved(lambda s: update_risk(s, current_viewer(), risk_id,
                                            probability=probability, impact=impact,
                                            status=status, mitigation=mitigation,
                                            review_on=review),
                      _("Risk saved."), _("Nothing changed."))
