"""My work with the delivery plans' source, the reminders, and the initiative endpoints of the
API, timed on the demo (20 initiatives, 62 milestones) in a fresh SQLite database.

    .venv/bin/python bench/inbox_plans.py

Printed: each demo person's inbox (items, of which from plans) and the plans source alone, the
reminders of every account on the review date, and GET /api/v1/initiatives and one
initiative's detail through the app's test client, each the best of a few runs.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's packages

from sqlalchemy import select  # noqa: E402

from dashboards.app import create_app  # noqa: E402
from delivery.access import Viewer  # noqa: E402
from delivery.api.tokens import create_token  # noqa: E402
from delivery.clock import review_date  # noqa: E402
from delivery.db import make_engine, make_session_factory, upgrade  # noqa: E402
from delivery.demo import load_demo  # noqa: E402
from delivery.inbox import inbox, milestones_owned, risks_open  # noqa: E402
from delivery.models import Initiative, Milestone, User  # noqa: E402
from delivery.notifications.reminders import reminders_due  # noqa: E402
from delivery.settings import load_settings  # noqa: E402
from delivery.users import create_demo_users  # noqa: E402


def best(run: Callable[[], Any], rounds: int = 5) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    folder = tempfile.mkdtemp()
    url = f"sqlite:///{folder}/demo.db"
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    load_demo(factory)
    with factory() as session, session.begin():
        create_demo_users(session)
    with factory() as s:
        day = review_date(s)
        print(f"review date {day}: {len(s.scalars(select(Initiative)).all())} initiatives, "
              f"{len(s.scalars(select(Milestone)).all())} milestones")
        for name in ("sds", "see", "ana"):
            viewer = Viewer.of(s.scalar(select(User).where(User.username == name)))
            t_all, items = best(lambda v=viewer: inbox(s, v, day))
            t_plans, plans = best(lambda v=viewer: milestones_owned(s, v, day)
                                  + risks_open(s, v, day))
            print(f"inbox {name}: {len(items)} items ({len(plans)} from plans) in "
                  f"{t_all * 1000:.0f} ms; the plans source {t_plans * 1000:.0f} ms")
        t_due, due = best(lambda: reminders_due(s, day), 3)
        print(f"reminders of every account: {sum(map(len, due.values()))} in "
              f"{t_due * 1000:.0f} ms")
    app = create_app(load_settings({"database_url": url, "secret_key": "bench",
                                    "data_dir": folder, "api_rate_per_minute": 0}, environ={}))
    with factory() as s, s.begin():
        secrets = {n: create_token(s, s.scalar(select(User).where(User.username == n)),
                                   "bench").secret for n in ("ana", "sds")}
    client = app.server.test_client()
    for name, secret in secrets.items():
        headers = {"Authorization": f"Bearer {secret}"}
        t_list, listed = best(lambda h=headers: client.get("/api/v1/initiatives?per_page=100",
                                                           headers=h))
        body = listed.get_json()
        code = body["items"][0]["code"]
        t_one, one = best(lambda h=headers, c=code: client.get(f"/api/v1/initiatives/{c}",
                                                               headers=h))
        print(f"API {name}: GET /initiatives ({body['total']}) {t_list * 1000:.0f} ms; "
              f"GET /initiatives/{code} ({len(one.get_json()['milestones'])} milestones) "
              f"{t_one * 1000:.0f} ms")


if __name__ == "__main__":
    main()
