"""The public portal as nobody signed in: every public link crawled (pages rendered by Dash's
router over HTTP, files downloaded through the real routes) and nothing of a
non-public goal in any of it: not its name, its code, its figures, nor any internal code of
the government (goals, objectives, pillars, secretariats, pacts)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from delivery.clock import pin_review_date
from delivery.figures import record_figure
from delivery.models import Goal, Objective, Pact, Pillar, Secretariat, Trajectory
from delivery.public import public_goals, slugify
from tests.dashboards.conftest import close_site, open_site
from tests.dashboards.test_auth_routes import route

DAY = date(2023, 1, 16)
SECRET_VALUE = 4817.25  # a figure only the non-public goals have


@pytest.fixture(scope="module")
def site(server, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The persona government, its public goals and secretariats named as a citizen reads
    them (the fixture's names carry codes), a figure no public goal has on every other goal."""
    site = open_site(server, tmp_path_factory.mktemp("data"))
    with site.factory() as session, session.begin():
        pin_review_date(session, DAY)
        for goal in session.scalars(select(Goal)):
            if goal.is_public:
                goal.name = {"SDS-HOM": "Fewer homicides", "SEE-ABAND": "Fewer pupils drop out"
                             }[goal.code]
                goal.indicator = "People counted each month"
                record_figure(session, goal, date(2022, 11, 1), date(2022, 11, 30), 95.0,
                              reported_by="ana", source="monthly return",
                              known_on=date(2022, 12, 10))
                record_figure(session, goal, date(2022, 12, 1), date(2022, 12, 31), 91.0,
                              reported_by="ana", source="monthly return",
                              known_on=date(2023, 1, 10))
            else:
                goal.name = f"Secret plan {goal.code}"
                record_figure(session, goal, date(2022, 12, 1), date(2022, 12, 31),
                              SECRET_VALUE, reported_by="ana", source="internal return",
                              known_on=date(2023, 1, 10))
        for trajectory in session.scalars(select(Trajectory)):  # in force on the review date
            trajectory.approved_at = datetime(2022, 1, 15, tzinfo=UTC)
        for secretariat in session.scalars(select(Secretariat)):
            secretariat.name = "Secretariat of " + {"SDS": "Social Defence", "SJDH": "Justice",
                                                    "SEE": "Education"}[secretariat.code]
    yield site
    close_site(site)


def secrets_of(site: Any) -> list[str]:
    """What must never appear in public: every code, and the non-public goals' names and
    indicators and their figure, as written and as formatted."""
    with site.factory() as session:
        codes = set()
        for model in (Goal, Objective, Pillar, Secretariat, Pact):
            codes |= set(session.scalars(select(model.code)))
        hidden = session.execute(select(Goal.name, Goal.indicator)
                                 .where(Goal.is_public.is_(False))).all()
    words = sorted(codes) + [t for row in hidden for t in row]
    return words + ["4817.25", "4,817.25", "4.817,25", "4817,25", "Secret plan", "internal return"]


LANGUAGES = {"en": "en", "pt_BR": "pt-BR,pt;q=0.9", "es": "es"}


def render_page(site: Any, path: str, locale: str = "en") -> str:
    """The page at ``path`` as Dash's router renders it over HTTP for nobody signed in, whose
    browser asks for ``locale``."""
    client = site.client("nobody")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = LANGUAGES[locale]
    response = route(client, path)
    assert response.status_code == 200, path
    return json.dumps(response.get_json(), ensure_ascii=False)  # Dash escapes "/" and "<"


def hrefs(rendered: str) -> list[str]:
    return re.findall(r'"href":\s*"([^"]*)"', rendered)


def absent(text: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets
            if re.search(r"(?<![\w-])" + re.escape(s) + r"(?![\w-])", text)]


