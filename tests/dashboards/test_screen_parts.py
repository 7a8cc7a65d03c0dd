"""Pure parts of issue 16's screens: the goal's budget sentence, the figures table, links that
never dead-end, and the review's Mark done answered only for those allowed."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
from sqlalchemy import select

from dashboards.components.goal_record import budget_sentence, figures_table, unit_header
from dashboards.components.links import link, may_follow
from delivery.access import Viewer
from delivery.models import Commitment
from delivery.vocabulary import CommitmentState, Role


def test_the_budget_sentence_says_money_and_progress_together_without_contradiction():
    behind = budget_sentence(0.65, 1.0, -0.3, "")
    assert behind.startswith("65% of the money is spent with 100% of the year gone by")
    assert "moved away from the target" in behind and "Flagged" not in behind
    flagged = budget_sentence(0.9, 0.5, 0.2, "money spent, trajectory not followed")
    assert "covered 20% of the change planned" in flagged
    assert flagged.endswith("Flagged: money spent, trajectory not followed.")
    assert "cannot be measured" in budget_sentence(0.1, 0.5, float("nan"), "")


def test_the_figures_table_names_the_unit_and_strikes_superseded_revisions():
    figures = pd.DataFrame([
        (date(2022, 11, 1), date(2022, 11, 30), 95.0, 1, False, "ana", date(2022, 12, 10), ""),
        (date(2022, 11, 1), date(2022, 11, 30), 96.5, 2, False, "bob", date(2023, 1, 5), "fix"),
        (date(2022, 12, 1), date(2022, 12, 31), 97.0, 1, True, "ana", date(2023, 1, 10), ""),
    ], columns=["period_start", "period_end", "value", "revision", "is_provisional",
                "reported_by", "known_on", "note"])
    table = str(figures_table(figures, "%", "monthly"))
    assert unit_header("Value", "%") == "Value (%)" and "Value (%)" in table
    assert table.index("Dec 2022") < table.index("Nov 2022")
    assert table.count("figure-superseded") == 1 and "provisional" in table


def test_a_link_to_a_page_the_person_may_not_open_is_plain_text(site):
    secretariat = Viewer(1, "sonia", Role.SECRETARIAT, 1)
    governor = Viewer(2, "gil", Role.GOVERNOR)
    assert not may_follow("/pillar/SEG", secretariat) and may_follow("/pillar/SEG", governor)
    assert may_follow("/goal/SDS-HOM", secretariat)
    assert may_follow("/export/figures.csv?goal=X", secretariat)  # not a page: left alone
    assert not may_follow("/report", governor) and may_follow("/report", secretariat)
    assert "href" not in link("Security", "/pillar/SEG", secretariat).to_plotly_json()["props"]
    assert link("Security", "/pillar/SEG", governor).href == "/pillar/SEG"


def test_mark_done_from_the_review_closes_for_an_analyst_and_refuses_the_governor(site):
    commitment_id = site.gov.commitments["sds"]
    site.client("analyst").get("/_dash-dependencies")  # Dash fills its callback map then
    output = next(key for key in site.app.callback_map
                  if "review-commitment-done-result" in key)  # the pattern, as Dash keys it
    button = {"in": "due", "index": commitment_id, "type": "review-commitment-done"}

    def press(persona):  # type: ignore[no-untyped-def]
        return site.client(persona).post("/_dash-update-component", json={
            "output": output,
            "outputs": {"id": {**button, "type": "review-commitment-done-result"},
                        "property": "children"},
            "inputs": [{"id": button, "property": "n_clicks", "value": 1}],
            "state": [], "changedPropIds": [
                json.dumps(button, sort_keys=True, separators=(",", ":")) + ".n_clicks"]})

    before = site.snapshot()
    refused = press("governor")
    assert refused.status_code == 200 and "right to change" in refused.get_data(as_text=True)
    assert site.snapshot() == before
    assert press("secretariat").status_code == 403  # the review is not a secretariat's page
    assert "marked done" in press("analyst").get_data(as_text=True)
    with site.factory() as session, session.begin():
        commitment = session.scalar(select(Commitment).where(Commitment.id == commitment_id))
        assert commitment.state == CommitmentState.DONE and commitment.closed_by == "ana"
        commitment.state, commitment.closed_on, commitment.closed_by = (
            CommitmentState.OPEN, None, None)


