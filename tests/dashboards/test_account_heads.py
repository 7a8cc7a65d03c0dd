"""Who heads each secretariat, set by an administrator on /account/sessions (the page where
they manage people) and by ``delivery users set-head``: audited; nobody else may; only an
active secretariat user can be a head; the escalation then reaches the new head."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from delivery.models import AuditEntry, User
from delivery.notifications.reminders import reminders_due
from tests.dashboards.test_auth_routes import route
from tests.test_users import cli_db, run_cli  # noqa: F401 - the fixture, shared

HEADS = "/account/sessions/head"


def is_head(site, persona: str) -> bool:
    with site.factory() as session:
        return session.get(User, site.gov.users[persona]).is_secretariat_head


def heads_shown(page: str) -> dict[str, str]:
    """Each listed user's head mark, from the page's JSON (its data-* attributes come in any
    order: Dash gathers them from a set)."""
    found: dict[str, str] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "data-user" in node and "data-head" in node:
                found[node["data-user"]] = node["data-head"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(page))
    return found


def not_head(site, persona: str) -> None:
    """``persona`` heads nothing (the site is shared by this module's tests, in any order)."""
    with site.factory() as session, session.begin():
        session.get(User, site.gov.users[persona]).is_secretariat_head = False


def test_the_administrators_page_lists_secretariat_users_with_a_head_button(site):
    not_head(site, "secretariat")
    page = route(site.client("admin"), "/account/sessions").get_data(as_text=True)
    page = page.replace("\\u002f", "/")
    assert "Heads of secretariats" in page and "account-heads" in page
    assert heads_shown(page)["sonia"] == "no" and "edu" in heads_shown(page)
    assert "ana" not in heads_shown(page)  # an analyst heads nothing
    assert "Make head" in page and '"action":"/account/sessions/head"' in page
    for persona in ("analyst", "secretariat"):
        mine = route(site.client(persona), "/account/sessions").get_data(as_text=True)
        assert "account-heads" not in mine


def test_an_administrator_makes_a_head_and_unmakes_it_audited(site):
    admin, sonia = site.client("admin"), site.gov.users["secretariat"]
    made = admin.post(HEADS, data={"user": sonia, "head": "1"})
    assert made.status_code == 303 and "head=saved" in made.headers["Location"]
    assert is_head(site, "secretariat")
    page = route(admin, "/account/sessions", "?head=saved").get_data(as_text=True)
    assert "Saved." in page and "Not head" in page
    with site.factory() as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.object_type == "User", AuditEntry.object_id == str(sonia),
            AuditEntry.action == "update").order_by(AuditEntry.id.desc())).first()
    assert entry.after["is_secretariat_head"] is True and entry.before[
        "is_secretariat_head"] is False
    assert admin.post(HEADS, data={"user": sonia, "head": "0"}).status_code == 303
    assert not is_head(site, "secretariat")


@pytest.mark.parametrize("persona", ["analyst", "governor", "secretariat", "nobody"])
def test_nobody_but_an_administrator_may(site, persona):
    answer = site.client(persona).post(HEADS, data={"user": site.gov.users["secretariat"],
                                                    "head": "1"})
    assert answer.status_code in (302, 403)
    assert not is_head(site, "secretariat")


@pytest.mark.parametrize("data", [
    {"user": "analyst", "head": "1"}, {"user": "secretariat", "head": "yes"},
    {"user": "9" * 40, "head": "1"}, {"user": "99999", "head": "1"}, {"head": "1"}, {}])
def test_a_user_who_cannot_head_or_junk_changes_nothing_and_says_why(site, data):
    data = {k: str(site.gov.users.get(v, v)) for k, v in data.items()}
    answer = site.client("admin").post(HEADS, data=data)
    assert answer.status_code == 303 and "error=head" in answer.headers["Location"]
    assert not is_head(site, "secretariat") and not is_head(site, "analyst")
    page = route(site.client("admin"), "/account/sessions", "?error=head")
    assert "only an active secretariat user" in page.get_data(as_text=True)


def test_the_cli_sets_a_head_and_refuses_an_analyst(cli_db):  # noqa: F811
    run_cli(["add", "sonia", "--role", "secretariat", "--secretariat", "SDS",
             "--password-stdin"], "a long enough password\n")
    run_cli(["add", "ana", "--role", "analyst", "--password-stdin"], "a long enough password\n")
    made = run_cli(["set-head", "sonia"])
    assert made.exit_code == 0 and "sonia now heads" in made.output
    refused = run_cli(["set-head", "ana"])
    assert refused.exit_code == 1 and "only an active secretariat user" in refused.output
    with cli_db() as session:
        assert session.scalar(select(User).where(User.username == "sonia")).is_secretariat_head
        escalated = reminders_due(session, date(2023, 3, 10))  # no goals: nothing to escalate
    assert escalated == {}
    assert run_cli(["set-head", "sonia", "--not"]).exit_code == 0
    with cli_db() as session:
        assert not session.scalar(select(User).where(
            User.username == "sonia")).is_secretariat_head
