"""File drops with the real SINESP and ISP-RJ files: read once per content, put away after the
commit, a changed file read again, an unreadable one set aside without losing the others."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from sqlalchemy import select

from delivery.ingestion import run_source
from delivery.models import Figure, IngestedFile, JobRun, RunState
from tests.ingestion.conftest import ISP, NOW, SHIPPED_MAPPINGS, SINESP

SINESP_FIGURES = 23_020  # every row of the file is one figure (absent months are absent)


@pytest.fixture
def drop(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    return folder


@pytest.fixture
def sinesp_drop(add_source, drop):
    return add_source(name="sinesp-drop", kind="file_drop", folder=str(drop),
                      mapping=str(SHIPPED_MAPPINGS / "sinesp_uf_monthly.yaml"),
                      schedule={"every": "1h"})


def test_a_dropped_file_is_imported_once_and_moved_to_processed(
        session_factory, realdata, drop, sinesp_drop, count):
    shutil.copy(realdata / SINESP, drop / SINESP)

    result = run_source(session_factory, sinesp_drop, now=NOW)

    assert result.state is RunState.SUCCEEDED, result.error
    assert result.files == [SINESP] and result.rows_read == SINESP_FIGURES
    assert result.figures_new == count(Figure) == SINESP_FIGURES
    assert not (drop / SINESP).exists()
    assert (drop / "processed" / SINESP).read_bytes() == (realdata / SINESP).read_bytes()

    shutil.copy(realdata / SINESP, drop / "sinesp-again.csv")  # the same bytes, another name
    again = run_source(session_factory, sinesp_drop, now=NOW + timedelta(hours=1))

    assert again.files == [] and again.rows_read == 0 and count(Figure) == SINESP_FIGURES
    assert (drop / "processed" / "sinesp-again.csv").exists()
    with session_factory() as session:
        (seen,) = session.scalars(select(IngestedFile)).all()
        assert (seen.name, seen.run_id, seen.size) == (
            SINESP, result.run_id, (realdata / SINESP).stat().st_size)


def test_a_file_changed_under_the_same_name_is_read_again_and_changes_become_revisions(
        session_factory, realdata, drop, sinesp_drop, count):
    shutil.copy(realdata / SINESP, drop / SINESP)
    run_source(session_factory, sinesp_drop, now=NOW)
    text = (realdata / SINESP).read_text(encoding="utf-8")
    old = '"Pernambuco","Homicídio doloso","2022","dezembro","'
    assert text.count(old) == 1
    value = text.split(old, 1)[1].split('"', 1)[0]
    changed = text.replace(old + value, old + str(int(value) + 3))
    (drop / SINESP).write_text(changed, encoding="utf-8")

    result = run_source(session_factory, sinesp_drop, now=NOW + timedelta(days=1))

    assert (result.figures_new, result.figures_revised) == (0, 1)
    assert result.figures_unchanged == SINESP_FIGURES - 1
    assert count(Figure) == SINESP_FIGURES + 1
    processed = sorted(p.name for p in (drop / "processed").iterdir())
    assert len(processed) == 2 and SINESP in processed  # the second copy kept, not overwritten


def test_an_unreadable_file_is_set_aside_and_the_good_files_of_the_pull_are_kept(
        session_factory, realdata, drop, sinesp_drop, count):
    shutil.copy(realdata / SINESP, drop / SINESP)
    (drop / "broken.csv").write_bytes(b'"UF","Tipo Crime"\n"Acre","Estupro","x"\n\xff\xfe')
    (drop / "notes.txt").write_text("not matched by the pattern")
    (drop / "~$half-saved.xlsx").write_bytes(b"office lock file")

    result = run_source(session_factory, sinesp_drop, now=NOW)

    assert result.state is RunState.SUCCEEDED
    assert sorted(result.files) == sorted([SINESP, "broken.csv"])
    assert count(Figure) == SINESP_FIGURES
    assert result.rejected == 1
    (reason,) = [str(e) for e in result.rejections]
    assert reason.startswith("broken.csv:0 : the file was not read:")
    assert (drop / "failed" / "broken.csv").exists() and (drop / "notes.txt").exists()
    assert (drop / "~$half-saved.xlsx").exists()
    again = run_source(session_factory, sinesp_drop, now=NOW + timedelta(hours=1))
    assert again.files == [] and again.rejected == 0


def test_provisional_figures_are_consolidated_when_the_next_drop_says_so(
        session_factory, realdata, drop, add_source, count):
    source = add_source(name="isp-drop", kind="file_drop", folder=str(drop), pattern="*.csv",
                        after="keep", mapping=str(SHIPPED_MAPPINGS / "isp_rj_monthly.yaml"))
    shutil.copy(realdata / ISP, drop / ISP)
    first = run_source(session_factory, source, now=NOW)
    provisional = count(Figure, Figure.is_provisional.is_(True))
    assert first.state is RunState.SUCCEEDED and provisional > 0
    assert (drop / ISP).exists()  # after: keep

    lines = (realdata / ISP).read_bytes().split(b"\r\n")
    consolidated = [line[:-1] + b"3" if line.endswith(b";2") else line for line in lines]
    (drop / ISP).write_bytes(b"\r\n".join(consolidated))
    second = run_source(session_factory, source, now=NOW + timedelta(days=30))

    assert second.figures_consolidated == provisional
    assert (second.figures_new, second.figures_revised) == (0, 0)
    with session_factory() as session:
        assert session.get(JobRun, second.run_id).figures_consolidated == provisional


def test_a_missing_drop_folder_fails_the_run(session_factory, tmp_path, add_source):
    source = add_source(name="nowhere", kind="file_drop", folder=str(tmp_path / "absent"),
                        mapping=str(SHIPPED_MAPPINGS / "sinesp_uf_monthly.yaml"))

    result = run_source(session_factory, source, now=NOW)

    assert result.state is RunState.FAILED
    assert result.error == f"the drop folder {tmp_path / 'absent'} does not exist"


PUBLISHED_MAPPING = """
description: yearly figures with the day each was published
goal:
  code: "{code}"
  create_missing: true
  set: {direction: down, frequency: yearly, objective: Health, owner: SES}
period: {column: year, format: year}
value: value
"""


@pytest.mark.parametrize(("published", "known"), [
    ("known_on: {column: published}\n", {2020: "2021-03-01", 2021: "2022-03-01"}),
    ("", {2020: NOW.date().isoformat(), 2021: NOW.date().isoformat()}),
], ids=["a publication day in the data", "none: the day of the pull"])
def test_a_pulled_figure_is_known_on_its_publication_day_or_the_day_of_the_pull(
        add_source, drop, tmp_path, session_factory, published, known):
    mapping = tmp_path / "published.yaml"
    mapping.write_text(PUBLISHED_MAPPING + published, encoding="utf-8")
    (drop / "rates.csv").write_text("code,year,value,published\nRATE,2020,10,2021-03-01\n"
                                    "RATE,2021,9,2022-03-01\n", encoding="utf-8")
    source = add_source(name="rates", kind="file_drop", folder=str(drop), mapping=str(mapping),
                        schedule={"every": "1d"})

    result = run_source(session_factory, source, now=NOW)

    assert result.state is RunState.SUCCEEDED and result.figures_new == 2, result.error
    with session_factory() as session:
        stored = dict(session.execute(select(Figure.period_end, Figure.known_on)).all())
    assert {end.year: day.isoformat() for end, day in stored.items()} == known
