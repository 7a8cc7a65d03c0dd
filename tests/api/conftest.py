"""The API on the small government of ``tests/personas.py``: the real app (one per test
module), a personal token per person made as the account page and the CLI make them, and
requests through Flask's test client with ``Authorization: Bearer``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from delivery.api.tokens import create_token
from delivery.models import (
    AuditEntry,
    BudgetAccount,
    Commitment,
    Figure,
    GoalAccountLink,
    User,
)
from tests.dashboards.conftest import Site, close_site, open_site
from tests.plans.conftest import Plans, add_plans

PEOPLE = ["analyst", "governor", "admin", "secretariat", "other_secretariat"]


@dataclass
class Api:
    site: Site
    secrets: dict[str, str] = field(default_factory=dict)
    plans: Plans | None = None

    @property
    def factory(self):  # type: ignore[no-untyped-def]
        return self.site.factory

    @property
    def gov(self):  # type: ignore[no-untyped-def]
        return self.site.gov

    def client(self) -> FlaskClient:
        return self.site.app.server.test_client()

    def call(self, persona: str | None, method: str, path: str, *, token: str | None = None,
             headers: dict[str, str] | None = None, **kwargs: Any):  # type: ignore[no-untyped-def]
        headers = dict(headers or {})
        secret = token or (self.secrets[persona] if persona else None)
        if secret:
            headers["Authorization"] = f"Bearer {secret}"
        return self.client().open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    def token(self, persona: str, **kwargs: Any) -> tuple[int, str]:
        """A new token for ``persona`` (id, secret)."""
        with self.factory() as session, session.begin():
            user = session.get(User, self.gov.users[persona])
            made = create_token(session, user, f"{persona} test", **kwargs)
            return made.token.id, made.secret

    def counts(self) -> dict[str, Any]:
        """What a refused write must leave as it was."""
        with self.factory() as session:
            return {"figures": session.scalar(select(func.count(Figure.id))),
                    "commitments": sorted(session.execute(
                        select(Commitment.id, Commitment.state, Commitment.closed_on)).all()),
                    "changes": session.scalar(select(func.count(AuditEntry.id)).where(
                        AuditEntry.action != "api"))}


def open_api(server, data_dir, **settings: Any) -> Api:  # type: ignore[no-untyped-def]
    site = open_site(server, data_dir, **settings)
    with site.factory() as session, session.begin():  # one budget link: SDS's homicides goal
        sds = site.gov.secretariats["SDS"]
        account = BudgetAccount(code="10.1", name="Policing", secretariat_id=sds,
                                fiscal_year=2022, appropriated=100, committed=80, spent=60)
        session.add(account)
        session.flush()
        session.add(GoalAccountLink(goal_id=site.gov.goals["homicides"], account_id=account.id,
                                    share=0.5))
        plans = add_plans(session, site.gov)  # SDS's police stations, SEE's schools
    api = Api(site, plans=plans)
    for persona in PEOPLE:
        api.secrets[persona] = api.token(persona)[1]
    return api


@pytest.fixture(scope="module")
def api(server, tmp_path_factory) -> Iterator[Api]:  # type: ignore[no-untyped-def]
    api = open_api(server, tmp_path_factory.mktemp("data"))
    yield api
    close_site(api.site)