def crawl(site: Any) -> dict[str, str]:
    """Every page and file reachable from /public by its links, by path."""
    client = site.client("nobody")
    seen: dict[str, str] = {}
    queue = ["/public"]
    while queue:
        link = queue.pop()
        path = link.split("#")[0]
        if path in seen:
            continue
        if path.startswith("/public/data/"):
            response = client.get(path)
            assert response.status_code == 200, path
            seen[path] = response.get_data(as_text=True)
            continue
        assert client.get(path.split("?")[0]).status_code == 200, path  # the shell opens
        seen[path] = render_page(site, path.split("?")[0])
        for href in hrefs(seen[path]):
            assert href.startswith("/public"), f"{path} links to {href}"
            queue.append(href)
    return seen


def test_every_public_link_opens_and_shows_nothing_that_is_not_public(site) -> None:
    pages = crawl(site)
    with site.factory() as session:
        slugs = set(public_goals(session, DAY)["slug"])
    assert slugs == {"fewer-homicides", "fewer-pupils-drop-out"}
    assert {f"/public/goal/{s}" for s in slugs} <= set(pages)
    for dataset in ("goals", "figures", "trajectories", "dictionary"):
        assert {f"/public/data/{dataset}.csv", f"/public/data/{dataset}.json"} <= set(pages)
    assert "/public/data/figures.csv?goal=fewer-homicides" in pages
    assert "fewer-homicides,2023-12-31,70.0" in pages["/public/data/trajectories.csv"]
    secrets = secrets_of(site)
    leaks = {path: absent(text, secrets) for path, text in pages.items()}
    assert {path: found for path, found in leaks.items() if found} == {}
    assert "Fewer homicides" in pages["/public"]  # the check is not vacuous


def test_the_check_would_catch_a_leak(site) -> None:
    secrets = secrets_of(site)
    assert absent('{"children": "Secret plan SDS-ARM: 4,817.25"}', secrets)
    assert absent("SDS-HOM", secrets) == ["SDS-HOM"]


def test_the_downloads_hold_the_public_goals_their_figures_and_paths(site) -> None:
    client = site.client("nobody")
    goals = list(csv.DictReader(io.StringIO(client.get("/public/data/goals.csv").get_data(
        as_text=True))))
    assert {g["goal"] for g in goals} == {"fewer-homicides", "fewer-pupils-drop-out"}
    homicides = next(g for g in goals if g["goal"] == "fewer-homicides")
    assert homicides["latest_value"] == "91.0"
    assert homicides["latest_period_end"] == "2022-12-31"
    assert homicides["status"] in {"on_track", "slipping", "off_track"}
    assert homicides["status_reason"].startswith("The figure for December 2022")
    figures = client.get("/public/data/figures.json?goal=fewer-homicides").get_json()
    assert figures["as_of"] == "2023-01-16"
    assert [(r["period_end"], r["value"]) for r in figures["records"]] == [
        ("2022-11-30", 95.0), ("2022-12-31", 91.0)]
    dictionary = client.get("/public/data/dictionary.json").get_json()["datasets"]
    assert {c["column"] for c in dictionary["goals"]} == set(goals[0])
    assert {c["column"] for c in dictionary["figures"]} == set(figures["columns"])


@pytest.mark.parametrize("slug", ["secret-plan-sds-arm", "SDS-ARM", "x" * 3000, "%00", "'"],
                         ids=["hidden-goal", "code", "long", "nul", "quote"])
def test_a_goal_that_is_not_public_is_not_found(site, slug) -> None:
    client = site.client("nobody")
    assert client.get(f"/public/data/figures.csv?goal={slug}").status_code in {400, 404}
    rendered = render_page(site, "/public/goal/" + (slugify(slug) if slug != "'" else slug))
    assert "No public goal has this address." in rendered
    assert absent(rendered, secrets_of(site)) == []


def test_the_portal_speaks_the_browsers_language(site) -> None:
    client = site.client("nobody")
    dictionary = client.get("/public/data/dictionary.csv",
                            headers={"Accept-Language": "pt-BR,pt;q=0.9"}).get_data(as_text=True)
    assert "O que foi prometido." in dictionary
    landing = render_page(site, "/public", "pt_BR")
    assert "Dados abertos" in landing and "Open data" not in landing
