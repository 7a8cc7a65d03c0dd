"""``/inbox`` scoped to its reader, the landing after sign-in, and one's mail settings on
``/account`` (refused values change nothing)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from delivery.clock import pin_review_date
from delivery.models import AuditEntry, User
from tests.dashboards.conftest import close_site, open_site
from tests.dashboards.test_auth_routes import codes_in, route
from tests.personas import PASSWORD


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    """The page's JSON as text, as a person reads it (no \\u escapes)."""
    return json.dumps(response.get_json(), ensure_ascii=False)


@pytest.fixture(scope="module")
def site(server, tmp_path_factory):  # type: ignore[no-untyped-def]
    site = open_site(server, tmp_path_factory.mktemp("data"))
    with site.factory() as session, session.begin():
        pin_review_date(session, date(2023, 3, 10))  # January's figures are a week late
    yield site
    close_site(site)


@pytest.mark.parametrize(("persona", "codes"), [
    ("secretariat", {"homicides", "firearms"}),
    ("other_secretariat", {"literacy", "dropout"}),
    ("governor", set()),
], ids=["sds", "see", "governor"])
def test_the_inbox_shows_only_what_waits_for_its_reader(site, persona, codes):
    body = text_of(route(site.client(persona), "/inbox"))
    assert codes_in(body) == codes
    if codes:
        assert "days overdue" in body and "/report?goal=" in body
        assert '"/commitment/' in body and "/report#commitment" not in body
    else:
        assert "Nothing is waiting for you" in body


def test_the_inbox_page_speaks_the_readers_language(site):
    with site.factory() as session, session.begin():
        session.get(User, site.gov.users["other_secretariat"]).language = "es"
    try:
        body = text_of(route(site.client("other_secretariat"), "/inbox"))
        assert "Mi trabajo" in body and "días de atraso" in body
    finally:
        with site.factory() as session, session.begin():
            session.get(User, site.gov.users["other_secretariat"]).language = None


@pytest.mark.parametrize(("username", "landing"), [
    ("sonia", "/inbox"), ("ana", "/inbox"), ("gil", "/"), ("root", "/")])
def test_sign_in_lands_secretariats_and_analysts_on_their_inbox(site, username, landing):
    client = site.client()
    response = client.post("/auth/sign-in", data={"username": username, "password": PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == landing
    asked = site.client().post("/auth/sign-in", data={"username": username,
                                                     "password": PASSWORD, "next": "/report"})
    assert asked.headers["Location"] == "/report"
    assert site.client().get("/").headers["Location"] == "/signin"  # the front door


def test_one_saves_ones_own_mail_settings_and_a_bad_address_changes_nothing(site):
    client = site.client("secretariat")
    saved = client.post("/account/mail", data={"email": "sonia@sds.example.org",
                                               "digest": "weekly"})
    assert saved.headers["Location"] == "/account?saved=1"
    refused = client.post("/account/mail", data={"email": "sonia\r\nBcc: x@evil.example",
                                                 "digest": "daily"})
    assert refused.headers["Location"] == "/account?error=email"
    forged = client.post("/account/mail", data={"email": "", "digest": "hourly"})
    assert forged.headers["Location"] == "/account?error=digest"
    with site.factory() as session:
        sonia = session.get(User, site.gov.users["secretariat"])
        assert (sonia.email, sonia.digest) == ("sonia@sds.example.org", "weekly")
        audit = session.scalars(select(AuditEntry).where(
            AuditEntry.object_type == "User", AuditEntry.actor == "sonia")).all()
        assert any((a.after or {}).get("email") == "sonia@sds.example.org" for a in audit)
    page = route(client, "/account", "?saved=1").get_data(as_text=True)
    assert "sonia@sds.example.org" in page and "Saved." in page
    assert "no mail server is set up yet" in route(client, "/inbox").get_data(as_text=True)
    anonymous = site.client().post("/account/mail", data={"email": "a@b.org"})
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/signin")
