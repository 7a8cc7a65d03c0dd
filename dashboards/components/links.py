"""Links that never dead-end: a link to a page the person may not open is shown as plain text.

The rule is the pages' own ``access`` (``dashboards.auth.may_open``), the one the guard applies
when the page is asked for, so what is a link and what opens cannot disagree.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from dash import html

from dashboards.auth import may_open, page_for_path
from dashboards.context import current_viewer
from delivery.access import Viewer


def may_follow(href: str, viewer: Viewer | None = None) -> bool:
    """Whether ``viewer`` (default: the person asking) may open the page ``href`` leads to;
    links outside the app's pages (downloads, other sites) are left as links."""
    page = page_for_path(unquote(urlsplit(href).path) or "/")
    if page is None:
        return True
    return may_open(viewer or current_viewer(), page.get("access"))


def link(children: Any, href: str, viewer: Viewer | None = None, **props: Any) -> Any:
    """``html.A`` when the person may open ``href``, else the same words as plain text."""
    if may_follow(href, viewer):
        return html.A(children, href=href, **props)
    return html.Span(children, className=props.get("className"))
