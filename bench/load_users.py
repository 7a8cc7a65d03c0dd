"""The Locust users of bench/load.py: the governor at the weekly review, analysts in the
workspace and secretariats saving figures, each making the requests a browser makes.

A page view is what dash-renderer does when a page opens: the page, the app frame, the
callback graph, the pages router and every callback whose inputs the page rendered. Each
request is reported under its kind, and each whole page view once more as "<page> (whole)".
The figures are reset once every person has signed in (argon2 is slow on purpose; signing in
twenty people at once is not what the test is about).
The people and goals come from the JSON file named by ``LOAD_CAST`` (written by load.py).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).parent))
import dash_requests  # noqa: E402

CALLBACK = "/_dash-update-component"
SIGN_IN_TRIES = 5  # twenty argon2 checks at once on a loaded machine can outlast a lock wait
SIGNED_IN: list[str] = []  # people of this run signed in so far
CAST: dict[str, Any] = json.loads(Path(os.environ.get("LOAD_CAST", "/dev/null")).read_text()
                                  or "{}")


class Person(HttpUser):
    abstract = True
    wait_time = between(5, 15)  # reading the page before the next click
    username = ""

    def on_start(self) -> None:
        self.client.headers["Origin"] = self.host
        for _attempt in range(SIGN_IN_TRIES):  # "busy, try again" (503): as a person would
            answer = self.client.post("/auth/sign-in", name="sign-in", allow_redirects=False,
                                      data={"username": self.username,
                                            "password": CAST["password"], "next": "/"})
            if answer.status_code != 503:
                break
            time.sleep(float(answer.headers.get("Retry-After") or 2))
        if answer.status_code != 303 or "error=" in answer.headers.get("Location", ""):
            raise RuntimeError(f"{self.username} could not sign in: {answer.status_code}")
        SIGNED_IN.append(self.username)
        runner = self.environment.runner
        if runner is not None and len(SIGNED_IN) == runner.target_user_count:
            runner.stats.reset_all()  # the figures count from when everyone is signed in

    def open_page(self, path: str, kind: str) -> dict[str, Any]:
        """Open ``path`` as the browser does; returns what the page rendered (id.prop)."""
        began, error, size = time.perf_counter(), None, 0
        rendered: dict[str, Any] = {}
        try:
            size += len(self._get(path, f"{kind}: page").content)
            size += len(self._get("/_dash-layout", "frame: layout").content)
            deps = self._get("/_dash-dependencies", "frame: callback graph")
            size += len(deps.content)
            graph = deps.json()
            pathname, _, search = path.partition("?")
            first = dash_requests.payload(dash_requests.router(graph), {
                "_pages_location.pathname": pathname,
                "_pages_location.search": f"?{search}" if search else ""})
            answer = self._post(first, f"{kind}: router")
            size += len(answer.content)
            rendered = dash_requests.props(answer.json())
            for body in dash_requests.on_load(graph, rendered):
                size += len(self._post(body, f"{kind}: callback").content)
        except Exception as exc:  # noqa: BLE001 - reported as the whole page's failure
            error = exc
        self.environment.events.request.fire(
            request_type="PAGE", name=f"{kind} (whole)", response_length=size,
            response_time=(time.perf_counter() - began) * 1000, exception=error, context={})
        return rendered

    def _get(self, path: str, name: str) -> Any:
        answer = self.client.get(path, name=name)
        answer.raise_for_status()
        return answer

    def _post(self, body: dict[str, Any], name: str) -> Any:
        answer = self.client.post(CALLBACK, json=body, name=name)
        answer.raise_for_status()
        return answer


class Governor(Person):
    weight = 5
    username = CAST.get("governor", "")

    @task
    def weekly_review(self) -> None:
        self.open_page("/review", "review")


class Analyst(Person):
    weight = 8
    username = CAST.get("analyst", "")

    @task(3)
    def workspace(self) -> None:
        self.open_page("/workspace", "workspace")

    @task(2)
    def figures_screen(self) -> None:
        self.open_page("/workspace/figures", "workspace figures")

    @task(2)
    def a_goal(self) -> None:
        self.open_page(f"/goal/{random.choice(CAST['goal_codes'])}", "goal")


class Secretariat(Person):
    weight = 7
    username = CAST.get("secretariat", "")

    @task
    def report_a_figure(self) -> None:
        self.open_page("/report", "report")
        goal_id, start, end, value = random.choice(CAST["own_goals"])
        state = [("report-goal", "value", goal_id), ("report-start", "date", start),
                 ("report-end", "date", end),
                 ("report-value", "value", round(value * random.uniform(0.98, 1.02), 1)),
                 ("report-provisional", "value", []), ("report-note", "value", "load test")]
        body = {"output": "report-result.children",
                "outputs": {"id": "report-result", "property": "children"},
                "inputs": [{"id": "report-submit", "property": "n_clicks", "value": 1}],
                "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
                "changedPropIds": ["report-submit.n_clicks"]}
        with self.client.post(CALLBACK, json=body, name="report: save figure",
                              catch_response=True) as answer:
            if answer.status_code == 200 and "Saved" not in answer.text \
                    and "already recorded" not in answer.text:
                answer.failure(f"not saved: {answer.text[:200]}")
