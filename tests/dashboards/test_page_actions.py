"""The page-action helper the meeting and commitment pages share
(``dashboards.components.page_actions``): the access check runs before the action and its
words come back as the refusal; a refused or failing action leaves nothing stored; the record is
drawn anew only for who may see it; typed values that are not text read as ""."""

from __future__ import annotations

from typing import Any

import dash
import pytest

from dashboards import context
from dashboards.components import page_actions
from dashboards.components.page_actions import RecordActions, clicked, text
from delivery.access import Viewer, require
from delivery.models import Commitment, User

COMMITMENTS = RecordActions(Commitment, lambda _s, _v, record_id: record_id is not None,
                            "commitment-error")


@pytest.fixture
def as_analyst(site, monkeypatch):  # type: ignore[no-untyped-def]
    """A request on the site, made by its analyst."""
    with site.factory() as session:
        viewer = Viewer.of(session.get(User, site.gov.users["analyst"]))
    monkeypatch.setattr(page_actions, "current_viewer", lambda: viewer)
    monkeypatch.setattr(context, "current_viewer", lambda: viewer)
    with site.app.server.test_request_context("/"):
        yield viewer


def description(site, commitment_id: int) -> str:  # type: ignore[no-untyped-def]
    with site.factory() as session:
        return session.get(Commitment, commitment_id).description


def allow(_session: Any, _viewer: Viewer, _record_id: Any) -> None:
    pass


def refuse(_session: Any, _viewer: Viewer, _record_id: Any) -> None:
    require(False, "You may not change this commitment.")


def rename(to: str):  # type: ignore[no-untyped-def]
    def run(_session: Any, c: Commitment, by: str) -> None:
        c.description = f"{to} ({by})"
    return run


def test_an_allowed_action_runs_on_the_record_and_is_kept(site, as_analyst):
    cid = site.gov.commitments["sds"]
    before = description(site, cid)
    try:
        assert COMMITMENTS.act(cid, allow, rename("Renamed")) is None
        assert description(site, cid) == f"Renamed ({as_analyst.username})"
    finally:
        with site.factory() as session, session.begin():
            session.get(Commitment, cid).description = before


def test_a_refusal_comes_back_in_the_checks_words_and_the_action_does_not_run(site, as_analyst):
    cid = site.gov.commitments["sds"]
    before = description(site, cid)
    ran: list[bool] = []
    error = COMMITMENTS.act(cid, refuse, lambda *_: ran.append(True))
    assert error == "You may not change this commitment."
    assert ran == [] and description(site, cid) == before


def test_an_action_that_fails_halfway_stores_nothing_and_says_why(site, as_analyst):
    cid = site.gov.commitments["sds"]
    before = description(site, cid)

    def half(session: Any, c: Commitment, by: str) -> None:
        rename("Half done")(session, c, by)
        session.flush()
        raise ValueError("due date: pick a date between 1900 and 2200")
    assert COMMITMENTS.act(cid, allow, half) == "due date: pick a date between 1900 and 2200"
    assert description(site, cid) == before


def test_an_unexpected_error_is_not_swallowed(site, as_analyst):
    def broken(*_: Any) -> None:
        raise RuntimeError("a bug")
    with pytest.raises(RuntimeError):
        COMMITMENTS.act(site.gov.commitments["sds"], allow, broken)


def test_fresh_draws_the_record_only_for_who_may_see_it(site, as_analyst):
    cid = site.gov.commitments["see"]
    drawn = COMMITMENTS.fresh(cid, lambda _s, viewer, c: (viewer.username, c.id))
    assert drawn == (as_analyst.username, cid)
    assert COMMITMENTS.fresh(None, lambda *_: "drawn") is dash.no_update


def test_act_and_redraw_gives_the_new_body_or_the_refusal(site, as_analyst):
    cid = site.gov.commitments["sds"]
    body, said = COMMITMENTS.act_and_redraw(cid, allow, lambda *_: None,
                                            lambda _s, _v, c: f"body of {c.id}")
    assert (body, said) == (f"body of {cid}", dash.no_update)

    body, said = COMMITMENTS.act_and_redraw(cid, refuse, lambda *_: None,
                                            lambda *_: "not drawn")
    assert body is dash.no_update
    assert said.className == "text-danger commitment-error"
    assert said.children == "Not saved: You may not change this commitment."


@pytest.mark.parametrize(("typed", "plain", "stripped"), [
    ("  Patrols ", "  Patrols ", "Patrols"), ("", "", ""), (None, "", ""), (3, "", ""),
    (["a"], "", ""), ({"a": 1}, "", "")])
def test_text_reads_only_strings(typed, plain, stripped):
    assert text(typed) == plain
    assert text(typed, strip=True) == stripped


def test_clicked_only_when_a_click_triggered_the_callback(monkeypatch):
    class Context:
        triggered: list[dict[str, Any]] = []
    monkeypatch.setattr(dash, "ctx", Context())
    assert not clicked()
    Context.triggered = [{"prop_id": "x.n_clicks", "value": None}]
    assert not clicked()
    Context.triggered = [{"prop_id": "x.n_clicks", "value": 1}]
    assert clicked()
