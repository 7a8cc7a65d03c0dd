"""Sessions kept on the server, through the app: a cookie from before sign-out, a new password
or an administrator's "end all" opens nothing; the sessions page shows one's own sessions only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask.sessions import SecureCookieSessionInterface

from delivery.models import User
from delivery.signin.sessions import Lifetime, find_session
from delivery.users import set_password
from tests.dashboards.test_auth_routes import CALLBACK, route
from tests.personas import PASSWORD, PEOPLE

COOKIE = "delivery_session"
EXPORT = "/export/figures.csv"


def signed_in(site, persona, agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"):
    """A client signed in through the sign-in route, as a browser would be."""
    client = site.client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    response = client.post("/auth/sign-in", data={"username": PEOPLE[persona][0],
                                                  "password": PASSWORD, "next": "/"})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    return client


def cookie_of(client):
    return client.get_cookie(COOKIE).value


def cookie_content(site, client):
    serializer = SecureCookieSessionInterface().get_signing_serializer(site.app.server)
    return serializer.loads(cookie_of(client))


def session_id(site, client):
    with site.factory() as session:
        token = cookie_content(site, client)["sid"]
        return find_session(session, token, datetime.now(UTC), Lifetime()).row.id


def with_cookie(site, value):
    client = site.client()
    client.set_cookie(COOKIE, value)
    return client


def opens_nothing(site, value):
    """Nothing the cookie could reach answers: a page, the figures, a callback, a post."""
    client = with_cookie(site, value)
    assert client.get("/audit").status_code == 302
    assert client.get(EXPORT).status_code == 302
    assert route(client, "/audit").get_data(as_text=True).count("access-refused") == 1
    assert client.post(CALLBACK, json={"output": "x.children"}).status_code == 401
    assert client.get("/account/sessions").status_code == 302


def test_the_cookie_holds_only_a_random_token(site):
    client = signed_in(site, "analyst")
    content = cookie_content(site, client)
    assert set(content) - {"_permanent"} == {"sid"} and len(content["sid"]) >= 40
    assert "Set-Cookie" not in client.get("/audit").headers  # not renewed on every request


def test_a_cookie_from_before_sign_out_opens_nothing(site):
    client = signed_in(site, "analyst")
    saved = cookie_of(client)
    assert with_cookie(site, saved).get("/audit").status_code == 200
    assert client.post("/auth/sign-out").status_code == 303
    opens_nothing(site, saved)


def test_a_cookie_from_before_a_password_change_opens_nothing(site):
    saved = cookie_of(signed_in(site, "analyst"))
    with site.factory() as session, session.begin():
        user = session.get(User, site.gov.users["analyst"])
        set_password(session, user, PASSWORD + " new")
    try:
        opens_nothing(site, saved)
    finally:
        with site.factory() as session, session.begin():
            set_password(session, session.get(User, site.gov.users["analyst"]), PASSWORD)


def test_the_sessions_page_lists_ones_own_sessions_and_marks_this_one(site):
    here = signed_in(site, "secretariat", "Mozilla/5.0 (Windows NT 10.0) Chrome/126.0")
    signed_in(site, "secretariat", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5) Safari/604.1")
    signed_in(site, "other_secretariat", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
    page = route(here, "/account/sessions").get_data(as_text=True)
    assert "Chrome on Windows" in page and "Safari on iPhone" in page
    assert "Firefox on Linux" not in page  # another person's session
    assert page.count("this browser") == 1
    assert "Everyone" not in page  # the administrators' card


def test_signing_out_one_session_leaves_the_others(site):
    here = signed_in(site, "governor")
    other = signed_in(site, "governor")
    other_id = session_id(site, other)
    assert here.post("/account/sessions/end", data={"session": other_id}).status_code == 303
    assert other.get("/").status_code == 302 and here.get("/").status_code == 200


def test_one_cannot_end_someone_elses_session(site):
    victim = signed_in(site, "governor")
    attacker = signed_in(site, "secretariat")
    attacker.post("/account/sessions/end", data={"session": session_id(site, victim)})
    assert victim.get("/").status_code == 200


def test_signing_out_everywhere_ends_every_session_of_ones_own(site):
    here, phone = signed_in(site, "other_secretariat"), signed_in(site, "other_secretariat")
    bystander = signed_in(site, "secretariat")
    response = here.post("/account/sessions/end-all")
    assert response.status_code == 303 and "signed_out=1" in response.headers["Location"]
    assert here.get("/").status_code == 302 and phone.get("/").status_code == 302
    assert bystander.get("/").status_code == 200


@pytest.mark.parametrize("persona", ["analyst", "governor", "secretariat"])
def test_only_an_administrator_ends_someone_elses_sessions(site, persona):
    victim = signed_in(site, "governor")
    refused = site.client(persona).post("/account/sessions/end-user",
                                        data={"user": site.gov.users["governor"]})
    assert refused.status_code == 403 and victim.get("/").status_code == 200


def test_an_administrator_ends_all_of_a_persons_sessions_from_the_page(site):
    victim, admin = signed_in(site, "analyst"), signed_in(site, "admin")
    page = route(admin, "/account/sessions").get_data(as_text=True)
    assert "Everyone" in page and PEOPLE["analyst"][0] in page
    response = admin.post("/account/sessions/end-user", data={"user": site.gov.users["analyst"]})
    assert response.status_code == 303
    assert victim.get("/").status_code == 302 and admin.get("/").status_code == 200


@pytest.mark.parametrize("junk", ["", "abc", "-1", "9" * 40, "1\r\n2"])
def test_malformed_session_ids_get_a_message_not_an_error(site, junk):
    client = signed_in(site, "analyst")
    response = client.post("/account/sessions/end", data={"session": junk})
    assert response.status_code == 303 and client.get("/").status_code == 200
