"""The shapes the API takes and gives, as marshmallow schemas: flask-smorest reads the
requests with them and writes the OpenAPI document from them."""

from __future__ import annotations

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate, validates_schema

from delivery.api.writes import MAX_FIGURES
from delivery.i18n import _
from delivery.plans.edits import MAX_REASON
from delivery.plans.notes import MAX_NOTE
from delivery.plans.vocabulary import MilestoneStatus, RiskStatus, Stage
from delivery.vocabulary import CommitmentState, Status

DAY = {"format": "date", "example": "2022-12-31"}
MAX_PAGE = 1000


class Problem(Schema):
    type = fields.String()
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.List(fields.Dict(), metadata={
        "description": "each field in error: `field`, `pointer` (JSON pointer into the "
                       "request), `detail`; for figures also `row` (from 1)"})


class Query(Schema):
    class Meta:
        unknown = EXCLUDE  # a parameter the endpoint does not take is ignored, as on the screens


class Paging(Query):
    page = fields.Integer(load_default=1, validate=validate.Range(1, 10**6))
    per_page = fields.Integer(load_default=100, validate=validate.Range(1, MAX_PAGE))


class AsOf(Query):
    as_of = fields.String(metadata={**DAY, "description": "the date of the question (default: "
                                    "the review date); 1900-01-01 to 2200-12-31"})


class GoalQuery(Paging, AsOf):
    pillar = fields.String(validate=validate.Length(max=40))
    objective = fields.String(validate=validate.Length(max=40))
    owner = fields.String(validate=validate.Length(max=40),
                          metadata={"description": "the owning secretariat's code"})
    status = fields.String(validate=validate.OneOf([s.value for s in Status]))


class FigureQuery(Paging, AsOf):
    goal = fields.String(validate=validate.Length(max=120), metadata={"description":
                                                                       "a goal's code"})
    since = fields.String(metadata={**DAY, "description": "periods starting on or after"})
    until = fields.String(metadata={**DAY, "description": "periods ending on or before"})
    all_revisions = fields.Boolean(load_default=False, metadata={
        "description": "every revision known on as_of, not only the one in force"})


class LinkQuery(Paging):
    goal = fields.String(validate=validate.Length(max=120))
    fiscal_year = fields.Integer(validate=validate.Range(1900, 2200))


class CommitmentQuery(Paging):
    state = fields.String(validate=validate.OneOf([s.value for s in CommitmentState]))
    goal = fields.String(validate=validate.Length(max=120))
    due_before = fields.String(metadata=DAY)


class InitiativeQuery(Paging, AsOf):
    secretariat = fields.String(validate=validate.Length(max=40),
                                metadata={"description": "the leading secretariat's code"})
    pact = fields.String(validate=validate.Length(max=40), metadata={"description":
                                                                      "a pact's code"})
    stage = fields.String(validate=validate.OneOf([s.value for s in Stage]))
    late_only = fields.Boolean(load_default=False, metadata={
        "description": "only initiatives with a late milestone"})


def nullable_number(**kw: object) -> fields.Float:
    return fields.Float(allow_none=True, **kw)  # type: ignore[arg-type]


