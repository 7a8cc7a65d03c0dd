"""The commitment page (/commitment/<id>) and its actions, tried by each person: who reads it,
who records progress and asks for a new date (the owning secretariat and the delivery unit),
who answers a request (the delivery unit only); forged and hostile values get a message and
store nothing. And /report: most urgent first, sortable by its headers."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import func, select

from delivery.models import Commitment, CommitmentUpdate, EvidenceFile
from tests.dashboards.conftest import PERSONAS
from tests.dashboards.test_auth_routes import CALLBACK, audit_page, post, route

SEES = {"analyst": {"sds", "see"}, "governor": {"sds", "see"}, "secretariat": {"sds"},
        "other_secretariat": {"see"}, "nobody": set()}
UPDATES = {"analyst": {"sds", "see"}, "governor": set(), "secretariat": {"sds"},
           "other_secretariat": {"see"}, "nobody": set()}


def updates(site) -> int:
    with site.factory() as session:
        return session.scalar(select(func.count(CommitmentUpdate.id)))


def note(client, commitment_id, text, url="", evidence="", files=None, names=None):
    return post(client, "commitment-note-msg", [("commitment-add-note", "n_clicks", 1)],
                [("commitment-note", "value", text), ("commitment-url", "value", url),
                 ("commitment-evidence", "value", evidence),
                 ("commitment-files", "contents", files),
                 ("commitment-files", "filename", names),
                 ("commitment-id", "data", commitment_id)])


def ask(client, commitment_id, day, reason):
    return post(client, "commitment-ask-msg", [("commitment-ask", "n_clicks", 1)],
                [("commitment-new-date", "date", day), ("commitment-reason", "value", reason),
                 ("commitment-id", "data", commitment_id)])


def answer(client, commitment_id, accept, text=""):
    button = "commitment-accept" if accept else "commitment-refuse"
    return post(client, "commitment-answer-msg", [("commitment-accept", "n_clicks", 1),
                                                  ("commitment-refuse", "n_clicks", 1)],
                [("commitment-answer-note", "value", text),
                 ("commitment-id", "data", commitment_id)], changed=f"{button}.n_clicks")


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_commitment_page_opens_only_for_those_who_see_the_commitment(site, persona):
    client = site.client(persona)
    for name, commitment_id in site.gov.commitments.items():
        body = route(client, f"/commitment/{commitment_id}").get_data(as_text=True)
        description = {"sds": "Patrols in the ten worst areas",
                       "see": "Reading tutors in 100 schools"}[name]
        assert (description in body) == (name in SEES[persona]), (persona, name)
        if name in SEES[persona]:
            assert ("commitment-add-note" in body) == (name in UPDATES[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_forged_note_or_request_is_refused_and_nothing_is_stored(site, persona):
    client = site.client(persona)
    for name, commitment_id in site.gov.commitments.items():
        if name in UPDATES[persona]:
            continue
        before, rows = site.snapshot(), updates(site)
        for response in (note(client, commitment_id, "forged"),
                         ask(client, commitment_id, "2023-06-01", "forged"),
                         answer(client, commitment_id, True)):
            assert response.status_code in {200, 401, 403}
            assert "forged" not in response.get_data(as_text=True) or \
                "Not saved" in response.get_data(as_text=True)
        assert (site.snapshot(), updates(site)) == (before, rows)


@pytest.mark.parametrize(("text", "url", "evidence"), [
    ("", "", ""), ("x", "javascript:alert(1)", ""), ("x" * 100_000, "", ""),
    ("x", "https://" + "a" * 100_000, ""), ("x", "", "y" * 100_000), (None, {"a": 1}, [1]),
], ids=["empty", "script-link", "huge-note", "huge-link", "huge-evidence", "wrong-types"])
def test_a_hostile_note_gets_a_message_naming_the_field(site, text, url, evidence):
    rows = updates(site)
    response = note(site.client("secretariat"), site.gov.commitments["sds"], text, url, evidence)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Not saved: " in body and any(f"{field}:" in body for field in ("note", "link",
                                                                            "evidence"))
    assert updates(site) == rows


@pytest.mark.parametrize("day", ["9999-12-31", "2023-01-01", "x" * 100_000, None, 5])
def test_a_hostile_date_request_gets_a_message_and_nothing_is_stored(site, day):
    rows = updates(site)
    response = ask(site.client("secretariat"), site.gov.commitments["sds"], day, "why")
    assert response.status_code == 200
    assert "Not saved: new date:" in response.get_data(as_text=True)
    assert updates(site) == rows


def test_the_owner_notes_and_asks_and_only_the_delivery_unit_answers(site):
    sds = site.gov.commitments["sds"]
    owner, analyst = site.client("secretariat"), site.client("analyst")
    body = json.dumps(note(owner, sds, "Five areas patrolled",
                           "https://example.org/r.pdf").get_json())
    assert "Five areas patrolled" in body and "https://example.org/r.pdf" in body
    body = ask(owner, sds, "2023-03-01", "Vehicles late").get_data(as_text=True)
    assert "Vehicles late" in body and "commitment-accept" not in body
    rows = updates(site)
    refused = answer(owner, sds, True).get_data(as_text=True)
    assert "Not saved" in refused and updates(site) == rows
    assert "commitment-accept" in route(analyst, f"/commitment/{sds}").get_data(as_text=True)
    missing = answer(analyst, sds, False, "").get_data(as_text=True)
    assert "Not saved: note: say why the request is refused" in missing
    answer(analyst, sds, True)
    with site.factory() as session:
        c = session.get(Commitment, sds)
        assert (c.due_on.isoformat(), c.first_due_on.isoformat()) == ("2023-03-01",
                                                                      "2023-02-01")
        c.due_on, c.first_due_on = c.first_due_on, None  # put the shared site back
        session.commit()


def test_report_lists_the_most_urgent_first_and_sorts_by_a_header(site):
    client = site.client("analyst")
    body = route(client, "/report").get_data(as_text=True)
    assert body.index("Patrols in the ten worst areas") < body.index("Reading tutors")
    assert '"aria-sort":"ascending"' in body.replace(" ", "")
    sorted_by = client.post(CALLBACK, json={
        "output": "..report-commitments.children...report-sort-by.data..",
        "outputs": [{"id": "report-commitments", "property": "children"},
                    {"id": "report-sort-by", "property": "data"}],
        "inputs": [[{"id": {"type": "report-sort", "col": c}, "property": "n_clicks",
                     "value": 1 if c == "description" else None}
                    for c in ("description", "owner", "due", "state")]],
        "state": [{"id": "report-sort-by", "property": "data",
                   "value": {"col": "description", "asc": True}}],
        "changedPropIds": [json.dumps({"col": "description", "type": "report-sort"},
                                      separators=(",", ":")) + ".n_clicks"]})
    text = sorted_by.get_data(as_text=True)
    assert sorted_by.status_code == 200
    assert text.index("Reading tutors") < text.index("Patrols in the ten worst areas")
    assert '"asc":false' in text.replace(" ", "")


def test_the_audit_page_pages_through_older_changes_and_back(site):
    """The trail in pages of 30: older, newer, newest; forged pages read from the newest."""
    client = site.client("analyst")

    def range_and_pages(response):
        answer = response.get_json()["response"]
        return answer["audit-range"]["children"], answer["audit-pages"]["data"]
    shown, pages = range_and_pages(audit_page(client, {}))
    assert shown == "Changes 1 to 30, newest first" and pages["next"]
    shown, older = range_and_pages(audit_page(client, {}, pages, "audit-older"))
    assert shown.startswith("Changes 31 to ") and len(older["stack"]) == 2
    shown, back = range_and_pages(audit_page(client, {}, older, "audit-newer"))
    assert shown == "Changes 1 to 30, newest first" and back["stack"] == [None]
    for junk in ({"stack": [None, "x|y|z"], "next": "junk"}, {"stack": "9" * 10_000}, [1], None):
        response = audit_page(client, {}, junk, "audit-older")
        assert response.status_code == 200


def sort_figures(client, goal_id, column, sort=None, day="2023-01-16"):
    cols = ["period", "value", "known_on", "who"]
    return client.post(CALLBACK, json={
        "output": "..goal-figures-table.children...goal-figures-sorted.data..",
        "outputs": [{"id": "goal-figures-table", "property": "children"},
                    {"id": "goal-figures-sorted", "property": "data"}],
        "inputs": [[{"id": {"type": "goal-figures-sort", "col": c}, "property": "n_clicks",
                     "value": 1 if c == column else None} for c in cols]],
        "state": [{"id": "goal-figures-sorted", "property": "data", "value": sort},
                  {"id": "goal-figures-day", "property": "data", "value": day},
                  {"id": "goal-id", "property": "data", "value": goal_id}],
        "changedPropIds": [json.dumps({"col": column, "type": "goal-figures-sort"},
                                      separators=(",", ":")) + ".n_clicks"]})


def test_the_goal_figures_sort_by_a_header_for_those_who_see_the_goal(site):
    goal_id = site.gov.goals["homicides"]
    body = json.dumps(route(site.client("analyst"), "/goal/SDS-HOM").get_json())
    assert '"aria-sort": "descending"' in body  # newest period first
    answer = sort_figures(site.client("analyst"), goal_id, "value").get_json()["response"]
    assert answer["goal-figures-sorted"]["data"] == {"col": "value", "asc": True}
    again = sort_figures(site.client("analyst"), goal_id, "value",
                         {"col": "value", "asc": True}).get_json()["response"]
    assert again["goal-figures-sorted"]["data"] == {"col": "value", "asc": False}
    refused = sort_figures(site.client("other_secretariat"), goal_id, "value")
    assert "goal-figures-table" not in refused.get_data(as_text=True)
    for junk_day, junk_sort in (("9999-99-99", None), ("2023-01-16", {"col": "x" * 10_000}),
                                (None, [1])):
        response = sort_figures(site.client("analyst"), goal_id, "who", junk_sort, junk_day)
        assert response.status_code in {200, 204}


MEMO = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_url(content: bytes = MEMO) -> str:
    return "data:application/pdf;base64," + base64.b64encode(content).decode()


def stored_files(site) -> list[tuple[int, int, str]]:
    with site.factory() as session:
        return session.execute(select(EvidenceFile.id, EvidenceFile.commitment_id,
                                      EvidenceFile.name).order_by(EvidenceFile.id)).all()


def test_a_file_attached_to_a_note_is_listed_and_downloaded_only_by_those_who_see_it(site):
    sds, see = site.gov.commitments["sds"], site.gov.commitments["see"]
    owner = site.client("secretariat")
    answer = json.dumps(note(owner, sds, "", files=[pdf_url()],
                             names=["../Ofício 12\u202efdp.exe.pdf"]).get_json(),
                        ensure_ascii=False)
    file_id, commitment_id, name = stored_files(site)[-1]
    assert (commitment_id, name) == (sds, "Ofício 12fdp.exe.pdf")
    href = f"/commitment/{sds}/evidence/{file_id}"
    assert href in answer and "Ofício 12fdp.exe.pdf" in answer
    page = json.dumps(route(site.client("governor"), f"/commitment/{sds}").get_json())
    assert href in page
    for persona in ("secretariat", "analyst", "governor"):
        got = site.client(persona).get(href)
        assert got.status_code == 200 and got.data == MEMO, persona
        assert got.mimetype == "application/pdf"
        assert got.headers["Content-Disposition"].startswith("attachment;")
        assert "filename*=UTF-8''Of%C3%ADcio%2012fdp.exe.pdf" in got.headers[
            "Content-Disposition"]
        assert got.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in got.headers["Cache-Control"]
    other = site.client("other_secretariat")
    assert other.get(href).status_code == 403
    assert href not in json.dumps(route(other, f"/commitment/{see}").get_json())
    anonymous = site.client("nobody").get(href)
    assert anonymous.status_code in {302, 401} and anonymous.data != MEMO
    for wrong in (f"/commitment/{see}/evidence/{file_id}",  # the file, through another
                  f"/commitment/{sds}/evidence/999999", f"/commitment/999999/evidence/{file_id}",
                  f"/commitment/{sds}/evidence/{10**12}", f"/commitment/{10**12}/evidence/1"):
        got = site.client("analyst").get(wrong)
        assert got.status_code == 404 and got.data != MEMO, wrong
    for junk in (f"/commitment/{sds}/evidence/x", f"/commitment/{sds}/evidence/-1",
                 f"/commitment/{sds}/evidence/1.5", f"/commitment/{sds}/evidence/%00"):
        got = site.client("analyst").get(junk)
        assert got.status_code < 500 and got.data != MEMO, junk


@pytest.mark.parametrize(("files", "names", "message"), [
    (["data:application/pdf;base64," + base64.b64encode(b"MZ\x90").decode()], ["memo.pdf"],
     "file memo.pdf: its content is not a PDF file"),
    ([pdf_url()], ["run.exe"], "file run.exe: only PDF, PNG"),
    (["data:application/pdf;base64,"], ["memo.pdf"], "file memo.pdf: the file is empty"),
    (["data:x;base64,@@@"], ["memo.pdf"], "file memo.pdf: the upload could not be read"),
    ([pdf_url()] * 2, ["memo.pdf"], "files: the upload could not be read"),
    ({"a": 1}, 5, "files: the upload could not be read"),
    ([float("nan")], [None], "file file: the upload could not be read"),
], ids=["not-a-pdf", "program", "empty", "not-base64", "names-missing", "wrong-types", "nan"])
def test_a_hostile_file_gets_a_message_naming_it_and_nothing_is_stored(site, files, names,
                                                                      message):
    rows, kept = updates(site), stored_files(site)
    response = note(site.client("secretariat"), site.gov.commitments["sds"], "with a file",
                    files=files, names=names)
    assert response.status_code == 200
    assert f"Not saved: {message}" in response.get_data(as_text=True)
    assert (updates(site), stored_files(site)) == (rows, kept)


def test_another_secretariat_cannot_attach_a_file_to_a_commitment_not_its_own(site):
    rows, kept = updates(site), stored_files(site)
    response = note(site.client("other_secretariat"), site.gov.commitments["sds"], "forged",
                    files=[pdf_url()], names=["memo.pdf"])
    assert response.status_code in {200, 403}
    assert (updates(site), stored_files(site)) == (rows, kept)


def test_a_file_over_the_settable_limit_is_refused_naming_it(site, monkeypatch):
    settings = site.app.server.extensions["delivery"]["settings"]
    monkeypatch.setitem(settings.values, "evidence_max_file_mb", 1)
    rows = updates(site)
    response = note(site.client("secretariat"), site.gov.commitments["sds"], "big",
                    files=[pdf_url(MEMO + bytes(2 * 2**20))], names=["big.pdf"])
    assert "Not saved: file big.pdf: it is 2 MB; files of at most 1 MB are accepted" in \
        response.get_data(as_text=True)
    assert updates(site) == rows
