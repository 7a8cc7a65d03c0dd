"""The meeting documents' routes: who may download the briefing memo and the follow-up note of
which meeting, as PDF and Excel. Whole-government roles get every meeting; a secretariat only
the meetings of its pacts; nobody signed in is sent to sign in."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from delivery.models import Objective, ReviewMeeting
from tests.dashboards.conftest import Site

DOCUMENTS = ["briefing.pdf", "briefing.xlsx", "followup.pdf", "followup.xlsx"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def meetings(site: Site) -> dict[str, int]:
    """The personas' two pact meetings, plus a governor's meeting on the objective."""
    with site.factory() as session, session.begin():
        objective = session.scalars(select(Objective).where(Objective.code == "OE01")).one()
        governor = ReviewMeeting(held_on=date(2023, 1, 16), title="Weekly review: violence",
                                 objective_id=objective.id)
        session.add(governor)
        session.flush()
        ids = {m.title: m.id for m in session.scalars(select(ReviewMeeting))}
    return {"life": ids["Pact for Life review"], "education": ids["Education review"],
            "governor": ids["Weekly review: violence"]}


SEES = {
    "analyst": {"life", "education", "governor"},
    "governor": {"life", "education", "governor"},
    "admin": {"life", "education", "governor"},
    "secretariat": {"life"},
    "other_secretariat": {"education"},
}


@pytest.mark.parametrize("persona", sorted(SEES))
@pytest.mark.parametrize("meeting", ["life", "education", "governor"])
def test_who_may_download_a_meeting_s_briefing(site: Site, meetings, persona, meeting) -> None:
    response = site.client(persona).get(f"/meeting/{meetings[meeting]}/briefing.pdf")
    if meeting in SEES[persona]:
        assert response.status_code == 200
        assert response.data.startswith(b"%PDF")
    else:
        assert response.status_code == 403
        assert not response.data.startswith(b"%PDF")


@pytest.mark.parametrize("document", DOCUMENTS)
def test_each_document_downloads_as_an_attachment_of_its_type(site: Site, meetings,
                                                              document) -> None:
    response = site.client("secretariat").get(f"/meeting/{meetings['life']}/{document}")
    assert response.status_code == 200
    name, fmt = document.split(".")
    assert response.mimetype == ("application/pdf" if fmt == "pdf" else XLSX)
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=meeting-{meetings['life']}-{name}-2023-01-09.{fmt}")
    if fmt == "xlsx":
        book = load_workbook(BytesIO(response.data))
        assert book["Meeting"]["B2"].value == "Pact for Life review"
    else:
        assert response.data.startswith(b"%PDF")


@pytest.mark.parametrize("path", ["/meeting/999999/briefing.pdf",
                                  "/meeting/99999999999/followup.xlsx"],
                         ids=["missing", "beyond-the-column"])
def test_a_missing_meeting_is_not_found(site: Site, path) -> None:
    response = site.client("analyst").get(path)
    assert response.status_code == 404
    assert b"no meeting with id" in response.data


def test_nobody_signed_in_is_sent_to_sign_in(site: Site, meetings) -> None:
    response = site.client("nobody").get(f"/meeting/{meetings['life']}/briefing.pdf")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/signin?next=")


def test_a_malformed_as_of_is_refused_with_the_field_named(site: Site, meetings) -> None:
    response = site.client("analyst").get(
        f"/meeting/{meetings['life']}/followup.pdf?as_of=yesterday")
    assert response.status_code == 400
    assert b"as_of must be a date" in response.data