class Goal(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    indicator = fields.String()
    unit = fields.String()
    direction = fields.String()
    frequency = fields.String()
    owner = fields.String(allow_none=True)
    objective = fields.String()
    pillar = fields.String()
    baseline_value = nullable_number()
    baseline_date = fields.String(allow_none=True, metadata=DAY)
    target_value = nullable_number()
    target_date = fields.String(allow_none=True, metadata=DAY)
    target_low = nullable_number()
    target_high = nullable_number()
    is_public = fields.Boolean()
    status = fields.String(required=True, metadata={"enum": [s.value for s in Status]})
    reason = fields.String(required=True, metadata={"description": "the sentence that "
                                                    "explains the status"})
    latest_value = nullable_number()
    latest_period_end = fields.String(allow_none=True, metadata=DAY)
    planned = nullable_number()
    shortfall = nullable_number()
    as_of = fields.String(metadata=DAY)


class Figure(Schema):
    goal = fields.String(required=True)
    period_start = fields.String(required=True, metadata=DAY)
    period_end = fields.String(required=True, metadata=DAY)
    value = fields.Float(required=True)
    is_provisional = fields.Boolean()
    revision = fields.Integer(required=True)
    known_on = fields.String(metadata=DAY)
    recorded_at = fields.String(metadata={"format": "date-time"})
    reported_by = fields.String()
    source = fields.String()
    note = fields.String()


class Point(Schema):
    on = fields.String(metadata=DAY)
    value = fields.Float()


class Trajectory(Schema):
    goal = fields.String()
    version = fields.Integer()
    shape = fields.String()
    proposed_by = fields.String()
    approved_by = fields.String(allow_none=True)
    approved_at = fields.String(allow_none=True)
    rationale = fields.String()
    created_at = fields.String()
    rejected_by = fields.String(allow_none=True)
    rejected_at = fields.String(allow_none=True)
    rejection_reason = fields.String(allow_none=True)
    withdrawn_by = fields.String(allow_none=True)
    withdrawn_at = fields.String(allow_none=True)
    restates_past = fields.Boolean()
    points = fields.List(fields.Nested(Point))


class Rollup(Schema):
    code = fields.String()
    name = fields.String()
    goals = fields.Integer()
    on_track = fields.Integer()
    slipping = fields.Integer()
    off_track = fields.Integer()
    no_recent_data = fields.Integer()
    score = nullable_number()
    previous_score = nullable_number()
    trend = nullable_number()
    trend_label = fields.String()
    as_of = fields.String(metadata=DAY)


class BudgetLink(Schema):
    goal = fields.String()
    share = fields.Float()
    account = fields.String()
    account_name = fields.String()
    programme = fields.String(allow_none=True)
    secretariat = fields.String(allow_none=True)
    fiscal_year = fields.Integer()
    appropriated = nullable_number()
    committed = nullable_number()
    spent = nullable_number()


class Commitment(Schema):
    id = fields.Integer()
    meeting_id = fields.Integer()
    goal = fields.String(allow_none=True)
    description = fields.String()
    owner = fields.String()
    owner_secretariat = fields.String(allow_none=True)
    due_on = fields.String(metadata=DAY)
    state = fields.String(metadata={"enum": [s.value for s in CommitmentState]})
    closed_on = fields.String(allow_none=True, metadata=DAY)
    closed_by = fields.String(allow_none=True)
    closing_note = fields.String()


MILESTONE_STATUSES = [s.value for s in MilestoneStatus]


class InitiativeSummary(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    stage = fields.String(required=True, metadata={"enum": [s.value for s in Stage]})
    secretariat = fields.String(required=True, metadata={"description": "the leading "
                                                         "secretariat's code"})
    pact = fields.String(allow_none=True)
    responsible = fields.String()
    starts_on = fields.String(allow_none=True, metadata=DAY)
    ends_on = fields.String(allow_none=True, metadata=DAY)
    status = fields.String(allow_none=True, metadata={
        "enum": [*MILESTONE_STATUSES, None], "description": "its worst milestone's status "
                                                           "(null: no milestones)"})
    slip_days = fields.Integer(metadata={"description": "days the work still to be done runs "
                                         "past its baselines (never below 0)"})
    milestone_count = fields.Integer()
    late = fields.Integer(metadata={"description": "milestones late"})
    at_risk = fields.Integer(metadata={"description": "milestones at risk"})
    due = fields.Integer(metadata={"description": "milestones due within 14 days"})
    physical_pct = nullable_number(metadata={"description": "physical completion last "
                                             "reported on or before as_of, 0-100"})
    financial_share = nullable_number(metadata={"description": "share of the budget spent, "
                                                "0-1"})
    money_ahead = fields.Boolean(metadata={"description": "money spent runs ahead of the work "
                                           "done by more than 20 points"})
    as_of = fields.String(metadata=DAY)


class InitiativeListed(InitiativeSummary):
    goals = fields.List(fields.String(), metadata={"description": "codes of the goals it "
                                                   "serves that the token's person sees"})


class MilestoneOut(Schema):
    id = fields.Integer()
    name = fields.String()
    position = fields.Integer()
    baseline_on = fields.String(metadata=DAY)
    forecast_on = fields.String(metadata={**DAY, "description": "the forecast in force on "
                                          "as_of"})
    actual_on = fields.String(allow_none=True, metadata=DAY)
    owner = fields.String()
    status = fields.String(metadata={"enum": MILESTONE_STATUSES})
    slip_days = fields.Integer()


class ProgressOut(Schema):
    on = fields.String(metadata=DAY)
    physical_pct = fields.Float()
    note = fields.String(allow_none=True, metadata={
        "description": "what explains the figure, as its reporter wrote it (null: no note)"})


class RiskOut(Schema):
    id = fields.Integer()
    description = fields.String()
    probability = fields.Integer()
    impact = fields.Integer()
    score = fields.Integer()
    band = fields.String(metadata={"enum": ["high", "medium", "low"]})
    owner = fields.String()
    mitigation = fields.String()
    review_on = fields.String(allow_none=True, metadata=DAY)
    status = fields.String(metadata={"enum": [s.value for s in RiskStatus]})
    review_overdue = fields.Boolean()


class ServedGoal(Schema):
    code = fields.String()
    name = fields.String()
    status = fields.String(metadata={"enum": [s.value for s in Status]})
    weight = fields.Float()


class Initiative(InitiativeSummary):
    description = fields.String()
    tolerance_days = fields.Integer()
    cancel_reason = fields.String(allow_none=True)
    milestones = fields.List(fields.Nested(MilestoneOut))
    progress = fields.List(fields.Nested(ProgressOut), metadata={
        "description": "physical completion reported up to as_of, by date"})
    risks = fields.List(fields.Nested(RiskOut))
    goals = fields.List(fields.Nested(ServedGoal), metadata={
        "description": "the goals it serves that the token's person sees"})


def page_of(item: type[Schema], name: str) -> type[Schema]:
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item), required=True),
        "page": fields.Integer(required=True), "per_page": fields.Integer(required=True),
        "total": fields.Integer(required=True)}, name=name)


