"""The public portal's open data files, for anyone (no sign-in):

``GET /public/data/<goals|figures|trajectories>.<csv|json>[?goal=SLUG]`` and
``GET /public/data/dictionary.<csv|json>``: what ``delivery.public`` makes public, nothing else.
A slug no public goal has is answered 404 whether or not some other goal bears that name.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd
from flask import Flask, Response, request

from dashboards.auth import PUBLIC, route_access
from dashboards.context import read_session
from delivery.clock import review_date
from delivery.exports import csv_text
from delivery.i18n import _
from delivery.public import DICTIONARY, open_dataset
from delivery.public.portal import slugs

JSON = "application/json"


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _file(body: str, name: str, fmt: str) -> Response:
    mimetype = JSON if fmt == "json" else "text/csv"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename={name}.{fmt}",
        "Access-Control-Allow-Origin": "*"})


def dictionary_frame() -> pd.DataFrame:
    return pd.DataFrame([(dataset, column, kind, _(meaning))
                         for dataset, columns in DICTIONARY.items()
                         for column, kind, meaning in columns],
                        columns=["dataset", "column", "type", "meaning"])


@route_access(PUBLIC)
def open_data(name: str, fmt: str) -> Response:
    if name == "dictionary":
        frame = dictionary_frame()
        if fmt == "csv":
            return _file(csv_text(frame), name, fmt)
        datasets = {d: rows.drop(columns="dataset").to_dict("records")
                    for d, rows in frame.groupby("dataset", sort=False)}
        return _file(json.dumps({"datasets": datasets}, ensure_ascii=False, indent=1), name, fmt)
    slug = request.args.get("goal", "")
    with read_session() as session:
        day = review_date(session)
        if slug and slug not in set(slugs(session).values()):
            return Response(_("No public goal has this address.") + "\n", 404,
                            mimetype="text/plain")
        frame = open_dataset(session, day, name)
    if slug:
        frame = frame[frame["goal"] == slug]
    if fmt == "csv":
        return _file(csv_text(frame), name, fmt)
    records = [{k: _plain(v) for k, v in r.items()} for r in frame.to_dict("records")]
    body = {"dataset": name, "as_of": day.isoformat(), "dictionary": "/public/data/dictionary.json",
            "columns": list(frame.columns), "records": records}
    return _file(json.dumps(body, ensure_ascii=False, indent=1), name, fmt)


def register_open_data(server: Flask) -> None:
    server.add_url_rule("/public/data/<any(goals, figures, trajectories, dictionary):name>"
                        ".<any(csv, json):fmt>", "open_data", open_data)
