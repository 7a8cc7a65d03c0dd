"""The endpoints of ``/api/v1``: thin: read the request, call ``delivery.api``, answer."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request
from flask_smorest import Blueprint
from werkzeug.wrappers import Response

from dashboards.api import schemas as s
from dashboards.api.guard import after, api_read, api_viewer, api_write, before, token_id
from dashboards.api.problems import problem
from delivery.access import AccessDenied, is_row_id
from delivery.api import initiatives as plan_queries
from delivery.api import plan_writes, queries
from delivery.api.idempotency import KeyMisused, check_key, remember, replay, request_hash
from delivery.api.queries import Page
from delivery.api.writes import PushInvalid, push_figures
from delivery.clock import review_date
from delivery.dates import DateError, parse_day
from delivery.edits import update_commitment
from delivery.i18n import _
from delivery.plans.edits import PlanEditError
from delivery.plausibility import FigureRefused
from strategy_maps.scoped import rollups

blp = Blueprint("api_v1", __name__, url_prefix="/api/v1",
                description="Goals, figures, trajectories, roll-ups, budget links, "
                            "commitments and initiatives, scoped as the token's person; "
                            "figures, commitment updates and delivery-plan changes in.")
blp.before_request(before)
blp.after_request(after)

READ_ERRORS = (400, 401, 422, 429)
PROBLEM = "application/problem+json"


def documented(*statuses: int):  # type: ignore[no-untyped-def]
    """Declare the problem+json answers an endpoint may give."""
    def wrap(view):  # type: ignore[no-untyped-def]
        for status in statuses:
            view = blp.alt_response(status, schema=s.Problem, content_type=PROBLEM,
                                    description=_problem_text(status))(view)
        return view
    return wrap


def _problem_text(status: int) -> str:
    return {400: "the request cannot be read", 401: "no valid token (missing, unknown, "
            "expired or revoked)", 403: "the token's person may not do this",
            404: "nothing of that name that the token's person sees",
            422: "a field is not right; `errors` names each",
            429: "the token's rate limit is reached; see Retry-After",
            304: "not modified since the ETag sent in If-None-Match"}.get(status, "")


class Invalid(ValueError):
    def __init__(self, field: str, detail: str) -> None:
        self.field, self.detail = field, detail
        super().__init__(f"{field}: {detail}")


def _day(args: dict[str, Any], name: str) -> date | None:
    text = args.get(name)
    if not text:
        return None
    try:
        return parse_day(text)
    except DateError as error:
        raise Invalid(name, str(error)) from None


def _page(args: dict[str, Any]) -> Page:
    return Page(args["page"], args["per_page"])


@blp.errorhandler(Invalid)
def _invalid(error: Invalid) -> Response:
    return problem(422, str(error), errors=[{"field": error.field, "pointer": f"/{error.field}",
                                             "detail": error.detail}])


@blp.errorhandler(AccessDenied)
def _denied(error: AccessDenied) -> Response:
    rows = getattr(error, "rows", None)
    errors = [{"row": r, "field": "goal", "pointer": f"/figures/{r - 1}/goal",
               "detail": str(error)} for r in rows] if rows else None
    return problem(403, str(error), errors=errors)


@blp.errorhandler(PushInvalid)
def _push_invalid(error: PushInvalid) -> Response:
    return problem(422, _("Nothing was stored: {n} figures are not right.").format(
        n=len(error.problems)), errors=[p.as_dict() for p in error.problems])


@blp.errorhandler(FigureRefused)
def _refused(error: FigureRefused) -> Response:
    return problem(422, str(error), errors=[{"field": error.field, "detail": error.reason}])


@blp.errorhandler(KeyMisused)
def _key(error: KeyMisused) -> Response:
    return problem(422, str(error), errors=[{"field": "Idempotency-Key",
                                             "pointer": "/headers/Idempotency-Key",
                                             "detail": str(error)}])


def _not_found(what: str) -> Response:
    return problem(404, _("No {what} of that name that you can see.").format(what=what))


def _as_of(session, args: dict[str, Any]) -> date:  # type: ignore[no-untyped-def]
    return _day(args, "as_of") or review_date(session)


# -- reading ---------------------------------------------------------------------------------


@blp.route("/goals")
@blp.arguments(s.GoalQuery, location="query")
@blp.response(200, s.GoalPage)
@documented(*READ_ERRORS)
def goals(args: dict[str, Any]) -> Any:
    """Goals, with status as of a date and the sentence that explains it."""
    with api_read() as session:
        filters = {k: args.get(k) for k in ("pillar", "objective", "owner", "status")}
        return queries.goals(session, api_viewer(), _as_of(session, args), _page(args),
                             filters=filters)


@blp.route("/goals/<string:code>")
@blp.arguments(s.AsOf, location="query")
@blp.response(200, s.Goal)
@documented(*READ_ERRORS, 404)
def goal(args: dict[str, Any], code: str) -> Any:
    """One goal, with status as of a date and the sentence that explains it."""
    with api_read() as session:
        found = queries.goals(session, api_viewer(), _as_of(session, args), Page(1, 1),
                              filters={"code": code})
    return found["items"][0] if found["items"] else _not_found(_("goal"))


@blp.route("/goals/<string:code>/trajectories")
@blp.response(200, s.Trajectory(many=True))
@documented(*READ_ERRORS, 404)
def trajectories(code: str) -> Any:
    """Every version of a goal's trajectory: proposed, approved, rejected, withdrawn."""
    with api_read() as session:
        found = queries.trajectories(session, api_viewer(), code)
    return _not_found(_("goal")) if found is None else found


