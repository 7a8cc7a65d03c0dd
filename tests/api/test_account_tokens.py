"""``/account/tokens``: a signed-in person makes a token (its secret shown once, on the page),
uses it on the API, and revokes it; nobody revokes someone else's."""

from __future__ import annotations

from sqlalchemy import select

from delivery.models import ApiToken
from tests.dashboards.test_auth_routes import route

PAGE = "/account/tokens"


def test_a_person_makes_a_token_sees_it_once_uses_it_and_revokes_it(api):
    browser = api.site.client("secretariat")
    made = browser.post(f"{PAGE}/create", data={"name": "SDS statistics", "expires": ""})
    assert made.status_code == 303 and made.headers["Location"] == PAGE
    page = route(browser, PAGE).get_data(as_text=True)
    secret = page.split('"id":"new-token"')[0].rsplit('"children":"', 1)[1].split('"')[0] \
        if '"id":"new-token"' in page else None
    with api.factory() as session:
        token = session.scalars(select(ApiToken).where(ApiToken.name == "SDS statistics")).one()
    assert secret is not None and secret.startswith(token.prefix)
    assert "SDS statistics" in page
    assert secret not in route(browser, PAGE).get_data(as_text=True)  # shown once
    assert api.call(None, "GET", "/goals", token=secret).status_code == 200
    other = api.site.client("other_secretariat")
    assert "SDS statistics" not in route(other, PAGE).get_data(as_text=True)  # one's own only
    assert other.post(f"{PAGE}/revoke", data={"token": str(token.id)}).status_code == 303
    assert api.call(None, "GET", "/goals", token=secret).status_code == 200  # not theirs
    assert browser.post(f"{PAGE}/revoke", data={"token": str(token.id)}).status_code == 303
    assert api.call(None, "GET", "/goals", token=secret).status_code == 401


def test_a_token_without_a_name_or_with_a_past_date_is_refused_naming_why(api):
    browser = api.site.client("analyst")
    before = api.counts()
    for form, why in (({"name": ""}, "name:"), ({"name": "x", "expires": "2001-01-01"},
                                                 "expires:"),
                      ({"name": "x", "expires": "31/12/2030"}, "expires:")):
        assert browser.post(f"{PAGE}/create", data=form).status_code == 303
        assert why in route(browser, PAGE).get_data(as_text=True)
    assert api.counts() == before


def test_nobody_signed_in_makes_no_token(api):
    assert api.site.client().post(f"{PAGE}/create", data={"name": "x"}).status_code == 302
