"""The live app (a real server on a free port, in a thread) tested by schemathesis from its own
OpenAPI document: whatever it is sent, within the document or not, it never answers with a
server error and never with a body that breaks the document. Bounded: a few examples per
operation, so the run takes well under two minutes."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance
from werkzeug.serving import make_server

from tests.api.conftest import Api, close_site, open_api


@pytest.fixture(scope="module")
def live(server, tmp_path_factory) -> Iterator[tuple[str, Api]]:  # type: ignore[no-untyped-def]
    api = open_api(server, tmp_path_factory.mktemp("data"), api_rate_per_minute=0)
    httpd = make_server("127.0.0.1", 0, api.site.app.server, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", api
    finally:
        httpd.shutdown()
        thread.join(timeout=10)
        close_site(api.site)


@pytest.fixture(scope="module")
def operations(live):  # type: ignore[no-untyped-def]
    url, _api = live
    schema = schemathesis.openapi.from_url(f"{url}/api/v1/openapi.json")
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) == 16  # every endpoint, reads and writes (plans' included)
    return found


SETTINGS = settings(max_examples=6, deadline=None, derandomize=True, database=None,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=["within-the-document", "outside-it"])
@pytest.mark.parametrize("persona", ["analyst", "secretariat"])
def test_no_server_error_and_no_answer_outside_the_document(live, operations, persona, mode):
    url, api = live
    headers = {"Authorization": f"Bearer {api.secrets[persona]}"}
    for operation in operations:
        @given(case=operation.as_strategy(generation_mode=mode))
        @SETTINGS
        def check(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate(base_url=url, headers=headers, timeout=30,
                                   checks=[not_a_server_error, response_schema_conformance])

        check()


PLAN_WRITES = {"/api/v1/initiatives/{code}/milestones/{milestone_id}",
               "/api/v1/initiatives/{code}/progress", "/api/v1/initiatives/{code}/risks/{risk_id}"}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=["within-the-document", "outside-it"])
@pytest.mark.parametrize("persona", ["analyst", "secretariat", "governor"])
def test_plan_writes_on_a_real_initiative_never_fail_or_leave_the_document(
        live, operations, persona, mode):
    """The plan writes with generated bodies sent to an initiative, milestone and risk that
    exist (random paths mostly meet 404 before the body is read)."""
    url, api = live
    from sqlalchemy import select

    from delivery.models import Risk
    with api.factory() as session:
        risk = session.scalar(select(Risk.id).where(
            Risk.initiative_id == api.plans.initiatives["stations"]))
    real = {"code": "SDS-DELEG", "milestone_id": api.plans.milestones["Opening"],
            "risk_id": risk}
    headers = {"Authorization": f"Bearer {api.secrets[persona]}"}
    chosen = [op for op in operations if op.path in PLAN_WRITES]
    assert len(chosen) == 3
    for operation in chosen:
        @given(case=operation.as_strategy(generation_mode=mode))
        @SETTINGS
        def check(case) -> None:  # type: ignore[no-untyped-def]
            case.path_parameters = {k: real[k] for k in case.path_parameters or {}}
            case.call_and_validate(base_url=url, headers=headers, timeout=30,
                                   checks=[not_a_server_error, response_schema_conformance])

        check()
