"""A run killed (SIGKILL) in the middle of its transaction, after it wrote its figures: the
database keeps none of them, the dropped file is still there, and the next run does it all."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import select

from delivery.ingestion import run_source
from delivery.models import Figure, Goal, IngestedFile, JobRun, RunState
from tests.ingestion.conftest import NOW, SHIPPED_MAPPINGS, SINESP, wait_until
from tests.ingestion.test_file_drops import SINESP_FIGURES

ROOT = Path(__file__).resolve().parents[2]
# Run in another process: writes a marker (with the figures its transaction holds by then)
# just before committing, then waits to be killed.
CHILD = textwrap.dedent("""
    import sys, time
    from datetime import datetime
    from pathlib import Path
    from sqlalchemy import func, select
    from delivery.db import make_engine, make_session_factory
    from delivery.ingestion import run_source
    from delivery.models import Figure

    url, source_id, marker, now = sys.argv[1:5]

    def hang(session):
        written = session.scalar(select(func.count()).select_from(Figure))
        Path(marker).write_text(str(written))
        time.sleep(600)

    factory = make_session_factory(make_engine(url))
    run_source(factory, int(source_id), now=datetime.fromisoformat(now), before_commit=hang)
    sys.exit("the run was not killed")
""")


def test_a_run_killed_mid_transaction_leaves_nothing_and_the_next_run_completes_the_work(
        session_factory, database_url, realdata, tmp_path, add_source, count):
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.copy(realdata / SINESP, drop / SINESP)
    source = add_source(name="sinesp-drop", kind="file_drop", folder=str(drop),
                        mapping=str(SHIPPED_MAPPINGS / "sinesp_uf_monthly.yaml"))
    marker = tmp_path / "written"

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, database_url, str(source), str(marker), NOW.isoformat()],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert wait_until(lambda: marker.exists() and marker.read_text() != "", timeout=120), \
            child.stderr.read().decode() if child.poll() is not None else "no marker"
        assert int(marker.read_text()) == SINESP_FIGURES  # written, not yet committed
    finally:
        child.kill()
        child.wait(30)
    child.stdout.close()
    child.stderr.close()

    assert count(Figure) == 0 and count(Goal) == 0 and count(IngestedFile) == 0
    assert (drop / SINESP).exists() and not (drop / "processed").exists()
    with session_factory() as session:
        (killed,) = session.scalars(select(JobRun)).all()
        assert killed.state is RunState.RUNNING and killed.finished_at is None

    result = run_source(session_factory, source, now=NOW)

    assert result.state is RunState.SUCCEEDED, result.error
    assert result.figures_new == count(Figure) == SINESP_FIGURES
    assert (drop / "processed" / SINESP).exists()
    with session_factory() as session:
        killed = session.get(JobRun, killed.id)
        assert killed.state is RunState.FAILED
        assert killed.error.startswith("interrupted: the process running it stopped")
