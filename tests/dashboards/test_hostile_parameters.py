"""Every page and every route, tried with hostile values by each person: dates outside 1900-2200
and not dates at all, malformed ids, CR/LF, oversized and deeply nested bodies. Each gets a page
that says what was wrong or a 4xx, never a 5xx."""

from __future__ import annotations

import inspect
import json
import re

import dash
import pytest

from tests.dashboards.test_auth_routes import CALLBACK, route

HOSTILE = ["9999-12-31", "0001-01-01", "1899-12-31", "2023-02-30", "garbage", "-1",
           "99999999999999999999999", "1e309", "../../etc/passwd", "a\r\nLocation: //evil",
           "%00", "a\x00b", "x" * 3000]
WHO = ["analyst", "governor", "admin", "secretariat", "nobody"]


def page_urls():
    """(path, query) for every registered page: its path variables and its layout's own
    keyword parameters, all set to each hostile value."""
    for page in dash.page_registry.values():
        template = page.get("path_template") or page["path"]
        names = [n for n in inspect.signature(page["layout"]).parameters
                 if n not in {"_query", "kwargs"} and not n.startswith("_")]
        for value in HOSTILE:
            path = re.sub(r"<[^>]+>", value.replace("/", "%2F"), template)
            query = "&".join(f"{n}={value}" for n in names if f"<{n}>" not in template)
            yield path, f"?{query}" if query else ""


@pytest.mark.parametrize("persona", WHO)
def test_every_page_with_hostile_parameters_answers_without_a_server_error(site, persona):
    client = site.client(persona)
    for path, query in page_urls():
        rendered = route(client, path, query)
        assert rendered.status_code < 500, (persona, path, query)
        assert "Traceback" not in rendered.get_data(as_text=True)
        assert client.get(path + query).status_code < 500, (persona, path, query)


def test_an_out_of_range_date_is_named_on_the_page(site):
    page = route(site.client("analyst"), "/", "?as_of=9999-12-31").get_data(as_text=True)
    assert "outside the years 1900 to 2200" in page and "showing the current review date" in page


@pytest.mark.parametrize("persona", WHO)
def test_every_route_with_hostile_parameters_answers_without_a_server_error(site, persona):
    client = site.client(persona)
    for rule in site.app.server.url_map.iter_rules():
        for value in HOSTILE:
            path = re.sub(r"<[^>]+>", value.replace("/", "%2F"), rule.rule)
            query = {k: value for k in ("as_of", "goal", "all_revisions", "next", "session",
                                         "user", "error", "username", "password")}
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(path, method=method, query_string=query, data=query)
                assert response.status_code < 500, (persona, method, rule.rule, value)


@pytest.mark.parametrize("target", ["/\r\nSet-Cookie: x=1", "/a\nb", "/%0d%0aLocation:x"])
def test_a_line_break_in_next_goes_home(site, target):
    response = site.client().post("/auth/sign-in", data={"username": "ana",
                                                         "password": "x", "next": target})
    assert response.status_code == 303 and "\n" not in response.headers["Location"]


@pytest.mark.parametrize("path", [CALLBACK, "/auth/sign-in", "/auth/sign-out",
                                  "/account/sessions/end"])
def test_a_body_over_the_size_limit_is_refused_before_it_is_read(site, path):
    too_big = b"[" + b"0," * (site.settings.max_request_mb * 1024 * 1024 // 2) + b"0]"
    response = site.client("analyst").post(path, data=too_big,
                                           content_type="application/json")
    assert response.status_code == 413


@pytest.mark.parametrize("body", [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"output": ' + b'{"a":' * 5_000 + b"1" + b"}" * 5_000 + b"}",
    b'{"output": "x.children", "inputs": [' + b"[" * 200 + b"]" * 200 + b"]}",
], ids=["bare-arrays", "nested-objects", "nested-inputs"])
@pytest.mark.parametrize("persona", ["analyst", "nobody"])
def test_deeply_nested_json_is_refused_before_it_is_parsed(site, body, persona):
    response = site.client(persona).post(CALLBACK, data=body, content_type="application/json")
    assert response.status_code == 400
    assert "nests deeper" in response.get_json()["error"]


def test_a_nul_character_in_a_callback_body_is_refused(site):
    text = json.dumps({"output": "report-result.children", "inputs": [{"value": "a\x00b"}]})
    response = site.client("analyst").post(CALLBACK, data=text, content_type="application/json")
    assert response.status_code == 400 and "NUL" in response.get_json()["error"]


def test_brackets_inside_strings_do_not_count_as_nesting(site):
    text = json.dumps({"output": "nowhere.children", "inputs": [{"value": "[" * 500}]})
    response = site.client("analyst").post(CALLBACK, data=text, content_type="application/json")
    assert response.status_code == 404  # reached the callback lookup: no such callback