@blp.route("/figures")
@blp.arguments(s.FigureQuery, location="query")
@blp.response(200, s.FigurePage)
@documented(*READ_ERRORS)
def figures(args: dict[str, Any]) -> Any:
    """Figures as known on a date (the revision in force per period), or every revision."""
    with api_read() as session:
        return queries.figures(session, api_viewer(), _page(args), as_of=_day(args, "as_of"),
                               goal=args.get("goal"), since=_day(args, "since"),
                               until=_day(args, "until"), all_revisions=args["all_revisions"])


def _rollup(kind: str, args: dict[str, Any]) -> Any:
    with api_read() as session:
        return rollups(session, api_viewer(), kind, _as_of(session, args))


@blp.route("/pillars")
@blp.arguments(s.AsOf, location="query")
@blp.response(200, s.Rollup(many=True))
@documented(*READ_ERRORS, 403)
def pillars(args: dict[str, Any]) -> Any:
    """Pillars with their roll-up as of a date (the delivery unit and the governor)."""
    return _rollup("pillars", args)


@blp.route("/objectives")
@blp.arguments(s.AsOf, location="query")
@blp.response(200, s.Rollup(many=True))
@documented(*READ_ERRORS, 403)
def objectives(args: dict[str, Any]) -> Any:
    """Strategic objectives with their roll-up as of a date (the unit and the governor)."""
    return _rollup("objectives", args)


@blp.route("/pacts")
@blp.arguments(s.AsOf, location="query")
@blp.response(200, s.Rollup(many=True))
@documented(*READ_ERRORS)
def pacts(args: dict[str, Any]) -> Any:
    """Performance pacts with their roll-up as of a date (a secretariat: its own)."""
    return _rollup("pacts", args)


@blp.route("/budget-links")
@blp.arguments(s.LinkQuery, location="query")
@blp.response(200, s.BudgetLinkPage)
@documented(*READ_ERRORS)
def budget_links(args: dict[str, Any]) -> Any:
    """Goals cross-walked to budget accounts, with the share and the account's money."""
    with api_read() as session:
        return queries.budget_links(session, api_viewer(), _page(args), goal=args.get("goal"),
                                    fiscal_year=args.get("fiscal_year"))


@blp.route("/commitments")
@blp.arguments(s.CommitmentQuery, location="query")
@blp.response(200, s.CommitmentPage)
@documented(*READ_ERRORS)
def commitments(args: dict[str, Any]) -> Any:
    """Commitments made in review meetings, by due date."""
    with api_read() as session:
        return queries.commitments(session, api_viewer(), _page(args), state=args.get("state"),
                                   goal=args.get("goal"),
                                   due_before=_day(args, "due_before"))


