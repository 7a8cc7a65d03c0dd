"""The goal catalogue through the app: its downloads show a person only their goals, in the
view's order; saved views are each person's own."""

from __future__ import annotations

import csv
import io

import openpyxl

from delivery.catalogue import delete_view, list_views, save_view
from delivery.catalogue.views import SavedViewError


def rows(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_csv_holds_what_the_view_shows_and_only_the_persons_goals(site):
    analyst = rows(site.client("analyst").get("/export/goals.csv?sort=code"))
    assert [r["Code"] for r in analyst] == sorted(r["Code"] for r in analyst)
    assert {"SDS-HOM", "SEE-ALFA", "SJDH-VAG"} <= {r["Code"] for r in analyst}
    secretariat = rows(site.client("secretariat").get("/export/goals.csv"))
    # its own goals and its pact's (the prison goal is in the Pact for Life), no education goal
    assert {r["Code"] for r in secretariat} == {"SDS-HOM", "SDS-ARM", "SJDH-VAG"}
    in_pact = rows(site.client("analyst").get("/export/goals.csv?pact=PPV&sort=-code"))
    assert [r["Code"] for r in in_pact] == ["SJDH-VAG", "SDS-HOM"]
    assert in_pact[0]["Pacts"] == "PPV"


def test_the_excel_download_matches_the_csv(site):
    client = site.client("analyst")
    response = client.get("/export/goals.xlsx?q=sds&sort=code")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet["A"]][1:] == ["SDS-ARM", "SDS-HOM"]


def test_hostile_queries_are_answered_not_crashed(site):
    client = site.client("analyst")
    for search in ("?as_of=yesterday", "?status=%00&sort=drop", "?pillar=" + "A" * 5000):
        response = client.get("/export/goals.csv" + search)
        assert response.status_code in (200, 400)
    assert site.client("nobody").get("/export/goals.csv").status_code in (302, 401, 403)


def test_saved_views_are_each_persons_own(site):
    with site.factory() as session, session.begin():
        ana, sds = site.gov.users["analyst"], site.gov.users["secretariat"]
        first = save_view(session, ana, "  Off   track ", "?status=off_track&junk=1&sort=-bogus")
        again = save_view(session, ana, "Off track", "?status=slipping")
        assert first == again  # the same name replaces the view
        assert list_views(session, ana) == [(first, "Off track", "?status=slipping")]
        assert list_views(session, sds) == []
        assert not delete_view(session, sds, first)  # not theirs
        for bad in ("", "x" * 81):
            try:
                save_view(session, ana, bad, "")
            except SavedViewError:
                continue
            raise AssertionError(f"{bad!r} was accepted")
        assert delete_view(session, ana, first) and list_views(session, ana) == []