GoalPage = page_of(Goal, "GoalPage")
FigurePage = page_of(Figure, "FigurePage")
BudgetLinkPage = page_of(BudgetLink, "BudgetLinkPage")
CommitmentPage = page_of(Commitment, "CommitmentPage")
InitiativePage = page_of(InitiativeListed, "InitiativePage")


class FigureIn(Schema):
    """One figure to store. Read as the screens read a typed row, with their messages."""

    class Meta:
        unknown = RAISE

    goal = fields.String(required=True, validate=validate.Length(1, 120),
                         metadata={"description": "the goal's code"})
    period_start = fields.String(required=True, validate=validate.Length(max=40),
                                 metadata=DAY)
    period_end = fields.String(required=True, validate=validate.Length(max=40), metadata=DAY)
    value = fields.Raw(required=True, allow_none=True, metadata={
        "type": "number", "description": "a finite number (text such as \"1,234.5\" is read "
                                         "as the screens read it)"})
    provisional = fields.Boolean(load_default=False)
    note = fields.String(load_default="", validate=validate.Length(max=2000), metadata={
        "description": "why, when the figure jumps or leaves the plausible band (at most 500 "
                       "characters are kept)"})


class FigurePush(Schema):
    class Meta:
        unknown = RAISE

    figures = fields.List(fields.Nested(FigureIn), required=True,
                          validate=validate.Length(1, MAX_FIGURES))


class RowOutcome(Schema):
    row = fields.Integer()
    goal = fields.String()
    period_start = fields.String(metadata=DAY)
    revision = fields.Integer()
    outcome = fields.String(metadata={"enum": ["new", "revised", "consolidated",
                                               "unchanged"]})


class PushResult(Schema):
    new = fields.Integer(required=True)
    revised = fields.Integer(required=True)
    consolidated = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    figures = fields.List(fields.Nested(RowOutcome), required=True)


