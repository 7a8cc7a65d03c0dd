"""Every page, callback, export and route, tried by each person: the analyst Ana, the governor
Gil, Sónia of Defesa Social (Pact for Life), Edu of Educação (another secretariat) and nobody
signed in. Refusals carry no data and change nothing; direct POSTs to Dash's callback route with
ids of goals and commitments the person may not touch are refused on the server.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import dash
import pytest
from sqlalchemy import select

from dashboards.app import create_app
from dashboards.auth import PUBLIC, SIGNED_IN, may_open
from delivery.access import ANONYMOUS, Viewer
from delivery.models import Figure, SignInAttempt, User
from delivery.users import FREE_FAILURES
from tests.dashboards.conftest import PERSONAS, Site
from tests.personas import PASSWORD, PEOPLE

CALLBACK = "/_dash-update-component"
ROUTER = ".._pages_content.children..._pages_store.data.."
CODES = {"homicides": "SDS-HOM", "firearms": "SDS-ARM", "prison": "SJDH-VAG",
         "literacy": "SEE-ALFA", "dropout": "SEE-ABAND"}
ALL_SIGNED_IN = {"analyst", "governor", "secretariat", "other_secretariat"}
PAGES = {  # path -> who may open it
    "/": ALL_SIGNED_IN,
    "/report": {"analyst", "secretariat", "other_secretariat"},  # the governor reports nothing
    "/audit": {"analyst"},
    "/workspace": {"analyst"},
    "/workspace/trajectory": {"analyst"},
    "/workspace/figures": {"analyst"},
    "/workspace/import": {"analyst"},
    "/workspace/quality": {"analyst"},
    "/workspace/jobs": {"analyst"},
    "/workspace/public": {"analyst"},
    "/workspace/plans": {"analyst"},
    "/review": {"analyst", "governor"},
    "/meetings": ALL_SIGNED_IN,  # each sees only its pacts' meetings (test_meeting_routes)
    "/meeting/none": ALL_SIGNED_IN,
    "/commitment/none": ALL_SIGNED_IN,  # each sees only its commitments (test_commitment_routes)
    "/likelihood": {"analyst", "governor"},
    "/pillar/none": {"analyst", "governor"},
    "/objective/none": {"analyst", "governor"},
    "/goal/none": ALL_SIGNED_IN,  # path templates: Dash lists them as ".../none"
    "/pacts": ALL_SIGNED_IN,  # each sees only the pacts it is a member of
    "/pact/none": ALL_SIGNED_IN,
    "/plans": ALL_SIGNED_IN,  # each sees only its initiatives (test_plan_routes)
    "/initiative/none": ALL_SIGNED_IN,
    "/map": {"analyst", "governor"},
    "/budget": {"analyst", "governor"},
    "/public": set(PERSONAS),
    "/public/goal/none": set(PERSONAS),
    "/public/data": set(PERSONAS),
    "/signin": set(PERSONAS),
    "/account/sessions": ALL_SIGNED_IN,
}
SEES = {  # which goals each person's pages may show
    "analyst": set(CODES), "governor": set(CODES),
    "secretariat": {"homicides", "firearms", "prison"},
    "other_secretariat": {"literacy", "dropout"},
    "nobody": {"homicides", "dropout"},
}
REPORTS_ON = {"analyst": set(CODES), "governor": set(),
              "secretariat": {"homicides", "firearms"},
              "other_secretariat": {"literacy", "dropout"}, "nobody": set()}
UPDATES = {"analyst": {"sds", "see"}, "governor": set(), "secretariat": {"sds"},
           "other_secretariat": {"see"}, "nobody": set()}


def route(client, path, search=""):
    """The POST Dash's page router makes to render the page at ``path``."""
    return client.post(CALLBACK, json={
        "output": ROUTER,
        "outputs": [{"id": "_pages_content", "property": "children"},
                    {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.pathname"], "state": [],
    })


def call(client, output, inputs, state=()):
    """A POST to Dash's callback route, as the browser would make it (or a forger)."""
    out_id, _, prop = output.rpartition(".")
    first_id, first_prop, _ = inputs[0]
    return client.post(CALLBACK, json={
        "output": output, "outputs": {"id": out_id, "property": prop},
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
        "changedPropIds": [f"{first_id}.{first_prop}"],
    })


def post(client, part, inputs, state=(), changed=None):
    """A POST to the callback whose outputs include ``part`` (several outputs, hashed
    duplicates), as the browser makes it."""
    spec = next(d for d in client.get("/_dash-dependencies").get_json()
                if part in d["output"])
    outputs = [{"id": o.rpartition(".")[0], "property": o.rpartition(".")[2]}
               for o in spec["output"].strip(".").split("...")]
    return client.post(CALLBACK, json={
        "output": spec["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
        "changedPropIds": [changed or f"{inputs[0][0]}.{inputs[0][1]}"]})


def codes_in(text):
    return {name for name, code in CODES.items() if re.search(rf"\b{code}\b", text)}


def viewer_of(site, persona):
    if persona == "nobody":
        return ANONYMOUS
    with site.factory() as session:
        return Viewer.of(session.get(User, site.gov.users[persona]))


# -- pages -----------------------------------------------------------------------------------


def test_only_the_sign_in_page_and_the_public_portal_are_public(site):
    public = {p["path"] for p in dash.page_registry.values() if p.get("access") == PUBLIC}
    assert public == {"/signin", "/public", "/public/goal/none", "/public/data"}


def test_pages_open_to_secretariats_are_the_ones_tested_for_scoping_here(site):
    """A page declared for every signed-in role must filter by the viewer: add it to PAGES and
    to a scoping test here when you declare one."""
    signed_in = {p["path"] for p in dash.page_registry.values() if p.get("access") == SIGNED_IN}
    assert signed_in <= {"/", "/goal/none", "/pacts", "/pact/none", "/meetings",
                         "/meeting/none", "/account/sessions",  # test_account_sessions
                         "/commitment/none",  # test_commitment_routes
                         "/inbox", "/account",  # test_inbox_page
                         "/plans", "/initiative/none",  # test_plan_routes
                         "/account/tokens",  # tests/api/test_account_tokens
                         "/404"}  # an address that is no page: it shows no data


PACTS_SEEN = {"analyst": {"PPV", "PPE"}, "governor": {"PPV", "PPE"}, "secretariat": {"PPV"},
              "other_secretariat": {"PPE"}}
PACT_GOALS = {"PPV": {"homicides", "prison"}, "PPE": {"literacy"}}


@pytest.mark.parametrize("persona", sorted(PACTS_SEEN))
def test_the_pact_pages_show_only_the_pacts_a_person_is_a_member_of(site, persona):
    client = site.client(persona)
    listed = json.dumps(route(client, "/pacts").get_json())
    assert {c for c in PACT_GOALS if f"/pact/{c}" in listed} == PACTS_SEEN[persona]
    for code, goals in PACT_GOALS.items():
        body = route(client, f"/pact/{code}").get_data(as_text=True)
        if code in PACTS_SEEN[persona]:
            assert codes_in(body) == goals, (persona, code)
        else:  # answered like a pact that does not exist
            assert "pact-missing" in body and codes_in(body) == set(), (persona, code)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_opens_only_for_the_people_it_is_for(site, persona):
    client = site.client(persona)
    for page in dash.page_registry.values():
        path = page["path"]
        allowed = (persona in PAGES[path] if path in PAGES
                   else may_open(viewer_of(site, persona), page.get("access")))
        shell = client.get(path)
        rendered = route(client, path)
        assert rendered.status_code == 200, path
        body = rendered.get_data(as_text=True)
        if allowed:
            assert shell.status_code == 200, path
            assert "access-refused" not in body, path
        else:
            if persona == "nobody":
                assert shell.status_code == 302, path
                assert (shell.headers["Location"].startswith("/signin?next=")
                        or (path == "/" and shell.headers["Location"] == "/signin")), path
            else:
                assert shell.status_code == 403, path
            assert "access-refused" in body, path
            assert codes_in(body) == set(), f"{path} leaked goals to {persona}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_page_shows_a_person_only_the_goals_they_may_see(site, persona):
    client = site.client(persona)
    for path in ("/", "/report", "/public", *(f"/goal/{code}" for code in CODES.values())):
        if persona not in PAGES.get(path, PAGES["/goal/none"]):
            continue
        if path.startswith("/goal/"):  # one goal's page: that goal only if the person sees it
            shown = codes_in(route(client, path).get_data(as_text=True))
            name = next(n for n, c in CODES.items() if path.endswith(c))
            assert shown == ({name} if name in SEES[persona] else set()), (persona, path)
            continue
        shown = codes_in(route(client, path).get_data(as_text=True))
        expected = SEES["nobody"] if path == "/public" else SEES[persona]
        if path == "/report":
            expected = REPORTS_ON[persona]  # the goals offered for reporting
        assert shown <= expected, f"{persona} on {path} saw {shown - expected}"
        if path != "/report":
            assert shown == expected, path


# -- callbacks -------------------------------------------------------------------------------


def _owner_page(site, entry):
    """The page a callback belongs to; a module serving several pages stands for one with its
    own ``ACCESS`` (as ``dashboards.auth.page_access`` reads it)."""
    module = entry["callback"].__module__
    shared = getattr(sys.modules.get(module), "ACCESS", None)
    if module not in dash.page_registry and shared is not None:
        return {"path": module, "access": shared}
    return dash.page_registry.get(module)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_callback_refuses_people_who_may_not_open_its_page(site, persona):
    client = site.client(persona)
    before = site.snapshot()
    tried = 0
    for output, entry in site.app.callback_map.items():
        if "callback" not in entry or output == ROUTER:
            continue
        page = _owner_page(site, entry)
        allowed = page is not None and (
            persona in PAGES[page["path"]] if page["path"] in PAGES
            else may_open(viewer_of(site, persona), page.get("access")))
        if allowed:
            continue
        tried += 1
        response = client.post(CALLBACK, json={"output": output, "inputs": [], "state": []})
        assert response.status_code == (401 if persona == "nobody" else 403), output
        assert "response" not in response.get_json(), output
    assert tried or persona == "analyst"
    assert site.snapshot() == before


def month_end(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_forged_goal_id_for_a_figure_is_refused_and_nothing_changes(site, persona):
    client = site.client(persona)
    for n, (name, goal_id) in enumerate(site.gov.goals.items()):
        before = site.snapshot()
        day = datetime(2021, 1 + n, 1, tzinfo=UTC).date()
        response = call(client, "report-result.children",
                        [("report-submit", "n_clicks", 1)],
                        [("report-goal", "value", goal_id),
                         ("report-start", "date", day.isoformat()),
                         ("report-end", "date", month_end(day).isoformat()),
                         ("report-value", "value", 42 + len(persona)),
                         ("report-provisional", "value", []), ("report-note", "value", "")])
        if name in REPORTS_ON[persona]:
            assert response.status_code == 200 and "Saved" in response.get_data(as_text=True)
            with site.factory() as session:
                figure = session.scalars(select(Figure).where(
                    Figure.goal_id == goal_id, Figure.period_start == day)
                    .order_by(Figure.revision.desc())).first()
                assert figure.reported_by == PEOPLE[persona][0]
            continue
        if persona in {"nobody"}:
            assert response.status_code == 401
        elif persona not in PAGES["/report"]:  # no Report page for the governor at all
            assert response.status_code == 403
        else:
            assert response.status_code == 200
            assert "report-refused" in response.get_data(as_text=True)
        assert site.snapshot() == before, f"{persona} changed goal {name}"


@pytest.mark.parametrize("junk", ["1", 1.5, None, [1], {"id": 1}, 10**12, -1, True])
def test_ids_of_the_wrong_type_are_refused(site, junk):
    before = site.snapshot()
    response = call(site.client("analyst"), "report-result.children",
                    [("report-submit", "n_clicks", 1)],
                    [("report-goal", "value", junk), ("report-start", "date", "2021-01-01"),
                     ("report-end", "date", "2021-01-31"), ("report-value", "value", 1),
                     ("report-provisional", "value", []), ("report-note", "value", "")])
    assert response.status_code == 200 and "report-refused" in response.get_data(as_text=True)
    assert site.snapshot() == before


COMMITMENT_OUTPUT = '{"index":["MATCH"],"type":"report-commitment-result"}.children'


def save_commitment(client, commitment_id, state):
    return client.post(CALLBACK, json={
        "output": COMMITMENT_OUTPUT,
        "outputs": {"id": {"index": commitment_id, "type": "report-commitment-result"},
                    "property": "children"},
        "inputs": [{"id": {"index": commitment_id, "type": "report-commitment-save"},
                    "property": "n_clicks", "value": 1}],
        "state": [{"id": {"index": commitment_id, "type": "report-commitment-state"},
                   "property": "value", "value": state}],
        "changedPropIds": [json.dumps({"index": commitment_id,
                                       "type": "report-commitment-save"},
                                      separators=(",", ":")) + ".n_clicks"],
    })


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_forged_commitment_id_is_refused_and_nothing_changes(site, persona):
    client = site.client(persona)
    for name, commitment_id in site.gov.commitments.items():
        before = site.snapshot()
        state = "dropped" if persona == "analyst" else "done"
        response = save_commitment(client, commitment_id, state)
        if name in UPDATES[persona]:
            assert "Saved." in response.get_data(as_text=True)
            save_commitment(client, commitment_id, "open")
            continue
        refused_page = persona not in PAGES["/report"]  # the governor has no Report page
        assert response.status_code == (401 if persona == "nobody" else
                                        403 if refused_page else 200)
        if persona != "nobody" and not refused_page:
            assert "right to change" in response.get_data(as_text=True)
        assert site.snapshot() == before, f"{persona} changed commitment {name}"


def audit_page(client, filters, pages=None, clicked=None):
    """The audit page's callback: the filters, the pages read so far, a pager button."""
    return post(client, "audit-table", [
        ("audit-type", "value", filters.get("object_type")),
        ("audit-object", "value", filters.get("object_id")),
        ("audit-actor", "value", filters.get("actor")),
        ("audit-dates", "start_date", filters.get("since")),
        ("audit-dates", "end_date", filters.get("until")),
        ("audit-older", "n_clicks", 1 if clicked else None),
        ("audit-newer", "n_clicks", 1 if clicked else None),
        ("audit-newest", "n_clicks", 1 if clicked else None)],
        [("audit-pages", "data", pages)], changed=f"{clicked}.n_clicks" if clicked else None)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_audit_trail_callback_answers_only_admins_and_analysts(site, persona):
    response = audit_page(site.client(persona), {"object_type": "Goal"})
    if persona == "analyst":
        assert response.status_code == 200
        assert "created" in response.get_data(as_text=True)
    else:
        assert response.status_code == (401 if persona == "nobody" else 403)
        assert "Goal" not in response.get_data(as_text=True)


def test_an_unknown_or_malformed_callback_is_refused(site):
    client = site.client("analyst")
    assert client.post(CALLBACK, json={"output": "nope.children"}).status_code == 404
    assert client.post(CALLBACK, data="not json").status_code == 404
    assert site.client().post(CALLBACK, json={"output": "nope.children"}).status_code == 401


# -- exports and every other route -----------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_figures_export_holds_only_the_goals_a_person_sees(site, persona):
    client = site.client(persona)
    response = client.get("/export/figures.csv")
    if persona == "nobody":
        assert response.status_code == 302 and "SDS" not in response.get_data(as_text=True)
        return
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert codes_in(response.get_data(as_text=True)) == SEES[persona]
    for name, code in CODES.items():
        one = client.get(f"/export/figures.csv?goal={code}")
        if name in SEES[persona]:
            assert one.status_code == 200 and codes_in(one.get_data(as_text=True)) == {name}
        else:  # answered as if it did not exist
            assert one.status_code == 404
            assert one.get_data(as_text=True) == f"no goal with code {code}\n"


OPEN_TO_ANYONE = {"/assets/<path:filename>", "/static/<path:filename>",
                  "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>",
                  "/_dash-layout", "/_dash-dependencies", "/_reload-hash", "/_favicon.ico",
                  "/auth/sign-in",
                  # the API's description and its page: no data (tests/api checks the rest)
                  "/api/v1/openapi.json", "/api/v1/docs",
                  # plotly.js's month names and separators (the public charts use them too)
                  "/plotly-locales.js",
                  # the date pickers' month and day names (as the charts')
                  "/date-locales.js",
                  # the editable grids' number and date marks (the sign-in page loads it too)
                  "/grid-locales.js"}
SHELL = {"/", "/<path:path>"}  # public pages only: see the page tests


def test_nobody_signed_in_is_refused_every_route_but_the_open_ones(site):
    client = site.client()
    for rule in site.app.server.url_map.iter_rules():
        if rule.rule in OPEN_TO_ANYONE | SHELL:
            continue
        path = re.sub(r"<[^>]+>", "x", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            assert response.status_code in {302, 401}, (method, rule.rule)
            if response.status_code == 302:
                assert response.headers["Location"].startswith("/signin"), rule.rule
            assert codes_in(response.get_data(as_text=True)) == set(), rule.rule
    assert client.get("/not-a-page").status_code == 302


def test_the_frame_and_the_callback_graph_hold_no_data(site):
    client = site.client()
    for path in ("/_dash-layout", "/_dash-dependencies"):
        response = client.get(path)
        assert response.status_code == 200
        assert codes_in(response.get_data(as_text=True)) == set()


def test_routes_not_declared_for_secretariats_refuse_them(site):
    app = create_app(site.settings)

    @app.server.route("/api/undeclared")
    def undeclared():  # e.g. a JSON API someone adds later without declaring its access
        return {"goals": list(CODES.values())}

    other = Site(app, site.factory, site.gov, site.settings)
    try:
        for persona in ("secretariat", "other_secretariat"):
            response = other.client(persona).get("/api/undeclared")
            assert response.status_code == 403 and "SDS" not in response.get_data(as_text=True)
        assert other.client().get("/api/undeclared").status_code == 302
        assert other.client("governor").get("/api/undeclared").status_code == 200
    finally:
        app.server.extensions["delivery"]["engine"].dispose()


# -- sign-in, sign-out, sessions -------------------------------------------------------------


def sign_in(client, username, password, nxt="/"):
    return client.post("/auth/sign-in", data={"username": username, "password": password,
                                              "next": nxt})


def test_signing_in_sets_a_signed_httponly_samesite_cookie_and_goes_on(site):
    client = site.client()
    response = sign_in(client, "gil", PASSWORD, "/report")
    assert response.status_code == 303 and response.headers["Location"] == "/report"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert PASSWORD not in cookie
    assert client.get("/").status_code == 200
    assert "Governor" in client.get("/_dash-layout").get_data(as_text=True)  # the menu


def test_over_https_the_cookie_is_secure_and_hsts_is_sent(site):
    client = site.client(origin="https://localhost")
    response = client.post("/auth/sign-in", base_url="https://localhost",
                           data={"username": "gil", "password": PASSWORD, "next": "/"})
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/",
                                    "/\\evil.example", "javascript:alert(1)"])
def test_after_sign_in_it_only_goes_to_pages_of_this_site(site, target):
    response = sign_in(site.client(), "ana", PASSWORD, target)
    assert response.headers["Location"] == "/"


def test_a_wrong_password_says_so_without_saying_which_part_was_wrong(site):
    for username in ("gil", "no-such-user"):
        response = sign_in(site.client(), username, "wrong password")
        query = parse_qs(urlsplit(response.headers["Location"]).query)
        assert query["error"] == ["bad"]


def test_repeated_failed_sign_ins_are_slowed_down(site):
    client = site.client()
    for _ in range(FREE_FAILURES):
        sign_in(client, "edu", "guessing")
    response = sign_in(client, "edu", PASSWORD)  # even the right password must wait
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["error"] == ["wait"] and int(query["seconds"][0]) > 0
    assert client.get("/").status_code == 302  # still not signed in
    with site.factory() as session, session.begin():  # as if the wait were over
        for attempt in session.scalars(select(SignInAttempt).where(
                SignInAttempt.username == "edu")):
            attempt.at -= timedelta(hours=1)
    assert sign_in(client, "edu", PASSWORD).headers["Location"] == "/"


def test_signing_out_ends_the_session(site):
    client = site.client("analyst")
    assert client.get("/audit").status_code == 200
    response = client.post("/auth/sign-out")
    assert response.status_code == 303 and "signed_out=1" in response.headers["Location"]
    assert client.get("/audit").status_code == 302


def test_a_cookie_stops_working_once_the_user_is_deactivated(site):
    client = site.client("governor")
    assert client.get("/").status_code == 200
    with site.factory() as session, session.begin():
        session.get(User, site.gov.users["governor"]).is_active = False
    try:
        assert client.get("/").status_code == 302
        assert route(client, "/").get_data(as_text=True).count("access-refused") == 1
    finally:
        with site.factory() as session, session.begin():
            session.get(User, site.gov.users["governor"]).is_active = True


def test_a_forged_cookie_signs_nobody_in(site):
    client = site.app.server.test_client()
    client.set_cookie("delivery_session", "eyJ1aWQiOjF9.forged.signature")
    assert client.get("/").status_code == 302


# -- cross-site requests and headers ---------------------------------------------------------


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {},  # neither Origin nor Referer
    {"Referer": "https://evil.example/page"},
    {"Origin": "http://localhost", "Sec-Fetch-Site": "cross-site"},
], ids=["other-origin", "no-origin", "other-referer", "sec-fetch-cross-site"])
def test_state_changing_requests_from_other_sites_are_refused(site, headers):
    client = site.client("analyst", origin=None)
    before = site.snapshot()
    goal_id = site.gov.goals["firearms"]
    forged = [
        client.post("/auth/sign-in", data={"username": "ana", "password": PASSWORD},
                    headers=headers),
        client.post("/auth/sign-out", headers=headers),
        client.post(CALLBACK, headers=headers, json={
            "output": "report-result.children",
            "inputs": [{"id": "report-submit", "property": "n_clicks", "value": 1}],
            "state": [{"id": "report-goal", "property": "value", "value": goal_id}]}),
    ]
    assert [r.status_code for r in forged] == [403, 403, 403]
    assert site.snapshot() == before
    assert client.get("/audit").status_code == 200  # the sign-out was refused too


def test_a_referer_from_this_site_is_accepted_when_there_is_no_origin(site):
    client = site.client("analyst", origin=None)
    response = client.post("/auth/sign-out", headers={"Referer": "http://localhost/report"})
    assert response.status_code == 303


def test_security_headers_are_set_on_pages_and_data(site):
    client = site.client("analyst")
    page = client.get("/")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    data = route(client, "/")
    for response in (page, data):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["Cache-Control"] == "no-store"
    assert data.headers["Content-Security-Policy"].startswith("default-src 'none'")
