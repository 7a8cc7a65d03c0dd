"""Delivery plans through the app: who sees which initiative on ``/plans`` and
``/initiative/<code>``, and that only an initiative's own secretariat (or an analyst) moves
its forecasts, whatever a browser (or a forger) sends to the callback."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from delivery.models import Milestone, MilestoneRevision
from tests.dashboards.conftest import PERSONAS, close_site, open_site
from tests.dashboards.test_auth_routes import CALLBACK, route
from tests.plans.conftest import add_plans

SEES = {"analyst": {"SDS-DELEG", "SEE-ETI"}, "governor": {"SDS-DELEG", "SEE-ETI"},
        "secretariat": {"SDS-DELEG"}, "other_secretariat": {"SEE-ETI"}, "nobody": set()}
MOVES = {"analyst": {"SDS-DELEG", "SEE-ETI"}, "governor": set(), "secretariat": {"SDS-DELEG"},
         "other_secretariat": {"SEE-ETI"}, "nobody": set()}


@pytest.fixture(scope="module")
def site(server, tmp_path_factory):  # type: ignore[no-untyped-def]
    site = open_site(server, tmp_path_factory.mktemp("data"))
    with site.factory() as session, session.begin():
        site.plans = add_plans(session, site.gov)
    yield site
    close_site(site)


OUTPUTS = [("initiative-move-result", "children"), ("initiative-gantt", "figure"),
           ("initiative-milestones", "children")]


def move(client, milestone, day, reason):  # type: ignore[no-untyped-def]
    """The POST the forecast form makes (or a forger)."""
    return client.post(CALLBACK, json={
        "output": ".." + "...".join(f"{i}.{p}" for i, p in OUTPUTS) + "..",
        "outputs": [{"id": i, "property": p} for i, p in OUTPUTS],
        "inputs": [{"id": "initiative-move-save", "property": "n_clicks", "value": 1}],
        "state": [{"id": "initiative-move-milestone", "property": "value", "value": milestone},
                  {"id": "initiative-move-date", "property": "date", "value": day},
                  {"id": "initiative-move-reason", "property": "value", "value": reason}],
        "changedPropIds": ["initiative-move-save.n_clicks"],
    })


def forecasts(site) -> list:  # type: ignore[no-untyped-def]
    with site.factory() as session:
        return [*session.execute(select(Milestone.id, Milestone.forecast_on).order_by(
            Milestone.id)).all(), session.scalar(select(func.count(MilestoneRevision.id)))]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_person_sees_only_their_initiatives(site, persona):
    client = site.client(persona)
    board = route(client, "/plans").get_data(as_text=True)
    for code in ("SDS-DELEG", "SEE-ETI"):
        page = route(client, f"/initiative/{code}").get_data(as_text=True)
        seen = code in SEES[persona]
        assert (f'"children":"{code}' in board) is seen, (persona, code)
        assert ("Initiative not found" not in page) is seen or persona == "nobody"


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_forged_forecast_move_changes_only_what_the_person_may_change(site, persona):
    client = site.client(persona)
    for name, code in (("Opening", "SDS-DELEG"), ("First 50 schools", "SEE-ETI")):
        before = forecasts(site)
        response = move(client, site.plans.milestones[name], f"2024-0{len(persona) % 9 + 1}-15",
                        f"moved by {persona}")
        if code in MOVES[persona]:
            assert "Forecast moved" in response.get_data(as_text=True)
            assert forecasts(site) != before
            continue
        if persona == "nobody":
            assert response.status_code == 401
        else:
            assert "move-refused" in response.get_data(as_text=True)
        assert forecasts(site) == before, f"{persona} moved {name}"


@pytest.mark.parametrize("junk", ["1", 1.5, None, [1], 10**12, True])
def test_junk_milestone_ids_and_missing_reasons_change_nothing(site, junk):
    before = forecasts(site)
    for milestone, reason in ((junk, "why"), (site.plans.milestones["Opening"], "  ")):
        response = move(site.client("analyst"), milestone, "2024-05-05", reason)
        assert response.status_code == 200 and "move-refused" in response.get_data(as_text=True)
    assert forecasts(site) == before


@pytest.mark.parametrize(("persona", "path", "shown"), [
    ("analyst", "/goal/SDS-HOM", "Police stations"), ("secretariat", "/goal/SDS-HOM",
                                                      "Police stations"),
    ("secretariat", "/pact/PPV", "Police stations"),
    ("other_secretariat", "/pact/PPE", "Full-time schools"),
    ("governor", "/goal/SEE-ALFA", "Full-time schools"),
], ids=str)
def test_goal_and_pact_pages_list_their_initiatives(site, persona, path, shown):
    page = route(site.client(persona), path).get_data(as_text=True)
    assert '"children":"Initiatives"' in page and shown in page
    other = {"Police stations": "Full-time schools"}.get(shown, "Police stations")
    assert other not in page


def test_the_weekly_review_lists_milestones_late_or_due(site):
    page = route(site.client("governor"), "/review").get_data(as_text=True)
    assert "Milestones late or due in the next 14 days" in page
    assert "Works contract" in page and "Police stations" in page


def report_edit(client, prefix, part, states):  # type: ignore[no-untyped-def]
    """The POST a plan update form on /report or /workspace/plans makes (or a forger)."""
    out = f"{prefix}-plan-{part}-result"
    return client.post(CALLBACK, json={
        "output": f"{out}.children", "outputs": {"id": out, "property": "children"},
        "inputs": [{"id": f"{prefix}-plan-{part}-save", "property": "n_clicks", "value": 1}],
        "state": [{"id": f"{prefix}-plan-{i}", "property": p, "value": v} for i, p, v in states],
        "changedPropIds": [f"{prefix}-plan-{part}-save.n_clicks"]})


def plan_state(site) -> list:  # type: ignore[no-untyped-def]
    from delivery.models import ProgressReport, Risk
    with site.factory() as session:
        return [*session.execute(select(Milestone.id, Milestone.actual_on).order_by(
            Milestone.id)).all(), session.scalar(select(func.count(ProgressReport.id))),
            *session.execute(select(Risk.id, Risk.probability, Risk.status)).all()]


@pytest.mark.parametrize("persona", PERSONAS)
def test_forged_plan_updates_change_only_what_the_person_may_change(site, persona):
    """Done dates, progress and risks of another secretariat's initiative, or through a page
    the person may not open (the governor: /report; secretariats: the workspace): refused,
    nothing changed."""
    from delivery.models import Risk
    client = site.client(persona)
    with site.factory() as session:
        risk = session.scalar(select(Risk.id))
    plans = site.plans
    for prefix in ("report", "wspl"):
        for part, states, owner in [
            ("actual", [("actual-milestone", "value", plans.milestones["First 50 schools"]),
                        ("actual-date", "date", "2023-01-10")], "SEE-ETI"),
            ("progress", [("progress-initiative", "value", plans.initiatives["schools"]),
                          ("progress-date", "date", "2023-01-10"),
                          ("progress-pct", "value", 55),
                          ("progress-note", "value", "not mine")], "SEE-ETI"),
            ("risk", [("risk", "value", risk), ("risk-probability", "value", 1),
                      ("risk-impact", "value", 1), ("risk-status", "value", "closed"),
                      ("risk-mitigation", "value", "done"),
                      ("risk-review", "date", None)], "SDS-DELEG"),
        ]:
            if owner in MOVES[persona] and persona != "analyst":
                continue  # its own: saving is what the browser test shows
            before = plan_state(site)
            response = report_edit(client, prefix, part, states)
            if persona == "nobody":
                assert response.status_code == 401
            elif persona != "analyst":  # the page's gate (403) or the edit's own check
                assert response.status_code == 403 or "plan-update-refused" in (
                    response.get_data(as_text=True)), (prefix, part)
                assert plan_state(site) == before, f"{persona} changed {part} via {prefix}"
    with site.factory() as session, session.begin():  # the analyst's changes undone
        from delivery.models import ProgressReport
        session.query(ProgressReport).filter(ProgressReport.physical_pct == 55).delete()
        session.get(Milestone, plans.milestones["First 50 schools"]).actual_on = None
        r = session.get(Risk, risk)
        r.probability, r.impact, r.status, r.mitigation = 4, 4, "open", ""


@pytest.mark.parametrize(("part", "states", "words"), [
    ("progress", [("progress-initiative", "value", "nan"), ("progress-date", "date", "2023-01-10"),
                  ("progress-pct", "value", 5),
                  ("progress-note", "value", None)], "may only change"),
    ("progress", [("progress-initiative", "value", None), ("progress-date", "date", "2023-01-10"),
                  ("progress-pct", "value", 5),
                  ("progress-note", "value", None)], "Pick an initiative"),
    ("actual", [("actual-milestone", "value", 1), ("actual-date", "date", "9999-12-31")],
     "Not saved: Done on: "),
    ("progress", [("progress-initiative", "value", 1), ("progress-date", "date", "2023-01-10"),
                  ("progress-pct", "value", 1e308 * 10), ("progress-note", "value", None)],
     "Physical completion: physical"),
    ("progress", [("progress-initiative", "value", 1), ("progress-date", "date", "2023-01-10"),
                  ("progress-pct", "value", 5), ("progress-note", "value", "x" * 100_000)],
     "Not saved: Note: longer than 2000 characters"),
    ("progress", [("progress-initiative", "value", 1), ("progress-date", "date", "2023-01-10"),
                  ("progress-pct", "value", 5), ("progress-note", "value", ["forged"])],
     "Not saved: Note: ['forged'] is not a text"),
    ("progress", [("progress-initiative", "value", 1), ("progress-date", "date", "2023-01-10"),
                  ("progress-pct", "value", 5), ("progress-note", "value", "rain\x1b[2J")],
     "Not saved: Note: a control character (U+001B) is not allowed"),
], ids=["junk id", "no initiative", "year 9999", "infinity", "note too long", "note forged",
        "note control"])
def test_bad_plan_updates_name_the_field_and_change_nothing(site, part, states, words):
    before = plan_state(site)
    response = report_edit(site.client("analyst"), "report", part, states)
    assert response.status_code == 200 and words in response.get_data(as_text=True)
    assert plan_state(site) == before


@pytest.mark.parametrize(("persona", "path", "offered"), [
    ("secretariat", "/report", ["SDS-DELEG · Police stations", "SDS-DELEG · Opening"]),
    ("other_secretariat", "/report", ["SEE-ETI · Full-time schools"]),
    ("analyst", "/workspace/plans", ["SDS-DELEG · Police stations",
                                     "SEE-ETI · Full-time schools"]),
], ids=str)
def test_the_update_forms_offer_the_persons_own_initiatives(site, persona, path, offered):
    page = json.dumps(route(site.client(persona), path).get_json(), ensure_ascii=False)
    assert "plan-updates" in page
    for label in offered:
        assert label in page, label
    if persona != "analyst":
        other = "SEE-ETI" if persona == "secretariat" else "SDS-DELEG"
        assert f"{other} · " not in page
