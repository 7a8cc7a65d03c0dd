"""``/api/v1/docs``: the API's documentation page, drawn from the OpenAPI document on the
server (no script, no third-party bundle: it passes the site's Content-Security-Policy)."""

from __future__ import annotations

from html import escape
from typing import Any

from flask import Flask, Response

from delivery.i18n import _

METHODS = ("get", "post", "patch", "put", "delete")
STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;
color:#1b1b1b;line-height:1.45}code,pre{background:#f1f3f5;padding:.1rem .3rem;border-radius:3px}
pre{padding:.6rem;overflow-x:auto}h2{margin-top:2rem;border-bottom:1px solid #ccc}
.m{display:inline-block;min-width:4.5rem;font-weight:700;color:#14213d}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.25rem .4rem;
text-align:left;vertical-align:top;overflow-wrap:anywhere}"""


def _params(operation: dict[str, Any]) -> str:
    rows = [f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
            f"<td>{escape(str(p.get('schema', {}).get('type', '')))}</td>"
            f"<td>{escape(p.get('description', ''))}</td></tr>"
            for p in operation.get("parameters", [])]
    if not rows:
        return ""
    labels = [_("Parameter"), _("Where"), _("Type"), _("Description")]
    head = "<tr>" + "".join(f"<th>{escape(label)}</th>" for label in labels) + "</tr>"
    return f"<table>{head}{''.join(rows)}</table>"


def render(spec: dict[str, Any]) -> str:
    """The page for an OpenAPI document."""
    parts, answers_label = [], escape(_("Answers"))
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            answers = ", ".join(sorted(operation.get("responses", {})))
            parts.append(
                f"<section><h3><span class='m'>{method.upper()}</span> <code>"
                f"{escape(path)}</code></h3><p>{escape(operation.get('summary', ''))}</p>"
                f"<p>{escape(operation.get('description', ''))}</p>{_params(operation)}"
                f"<p>{answers_label}: {escape(answers)}</p></section>")
    info, endpoints = spec.get("info", {}), escape(_("Endpoints"))
    intro = _("Every request carries a personal token: {header}. Make one on your account "
              "page or with {command}. Errors are {problem}, naming each field.").format(
        header="<code>Authorization: Bearer dt_…</code>",
        command="<code>delivery tokens create USER --name NAME</code>",
        problem="<code>application/problem+json</code>")
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width, initial-scale=1'><title>{escape(info.get('title', ''))}"
            f"</title><style>{STYLE}</style></head><body><main><h1>"
            f"{escape(info.get('title', ''))} {escape(info.get('version', ''))}</h1>"
            f"<p>{escape(info.get('description', ''))}</p><p>{intro}</p><p>"
            f"<a href='openapi.json'>openapi.json</a> (OpenAPI {escape(spec.get('openapi', ''))})"
            f"</p><h2>{endpoints}</h2>{''.join(parts)}</main></body></html>")


def register_docs(server: Flask, api: Any) -> None:
    def docs() -> Response:
        return Response(render(api.spec.to_dict()), mimetype="text/html")

    docs.access = "public"  # type: ignore[attr-defined]  # read by dashboards.auth's guard
    server.add_url_rule("/api/v1/docs", "api_docs", docs)