@blp.route("/initiatives")
@blp.arguments(s.InitiativeQuery, location="query")
@blp.response(200, s.InitiativePage)
@documented(*READ_ERRORS)
def initiatives(args: dict[str, Any]) -> Any:
    """Initiatives of the delivery plans, worst first, as of a date: status from the worst
    milestone, slip, milestone counts, physical and financial progress."""
    with api_read() as session:
        return plan_queries.initiatives(
            session, api_viewer(), _as_of(session, args), _page(args),
            secretariat=args.get("secretariat"), pact=args.get("pact"),
            stage=args.get("stage"), late_only=args["late_only"])


@blp.route("/initiatives/<string:code>")
@blp.arguments(s.AsOf, location="query")
@blp.response(200, s.Initiative)
@documented(*READ_ERRORS, 404)
def initiative(args: dict[str, Any], code: str) -> Any:
    """One initiative as of a date: its milestones (status, slip, the forecast known then),
    physical progress, risks and the goals it serves."""
    with api_read() as session:
        found = plan_queries.initiative(session, api_viewer(), code, _as_of(session, args))
    return _not_found(_("initiative")) if found is None else found


# -- writing ---------------------------------------------------------------------------------


def _idempotent(write):  # type: ignore[no-untyped-def]
    """Run ``write(session) -> (status, body)`` once per Idempotency-Key (when one is sent):
    the same key and body again gets the first answer, writing nothing."""
    raw_key = request.headers.get("Idempotency-Key")
    key = check_key(raw_key) if raw_key is not None else None
    digest = request_hash(request.method, request.path, request.get_data(cache=True))
    if key is not None:
        with api_read() as session:
            stored = replay(session, token_id(), key, digest)
        if stored is not None:
            return stored.body, stored.status, {"Idempotent-Replayed": "true"}
    from sqlalchemy.exc import IntegrityError
    try:
        with api_write() as session:
            status, body = write(session)
            if key is not None:
                remember(session, token_id(), key, digest, status, body)
    except IntegrityError:
        if key is None:
            raise
        with api_read() as session:  # a twin of this request stored it first
            stored = replay(session, token_id(), key, digest)
        if stored is None:
            raise
        return stored.body, stored.status, {"Idempotent-Replayed": "true"}
    return body, status


IDEMPOTENCY_TEXT = ("any unique text (e.g. a UUID), at most 200 characters: the same request "
                    "sent again with the same key (a retry) changes nothing and gets the first "
                    "answer again, marked `Idempotent-Replayed: true`; the same key with a "
                    "different request is refused (422)")