class CommitmentUpdate(Schema):
    class Meta:
        unknown = RAISE

    state = fields.String(required=True,
                          validate=validate.OneOf([s.value for s in CommitmentState]))


# -- delivery plans in ---------------------------------------------------------------------
# Values are read as the screens read them and checked by ``delivery.plans.edits`` with the
# screens' messages; the schemas refuse only what is not even of the right type.


def _not_flag(value: object) -> bool:
    """A number or a text, never true/false (which Python would read as 1 and 0)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValidationError(_("{value} is not a number").format(value=str(value)[:40]))
    return True


def plan_day(description: str, **kw: object) -> fields.String:
    return fields.String(validate=validate.Length(max=40),
                         metadata={**DAY, "description": description}, **kw)  # type: ignore[arg-type]


def plan_text(description: str, example: str) -> fields.String:
    return fields.String(metadata={"maxLength": MAX_REASON, "example": example,
                                   "description": description})


class MilestoneUpdate(Schema):
    class Meta:
        unknown = RAISE

    actual_on = plan_day("the day it was done: 1900-01-01 up to the review date")
    forecast_on = plan_day("the new forecast date (the baseline never moves)")
    reason = plan_text("why the forecast moves (required with `forecast_on`, at most 2,000 "
                       "characters)", "the contractor's licence came late")

    @validates_schema
    def _something(self, data: dict[str, object], **_kw: object) -> None:
        if "actual_on" not in data and "forecast_on" not in data:
            raise ValidationError(_("send actual_on, forecast_on (with a reason) or both"),
                                  field_name="actual_on")


class MilestoneResult(MilestoneOut):
    changed = fields.Boolean(required=True, metadata={
        "description": "false when it already had these dates (nothing was written)"})


class ProgressIn(Schema):
    class Meta:
        unknown = RAISE

    on = plan_day("the date the completion is reported for (1900-2200)", required=True)
    physical_pct = fields.Raw(required=True, validate=_not_flag, metadata={
        "type": "number", "minimum": 0, "maximum": 100, "example": 45.5,
        "description": "physical completion, 0 to 100 %"})
    note = fields.String(allow_none=True, metadata={
        "maxLength": MAX_NOTE, "example": "works stopped by rain in March",
        "description": "what explains the figure (optional, at most 2,000 characters; line "
                       "breaks and tabs kept, other control characters refused). The figure "
                       "in force for that date sent again with a different note is a new "
                       "report; sent without one, it changes nothing and its note stays"})


class ProgressResult(Schema):
    initiative = fields.String(required=True)
    on = fields.String(required=True, metadata=DAY)
    physical_pct = fields.Float(required=True)
    note = fields.String(allow_none=True, metadata={
        "description": "the note of the report in force for that date (null: none)"})
    reported_by = fields.String()
    changed = fields.Boolean(required=True, metadata={
        "description": "false when that completion (and note, if one was sent) was already in "
                       "force for that date: nothing was written, and the answer is the report "
                       "in force; a different one is a new report"})


class RiskUpdate(Schema):
    class Meta:
        unknown = RAISE

    status = fields.String(metadata={"enum": [s.value for s in RiskStatus], "example": "open"})
    probability = fields.Raw(validate=_not_flag, metadata={
        "type": "integer", "minimum": 1, "maximum": 5, "example": 3,
        "description": "likelihood, 1 to 5"})
    impact = fields.Raw(validate=_not_flag, metadata={
        "type": "integer", "minimum": 1, "maximum": 5, "example": 4,
        "description": "1 to 5"})
    mitigation = plan_text("what is done about it (at most 2,000 characters)",
                           "land swap agreed with the city")
    review_on = plan_day("the next review (null: none)", allow_none=True)

    @validates_schema
    def _something(self, data: dict[str, object], **_kw: object) -> None:
        if not data:
            raise ValidationError(_("send at least one of {fields}").format(
                fields=", ".join(self.fields)), field_name="status")


class RiskResult(RiskOut):
    changed = fields.Boolean(required=True, metadata={
        "description": "false when it already read so (nothing was written)"})
