"""Sign-in, sign-out and the guard in front of every route of the server.

Dash's advice: protect the HTTP routes, not only the screens. ``init_auth`` installs, on the
Flask server under the Dash app:
- a ``before_request`` guard run for every request, Dash's own routes included:
  static files, ``/_dash-layout`` and ``/_dash-dependencies`` (no data: the frame and the callback
  graph) are open; a page is open to whom its ``access`` says (see below); a POST to
  ``/_dash-update-component`` runs only if the viewer may open the page whose module defined
  the callback; any other route is open to whom its ``route_access`` says, by default only to
  the roles that see the whole government;
- a same-origin check on every state-changing request (Origin, else Referer; Sec-Fetch-Site);
- security headers on every response (CSP with hashes of Dash's inline scripts, nosniff,
  frame-ancestors, Referrer-Policy, HSTS over HTTPS) and ``no-store`` on anything with data;
- session cookies: signed, HttpOnly, SameSite=Lax, Secure whenever the request came over HTTPS;
- a gate on every page layout, so that Dash's routing callback renders a refusal, not the page.

Page access, declared as ``dash.register_page(..., access=...)``:
``PUBLIC`` anyone; ``SIGNED_IN`` any signed-in role, the page itself filtering by
``current_viewer()``; a tuple of roles; nothing: the roles that see the whole government.
Inside a callback, ids from the browser are still checked with ``delivery.access``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import dash
from dash import Dash, html
from dash.exceptions import DependencyException
from flask import Flask, g, jsonify, redirect, request, session
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from dashboards.api.problems import API_ENDPOINTS, API_PREFIX, problem
from dashboards.context import (
    TOKEN_KEY,
    current_session_id,
    current_viewer,
    lifetime,
    write_session,
)
from dashboards.i18n import LANGUAGE_PATH, language_menu
from delivery.access import ANONYMOUS as ANON
from delivery.access import WHOLE_GOVERNMENT, Viewer, can_read_audit
from delivery.dates import DateError, parse_day
from delivery.i18n import LANGUAGES, N_, _
from delivery.models import User
from delivery.signin.sessions import SIGNED_OUT, end_session, start_session
from delivery.users import authenticate, set_language
from delivery.vocabulary import Role

PUBLIC = "public"
SIGNED_IN = "signed_in"
SIGN_IN_PATH, PUBLIC_PATH = "/signin", "/public"
STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/static/")
STATIC_PATHS = {"/_favicon.ico", "/_reload-hash", "/plotly-locales.js", "/date-locales.js",
                "/grid-locales.js"}
FRAME_PATHS = {"/_dash-layout", "/_dash-dependencies"}
CALLBACK_PATH = "/_dash-update-component"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
ROUTER_OUTPUT = "_pages_content.children"
MAX_JSON_DEPTH = 64  # Dash's own requests nest about ten deep
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(rb"[\[\]{}]")

Access = str | Collection[Role | str]
# The roles as the navigation bar names them (their stored values are English codes).
ROLE_NAMES = {Role.ADMIN: N_("admin"), Role.ANALYST: N_("analyst"),
              Role.GOVERNOR: N_("governor"), Role.SECRETARIAT: N_("secretariat")}


def may_open(viewer: Viewer, access: Access | None) -> bool:
    """Whether ``viewer`` may open a page or route declared with ``access``."""
    if access == PUBLIC:
        return True
    if viewer.is_anonymous:
        return False
    if access == SIGNED_IN:
        return True
    roles = WHOLE_GOVERNMENT if access is None else {Role(r) for r in access}
    return viewer.role in roles


def route_access(access: Access) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare who may call a Flask view (undeclared views: the whole-government roles)."""
    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.access = access  # type: ignore[attr-defined]
        return view
    return mark


def page_for_path(path: str) -> dict[str, Any] | None:
    page, _rest = dash._pages._path_to_page(path.strip("/"))
    return page or None


def page_access(module: str) -> Access | None:
    """The access of the page defined in ``module`` (or the module's own ``ACCESS``)."""
    page = dash.page_registry.get(module)
    if page is not None:
        return page.get("access")
    return getattr(sys.modules.get(module), "ACCESS", None)