IDEMPOTENCY_KEY = {"in": "header", "name": "Idempotency-Key", "required": False,
                   "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                   "description": IDEMPOTENCY_TEXT}
REPLAYED = {"Idempotent-Replayed": {"description": "`true` when this is the stored answer "
                                    "to an earlier request with the same Idempotency-Key",
                                    "schema": {"type": "string", "enum": ["true"]}}}


def honours_idempotency_key(view):  # type: ignore[no-untyped-def]
    """Document the Idempotency-Key header on a write that runs through ``_idempotent``."""
    return blp.doc(parameters=[IDEMPOTENCY_KEY])(view)


@blp.route("/figures", methods=["POST"])
@blp.arguments(s.FigurePush)
@blp.response(201, s.PushResult, headers=REPLAYED)
@documented(400, 401, 403, 413, 422, 429)
@honours_idempotency_key
def push(body: dict[str, Any]) -> Any:
    """Store figures, one or many (at most 5,000): the same rules, revisions and messages as
    the screens and imports. All or nothing: one refused figure and none is stored."""
    def write(session):  # type: ignore[no-untyped-def]
        result = push_figures(session, api_viewer(), body["figures"])
        return 201, result.as_dict()
    return _idempotent(write)


@blp.route("/commitments/<int:commitment_id>", methods=["PATCH"])
@blp.arguments(s.CommitmentUpdate)
@blp.response(200, s.Commitment, headers=REPLAYED)
@documented(400, 401, 403, 404, 422, 429)
@honours_idempotency_key
def update(body: dict[str, Any], commitment_id: int) -> Any:
    """Mark a commitment open, done or dropped (its owner's secretariat, or the unit)."""
    if not is_row_id(commitment_id):
        return _not_found(_("commitment"))
    with api_read() as session:
        if queries.commitment(session, api_viewer(), commitment_id) is None:
            return _not_found(_("commitment"))

    def write(session):  # type: ignore[no-untyped-def]
        update_commitment(session, api_viewer(), commitment_id, body["state"])
        return 200, queries.commitment(session, api_viewer(), commitment_id)
    return _idempotent(write)


# -- delivery plans: the screens' changes, through ``delivery.plans.edits`` -----------------


@blp.errorhandler(PlanEditError)
def _plan_refused(error: PlanEditError) -> Response:
    return problem(422, str(error), errors=[{"field": error.field,
                                             "pointer": f"/{error.field}",
                                             "detail": error.reason}])


class _Unseen(LookupError):
    """Nothing of that name the token's person sees (rolls the write back)."""


def _plan_write(status: int, change) -> Any:  # type: ignore[no-untyped-def]
    """``_idempotent`` around ``change(session) -> body | None``: ``status`` with the body, or
    404 (nothing written) when there is nothing of that name the token's person sees."""
    def write(session):  # type: ignore[no-untyped-def]
        body = change(session)
        if body is None:
            raise _Unseen
        return status, body
    try:
        return _idempotent(write)
    except _Unseen:
        return _not_found(_("initiative, milestone or risk"))


@blp.route("/initiatives/<string:code>/milestones/<int:milestone_id>", methods=["PATCH"])
@blp.arguments(s.MilestoneUpdate, example={"actual_on": "2023-01-10"})
@blp.response(200, s.MilestoneResult, headers=REPLAYED)
@documented(400, 401, 403, 404, 413, 422, 429)
@honours_idempotency_key
def update_milestone(body: dict[str, Any], code: str, milestone_id: int) -> Any:
    """Mark a milestone done (`actual_on`, not after the review date) and/or move its forecast
    (`forecast_on` with a `reason`, kept as a revision): a secretariat its own initiatives'
    milestones, the unit any."""
    return _plan_write(200, lambda session: plan_writes.update_milestone(
        session, api_viewer(), code, milestone_id, body, review_date(session)))


@blp.route("/initiatives/<string:code>/progress", methods=["POST"])
@blp.arguments(s.ProgressIn, example={"on": "2023-01-15", "physical_pct": 35,
                                      "note": "works stopped by rain in March"})
@blp.response(201, s.ProgressResult, headers=REPLAYED)
@documented(400, 401, 403, 404, 413, 422, 429)
@honours_idempotency_key
def report_progress(body: dict[str, Any], code: str) -> Any:
    """Report an initiative's physical completion for a date, with an optional `note` that
    explains it (a correction is a new report; the same figure with a different note too): a
    secretariat its own initiatives, the unit any."""
    return _plan_write(201, lambda session: plan_writes.add_progress(
        session, api_viewer(), code, body))


@blp.route("/initiatives/<string:code>/risks/<int:risk_id>", methods=["PATCH"])
@blp.arguments(s.RiskUpdate, example={"status": "open", "probability": 3, "impact": 4,
                                      "mitigation": "land swap agreed with the city",
                                      "review_on": "2023-02-15"})
@blp.response(200, s.RiskResult, headers=REPLAYED)
@documented(400, 401, 403, 404, 413, 422, 429)
@honours_idempotency_key
def update_risk(body: dict[str, Any], code: str, risk_id: int) -> Any:
    """Change a risk's status, probability, impact, mitigation or next review (the fields
    sent; the audit trail keeps each before and after): a secretariat its own initiatives'
    risks, the unit any."""
    return _plan_write(200, lambda session: plan_writes.change_risk(
        session, api_viewer(), code, risk_id, body, review_date(session)))
