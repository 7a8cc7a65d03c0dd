"""What dash-renderer posts when a page opens, built from the callback graph: shared by the
review benchmark (Flask's test client) and the load test (Locust over HTTP). Plain data in,
plain data out; no Dash import."""

from __future__ import annotations

from typing import Any

ROUTER = "_pages_content.children"


def router(graph: list[dict[str, Any]]) -> dict[str, Any]:
    """The pages router's entry in ``/_dash-dependencies``."""
    return next(c for c in graph if ROUTER in c["output"])


def payload(entry: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """What dash-renderer posts for ``entry`` on first load (no state, all inputs changed)."""
    def spec(item: dict[str, str]) -> dict[str, Any]:
        return {"id": item["id"], "property": item["property"],
                "value": values.get(f"{item['id']}.{item['property']}")}
    outputs = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]}
               for o in entry["output"].strip(".").split("...")]
    changed = [f"{i['id']}.{i['property']}" for i in entry["inputs"]]
    return {"output": entry["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [spec(i) for i in entry["inputs"]],
            "state": [spec(s) for s in entry["state"]],
            "changedPropIds": changed, "parsedChangedPropsIds": changed}


def props(answer: dict[str, Any]) -> dict[str, Any]:
    """``id.prop -> value`` for every component with a string id in a callback's answer."""
    found: dict[str, Any] = {}

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict) and "props" in node and "type" in node:
            if isinstance(node["props"].get("id"), str):
                found.update({f"{node['props']['id']}.{k}": v for k, v in node["props"].items()})
            walk(node["props"].get("children"))
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
    walk(answer.get("response", {}))
    return found


def on_load(graph: list[dict[str, Any]], rendered: dict[str, Any]) -> list[dict[str, Any]]:
    """The payloads of the callbacks that fire once the page is rendered: those whose inputs
    are all on it (``rendered``: ``props`` of the router's answer), the router aside."""
    first = router(graph)
    bodies = []
    for entry in graph:
        if entry is first or entry.get("prevent_initial_call"):
            continue
        keys = [f"{i['id']}.{i['property']}" for i in entry["inputs"]]
        if keys and all(k in rendered for k in keys):
            bodies.append(payload(entry, rendered))
    return bodies