# -- the guard -----------------------------------------------------------------------------


def _refuse(viewer: Viewer, message: str, status: int | None = None) -> Response:
    status = status or (401 if viewer.is_anonymous else 403)
    if request.path.startswith(API_PREFIX):
        return problem(status, message)
    response = jsonify(error=message)
    response.status_code = status
    return response


def _sign_in_redirect() -> Response:
    nxt = request.full_path.rstrip("?") if request.query_string else request.path
    if nxt == "/":  # the front door: after sign-in, the person's own landing page
        return redirect(SIGN_IN_PATH, code=302)
    return redirect(f"{SIGN_IN_PATH}?{urlencode({'next': nxt})}", code=302)


def _same_origin() -> bool:
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in {"same-origin", "none"}:
        return False
    claimed = request.headers.get("Origin") or request.headers.get("Referer")
    if not claimed:
        return False
    parts = urlsplit(claimed)
    return f"{parts.scheme}://{parts.netloc}" == f"{request.scheme}://{request.host}"


def too_deep(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text nests arrays and objects deeper than ``limit``, found without parsing
    it (a parser would recurse that deep first). Brackets inside strings do not count."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    depth = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub(b"", raw)):
        depth += 1 if bracket in b"[{" else -1
        if depth > limit:
            return True
    return False


def _holds_nul() -> bool:
    """A NUL anywhere a value could come from: PostgreSQL refuses it in text, so it would
    otherwise surface as a server error wherever the value is looked up or stored."""
    if "\x00" in request.path or any("\x00" in v for v in request.args.values()):
        return True
    if request.mimetype == "application/json":
        return b"\\u0000" in request.get_data(cache=True)
    return any("\x00" in v for v in request.form.values())


def _guard_callback(app: Dash, viewer: Viewer) -> Response | None:
    if too_deep(request.get_data(cache=True)):
        deeper = _("The request nests deeper than {n} levels.").format(n=MAX_JSON_DEPTH)
        return _refuse(viewer, deeper, 400)
    body = request.get_json(silent=True)
    output = body.get("output") if isinstance(body, dict) else None
    entry = app.callback_map.get(output) if isinstance(output, str) else None
    if entry is None or "callback" not in entry:
        return _refuse(viewer, _("no such callback"), 404 if not viewer.is_anonymous else 401)
    module = entry["callback"].__module__
    if module == "dash.dash" and ROUTER_OUTPUT in str(output):
        return None  # page routing: every page's layout is gated (see _gate_pages)
    if not may_open(viewer, page_access(module)):
        return _refuse(viewer, _("You do not have access to this."))
    return None


def _guard_api_path(endpoint: str) -> tuple[bool, Response | None]:
    """Under /api/: (whether decided here, the refusal). The API's own endpoints guard
    themselves (a token, never the cookie, so no cross-site check); a path that is no route
    (Dash's page shell would take it) is a problem+json 404 or 405. Any other route under
    /api/ is not decided here: it is guarded as every route is."""
    if endpoint.startswith(API_ENDPOINTS):
        return True, None
    if endpoint not in {"", "/", "/<path:path>"}:
        return False, None
    if not request.headers.get("Authorization"):
        return True, _refuse(ANON, _("No API token: send `Authorization: Bearer <token>`."))
    return True, problem(404, _("No such API path.")) if endpoint else None


def _guard(app: Dash) -> Response | None:
    path = request.path
    limit = app.server.config["MAX_CONTENT_LENGTH"]
    if limit and (request.content_length or 0) > limit:  # every route, whether it reads or not
        return _refuse(ANON, _("The request is larger than {n} MB.").format(n=limit // 2**20), 413)
    if _holds_nul():
        return _refuse(ANON, _("The request holds a NUL character."), 400)  # no database takes it
    if path.startswith(STATIC_PREFIXES) or path in STATIC_PATHS:
        return None
    if path.startswith(API_PREFIX):
        decided, refusal = _guard_api_path(request.endpoint or "")
        if decided:
            return refusal
    if request.method not in SAFE_METHODS and not _same_origin():
        return _refuse(current_viewer(), _("Cross-site request refused: the Origin header must "
                       "be this site (behind a proxy, set DELIVERY_PROXIES)."), 403)
    viewer = current_viewer()
    if path in FRAME_PATHS:
        return None
    if path == CALLBACK_PATH:
        return _guard_callback(app, viewer)
    view = app.server.view_functions.get(request.endpoint or "")
    if view is not None and hasattr(view, "access"):
        if may_open(viewer, view.access):
            return None
        return _sign_in_redirect() if viewer.is_anonymous else _refuse(viewer, _("Not allowed."))
    if request.endpoint in {"/", "/<path:path>"}:  # Dash's page shell
        page = page_for_path(path)
        if page is not None and may_open(viewer, page.get("access")):
            return None
        if viewer.is_anonymous:
            return _sign_in_redirect()
        if page is not None:
            g.refused = True  # the shell loads; the gated layout says why; the status says 403
        return None
    if may_open(viewer, None):
        return None
    return _sign_in_redirect() if viewer.is_anonymous else _refuse(viewer, _("Not allowed."))


def _csp(app: Dash) -> str:
    scripts = " ".join(["'self'", *app.csp_hashes()])
    if app.server.debug:  # Dash's development bundles (debug mode only) are built with eval
        scripts += " 'unsafe-eval'"
    return "; ".join([
        "default-src 'self'", f"script-src {scripts}",
        # Plotly and some Dash components insert <style> elements at run time.
        "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
        "font-src 'self' data:", "connect-src 'self'", "worker-src 'self' blob:",
        "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
    ])


def _headers(app: Dash, response: Response) -> Response:
    if g.pop("refused", False) and response.status_code == 200:
        response.status_code = 403
    headers = response.headers
    if response.mimetype == "text/html":
        headers.setdefault("Content-Security-Policy", _csp(app))
    else:
        headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    api_read = request.path.startswith(API_PREFIX) and "Cache-Control" in headers
    if not request.path.startswith(STATIC_PREFIXES) and not api_read:
        headers["Cache-Control"] = "no-store"
    return response


class _SessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions, Secure whenever the request itself came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure or bool(app.config["SESSION_COOKIE_SECURE"])


# -- sign-in and sign-out --------------------------------------------------------------------


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in; anything else (other sites too) becomes "/"."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if len(target) > 2000 or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return "/"  # a CR/LF would split the Location header
    parts = urlsplit(target)
    return target if not (parts.scheme or parts.netloc) else "/"


LANDING = {Role.SECRETARIAT: "/inbox", Role.ANALYST: "/inbox"}  # my work comes first


def landing(user: User, nxt: str) -> str:
    """Where sign-in leads: the page asked for, else (``nxt`` empty) the person's landing
    page: ``/inbox`` for secretariats and analysts, the goals for everyone else."""
    return nxt or LANDING.get(Role(user.role), "/")


def _address() -> str:
    return request.remote_addr or "unknown"


@route_access(PUBLIC)
def sign_in() -> Response:
    form = request.form
    nxt = safe_next(form.get("next")) if form.get("next") else ""
    now, previous = datetime.now(UTC), current_session_id()
    with write_session() as db:
        result = authenticate(db, form.get("username", ""), form.get("password", ""),
                              _address(), now)
        if result.ok:
            assert result.user is not None
            target = landing(result.user, nxt)
            token = start_session(db, result.user, now, lifetime(),
                                  user_agent=request.headers.get("User-Agent", ""),
                                  address=_address())
            if previous is not None:  # signing in again: this browser's old session ends
                end_session(db, previous, SIGNED_OUT, now)
    if result.ok:
        session.clear()
        session.permanent = True
        session[TOKEN_KEY] = token
        return redirect(target, code=303)
    query = {"next": nxt} if nxt else {}
    query["error"] = "wait" if result.wait else "bad"
    if result.wait:
        query["seconds"] = str(int(result.wait.total_seconds()) + 1)
    return redirect(f"{SIGN_IN_PATH}?{urlencode(query)}", code=303)


@route_access(SIGNED_IN)
def sign_out() -> Response:
    session_id = current_session_id()
    if session_id is not None:
        with write_session() as db:
            end_session(db, session_id, SIGNED_OUT, datetime.now(UTC))
    session.clear()
    return redirect(f"{SIGN_IN_PATH}?signed_out=1", code=303)


@route_access(SIGNED_IN)
def choose_language() -> Response:
    """Save the signed-in person's language (audited) and go back to the page they were on."""
    language = request.form.get("language", "")
    if language not in LANGUAGES:
        return _refuse(current_viewer(), _("That language is not offered."), 400)
    with write_session() as db:
        user = db.get(User, current_viewer().user_id)
        if user is None:
            return _refuse(current_viewer(), _("Please sign in."), 401)
        set_language(db, user, language)
    back = urlsplit(request.referrer or "/")
    return redirect(safe_next(back.path + (f"?{back.query}" if back.query else "")), code=303)


# -- pages -----------------------------------------------------------------------------------


def refusal(viewer: Viewer, path: str) -> html.Div:
    """What a page shows to someone who may not open it."""
    if viewer.is_anonymous:
        link = f"{SIGN_IN_PATH}?{urlencode({'next': path})}"
        return html.Div([html.H1(_("Please sign in"), className="h4"),
                         html.P([_("This page is for signed-in users."), " ",
                                 html.A(_("Sign in"), href=link), " · ",
                                 html.A(_("Public scorecard"), href=PUBLIC_PATH)])],
                        className="access-refused")
    return html.Div([html.H1(_("Not available to you"), className="h4"),
                     html.P([_("Your role does not give access to this page."), " ",
                             html.A(_("Back to your goals"), href="/")])],
                    className="access-refused")


def date_notice(as_of: Any) -> html.Div | None:
    """What a page says above itself when its ``?as_of=`` is not a usable date (it then shows
    the review date, as without one)."""
    if not as_of:
        return None
    try:
        parse_day(as_of)
    except DateError as exc:
        return html.Div(_("as_of: {problem}; showing the current review date instead.")
                        .format(problem=exc),
                        className="alert alert-warning", role="alert", id="date-notice")
    return None


def _gated(page: dict[str, Any]) -> Callable[..., Any]:
    layout = page["layout"]

    def gated_layout(**kwargs: Any) -> Any:
        viewer = current_viewer()
        if not may_open(viewer, page.get("access")):
            return refusal(viewer, page["path"])
        if any(isinstance(v, str) and "\x00" in v for v in kwargs.values()):
            return html.Div(_("This address holds a character no page uses (NUL)."),
                            className="alert alert-warning", role="alert", id="address-notice")
        content = layout(**kwargs) if callable(layout) else layout
        notice = date_notice(kwargs.get("as_of"))
        return [notice, content] if notice is not None else content

    gated_layout.gated = True  # type: ignore[attr-defined]
    if callable(layout):  # inspect.signature then names the page's own query parameters
        gated_layout.__wrapped__ = layout  # type: ignore[attr-defined]
    return gated_layout


def _gate_pages() -> None:
    for page in dash.page_registry.values():
        if not getattr(page["layout"], "gated", False):
            page["layout"] = _gated(page)


def nav_pages(viewer: Viewer) -> list[dict[str, Any]]:
    """The pages that asked for a place in the navigation bar (``nav_order``) and that
    ``viewer`` may open, in their order; the goals page first."""
    pages = [p for p in dash.page_registry.values()
             if p.get("nav_order") is not None and may_open(viewer, p.get("access"))]
    return sorted(pages, key=lambda p: p["nav_order"])


def user_menu() -> html.Div:
    """The right-hand end of the navigation bar: links for this viewer, sign in or out."""
    viewer = current_viewer()
    link = "nav-link px-2"
    if viewer.is_anonymous:
        return html.Div([html.A(_("Public scorecard"), href=PUBLIC_PATH, className=link),
                         html.A(_("Sign in"), href=SIGN_IN_PATH,
                                className="btn btn-sm btn-light")],
                        className="navbar-nav ms-xl-auto flex-xl-row align-items-xl-center gap-2",
                        id="user-menu")
    links = [html.A(_(page["name"]), href=page["path"], className=link)
             for page in nav_pages(viewer)]
    return html.Div([*links, account_menu(viewer), language_menu()], id="user-menu",
                    className="navbar-nav ms-xl-auto flex-xl-row flex-wrap align-items-xl-center"
                              " gap-1 gap-xl-2 py-2 py-xl-0")


def initials(name: str) -> str:
    """Up to two letters for a person's badge: first and last word (``Ana Lima`` → ``AL``),
    leaving out what is in brackets (``Ana Lima (delivery unit)`` → ``AL``)."""
    words = [w for w in re.sub(r"\([^)]*\)?", " ", name).split() if w[:1].isalnum()]
    if not words:
        return "?"
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


def account_menu(viewer: Viewer) -> html.Details:
    """Who is signed in, as a badge of initials that opens their account, the audit trail
    (for those who may read it) and *Sign out*: eleven page links and a full name, a role and a
    sign-out button did not fit one row of a 1440 px screen. A native ``<details>``: its
    items are in the page whether open or not (nothing to render on a click), keyboard-operable,
    and closed on a click elsewhere or Escape by a11y.js."""
    role = _(ROLE_NAMES[viewer.role]) if viewer.role else ""
    item = "dropdown-item"
    entries: list[Any] = [
        html.Div([html.Div(viewer.display_name, className="fw-semibold", id="user-name"),
                  html.Div(role, className="small text-body-secondary")],
                 className="px-3 py-1"),
        html.Hr(className="dropdown-divider"),
        html.A(_("Your account"), href="/account", className=item),
    ]
    if can_read_audit(viewer):
        entries.append(html.A(_("Audit trail"), href="/audit", className=item))
    entries += [html.Hr(className="dropdown-divider"),
                html.Form(html.Button(_("Sign out"), type="submit", className=item),
                          action="/auth/sign-out", method="POST", className="m-0")]
    badge = html.Summary(
        [html.Span(initials(viewer.display_name), className="account-initials",
                   **{"aria-hidden": "true"}),
         html.Span(f"{viewer.display_name} · {role}", className="account-name")],
        className="btn btn-sm btn-outline-light", title=f"{viewer.display_name} · {role}")
    return html.Details([badge, html.Div(entries, className="dropdown-menu account-panel")],
                        id="account-menu", className="dropdown account-menu")


def init_auth(app: Dash, proxies: int = 0, max_hours: int = 12,
              max_request_mb: int = 32) -> None:
    """Install the guard, the headers, the cookie settings and the sign-in routes on ``app``.

    ``proxies``: how many reverse proxies in front of the app set X-Forwarded-* headers;
    ``max_hours``: the sessions' lifetime (the cookie's too; the server ends them anyway);
    ``max_request_mb``: larger bodies are refused (413) before they are read.
    """
    server = app.server
    if proxies:
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=proxies, x_proto=proxies,  # type: ignore[method-assign]
                                   x_host=proxies)
    server.config.update(
        MAX_CONTENT_LENGTH=max_request_mb * 1024 * 1024,
        SESSION_COOKIE_NAME="delivery_session", SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax", PERMANENT_SESSION_LIFETIME=timedelta(hours=max_hours),
        SESSION_REFRESH_EACH_REQUEST=False,  # the cookie is set once, at sign-in
    )
    server.session_interface = _SessionInterface()
    server.add_url_rule("/auth/sign-in", "sign_in", sign_in, methods=["POST"])
    server.add_url_rule("/auth/sign-out", "sign_out", sign_out, methods=["POST"])
    server.add_url_rule(LANGUAGE_PATH, "choose_language", choose_language, methods=["POST"])
    # Dash raises this for a component-suite path naming no library: a missing file, not a fault.
    server.register_error_handler(DependencyException, lambda _e: _refuse(ANON, "No such file.",
                                                                          404))
    server.before_request(lambda: _guard(app))
    server.after_request(lambda response: _headers(app, response))
    _gate_pages()
