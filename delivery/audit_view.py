"""The audit trail made readable: each change's object named as people know it (the goal's
code and name, the meeting's title, "Agenda item «Homicides» of Weekly review"), never
"AgendaItem 317", and its changed fields as before/after pairs.

Names come from the object as it is now when it still exists, else from the values the trail
kept (a deleted object), with the goals, meetings, pacts, secretariats, objectives, accounts and
trajectories it points at looked up in one query each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from delivery import models as m
from delivery.audit import AUDITED, SECRET_COLUMNS
from delivery.audit_queries import FIGURE, AuditRow
from delivery.catalogue.export import frequency_label
from delivery.dates import parse_day
from delivery.figures import source_text
from delivery.i18n import LANGUAGES, N_, _, formats
from delivery.plans.vocabulary import RiskStatus, Stage
from delivery.vocabulary import CommitmentState, Digest, FlagState, Likelihood, MeetingState

KINDS: dict[str, str] = {  # object_type -> what people call it
    "Pillar": N_("Pillar"), "Objective": N_("Objective"), "ObjectiveLink": N_("Objective link"),
    "Secretariat": N_("Secretariat"), "Goal": N_("Goal"), "Trajectory": N_("Trajectory"),
    "TrajectoryPoint": N_("Trajectory milestone"), "Pact": N_("Pact"),
    "PactMember": N_("Pact member"), "PactGoal": N_("Pact goal"),
    "BudgetAccount": N_("Budget account"), "GoalAccountLink": N_("Budget link"),
    "ReviewMeeting": N_("Review meeting"), "Commitment": N_("Commitment"),
    "LikelihoodAssessment": N_("Likelihood rating"), "DataQualityFlag": N_("Data-quality flag"),
    "User": N_("User"), "Source": N_("Data source"), "MeetingSeries": N_("Meeting series"),
    "AgendaItem": N_("Agenda item"), "Decision": N_("Decision"), "GoalComment": N_("Comment"),
    "GoalRule": N_("Plausibility rules"), FIGURE: N_("Figure"),
    "Initiative": N_("Initiative"), "InitiativeGoal": N_("Goal an initiative serves"),
    "InitiativeAccount": N_("Budget account of an initiative"), "Milestone": N_("Milestone"),
    "MilestoneRevision": N_("Milestone forecast"), "ProgressReport": N_("Physical progress"),
    "Risk": N_("Risk"), "ApiToken": N_("API token"), "SavedView": N_("Saved view"),
}
ACTIONS = {"create": N_("created"), "update": N_("changed"), "delete": N_("deleted"),
           "report": N_("reported"), "revise": N_("revised"), "backfill": N_("backfilled")}
_MODELS = {cls.__name__: cls for cls in AUDITED}
_REFERENCES = {  # a column that points at something named: (model, how it is named)
    "goal_id": m.Goal, "meeting_id": m.ReviewMeeting, "pact_id": m.Pact,
    "secretariat_id": m.Secretariat, "owner_secretariat_id": m.Secretariat,
    "objective_id": m.Objective, "source_id": m.Objective, "target_id": m.Objective,
    "account_id": m.BudgetAccount, "trajectory_id": m.Trajectory, "pillar_id": m.Pillar,
}
MAX_TEXT = 160


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


def kind_label(object_type: str) -> str:
    return _(KINDS[object_type]) if object_type in KINDS else object_type


def action_label(action: str) -> str:
    return _(ACTIONS[action]) if action in ACTIONS else action


def changes(row: AuditRow) -> list[Change]:
    """The fields a change touched, before and after (every field kept for a creation or a
    deletion; a figure's revision: the fields that differ from the previous revision)."""
    before, after = row.before or {}, row.after or {}
    keys = list(dict.fromkeys([*after, *before]))
    found = [Change(k, before.get(k), after.get(k)) for k in keys
             if k not in SECRET_COLUMNS and k != "id"]
    if row.before is not None and row.after is not None:
        found = [c for c in found if c.before != c.after]
    return [c for c in found if c.before not in (None, "", [], {}) or
            c.after not in (None, "", [], {})]


def _short(text: Any) -> str:
    text = str(text)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


def _key_values(object_type: str, object_id: str) -> dict[str, Any]:
    """The primary key columns of ``object_type`` read from its audit id (``3/7`` for two)."""
    model = _MODELS.get(object_type)
    if model is None:
        return {}
    columns = [c.key for c in inspect(model).primary_key]
    parts = object_id.split("/")
    if len(parts) != len(columns):
        return {}
    return {c: int(p) if p.isdigit() else p for c, p in zip(columns, parts, strict=True)}


def _current(session: Session, rows: list[AuditRow]) -> dict[tuple[str, str], dict[str, Any]]:
    """The present values of the objects (with a single integer id) that still exist."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for r in rows:
        model = _MODELS.get(r.object_type)
        if model is not None and r.object_id.isdigit() and len(inspect(model).primary_key) == 1:
            wanted[r.object_type].add(int(r.object_id))
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for object_type, ids in wanted.items():
        model = _MODELS[object_type]
        key = inspect(model).primary_key[0]
        for obj in session.scalars(select(model).where(key.in_(ids))):
            values = {a.key: getattr(obj, a.key) for a in inspect(model).column_attrs
                      if a.key not in SECRET_COLUMNS}
            found[(object_type, str(getattr(obj, key.key)))] = values
    return found


def _values(row: AuditRow, current: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    values = {**(row.before or {}), **(row.after or {})}
    values.update(current.get((row.object_type, row.object_id), {}))
    values.update(_key_values(row.object_type, row.object_id))
    if row.object_type == FIGURE:
        goal, _sep, period = row.object_id.partition("/")
        if goal.isdigit():
            values.setdefault("goal_id", int(goal))
            values.setdefault("period_start", period)
        else:  # a backfill: its id is the file imported
            values["file"] = row.object_id
    return values


def _lookups(session: Session, many: Iterable[dict[str, Any]]) -> dict[str, dict[Any, str]]:
    """Names of everything the values point at, one query per kind of thing."""
    wanted: dict[type, set[int]] = defaultdict(set)
    for values in many:
        for column, model in _REFERENCES.items():
            if isinstance(values.get(column), int):
                wanted[model].add(values[column])
    names: dict[str, dict[Any, str]] = defaultdict(dict)
    trajectories = wanted.pop(m.Trajectory, set())
    if trajectories:
        for tid, goal_id, version in session.execute(
                select(m.Trajectory.id, m.Trajectory.goal_id, m.Trajectory.version)
                .where(m.Trajectory.id.in_(trajectories))):
            names["trajectory"][tid] = (goal_id, version)  # type: ignore[assignment]
            wanted[m.Goal].add(goal_id)
    for model, ids in wanted.items():
        label = {m.Goal: lambda o: f"{o.code} · {o.name}",
                 m.ReviewMeeting: lambda o: o.title}.get(model, lambda o: o.name)
        for obj in session.scalars(select(model).where(model.id.in_(ids))):
            names[model.__name__][obj.id] = _short(label(obj))
    return names


def _name(object_type: str, v: dict[str, Any], names: dict[str, dict[Any, str]]) -> str:
    def ref(column: str, model: type) -> str:
        return names[model.__name__].get(v.get(column), "?")

    goal = ref("goal_id", m.Goal)
    if object_type == "Goal":
        return f"{v.get('code', '?')} · {v.get('name', '')}"
    if object_type in {"Pillar", "Objective", "Secretariat", "Pact", "BudgetAccount"}:
        return f"{v['code']} · {v.get('name', '')}" if v.get("code") else str(v.get("name", "?"))
    if object_type in {"Source"}:
        return str(v.get("name", "?"))
    if object_type in {"Trajectory", "TrajectoryPoint"}:
        if object_type == "TrajectoryPoint":
            goal_id, version = names["trajectory"].get(v.get("trajectory_id"), (None, "?"))
            goal = names["Goal"].get(goal_id, "?")
            return _("{goal}, version {version}, milestone of {day}").format(
                goal=goal, version=version, day=v.get("on", "?"))
        return _("{goal}, version {version}").format(goal=goal, version=v.get("version", "?"))
    if object_type == "PactMember":
        return f"{ref('pact_id', m.Pact)} · {ref('secretariat_id', m.Secretariat)}"
    if object_type == "PactGoal":
        return f"{ref('pact_id', m.Pact)} · {goal}"
    if object_type == "GoalAccountLink":
        return f"{goal} · {ref('account_id', m.BudgetAccount)}"
    if object_type == "ObjectiveLink":
        return f"{ref('source_id', m.Objective)} → {ref('target_id', m.Objective)}"
    if object_type == "ReviewMeeting":
        return f"{v.get('title', '?')} ({v.get('held_on', '?')})"
    if object_type in {"AgendaItem", "Decision"}:
        text = v.get("title") if object_type == "AgendaItem" else v.get("text")
        return _("«{text}» in {meeting}").format(text=_short(text or "?"),
                                                 meeting=ref("meeting_id", m.ReviewMeeting))
    if object_type == "Commitment":
        return _short(v.get("description", "?"))
    if object_type == "LikelihoodAssessment":
        subject = goal if v.get("goal_id") else ref("pact_id", m.Pact)
        return _("{subject}, rated by {rater}").format(subject=subject, rater=v.get("rater", "?"))
    if object_type == "DataQualityFlag":
        return f"{goal} · {str(v.get('kind', '?')).replace('_', ' ')}"
    if object_type == "User":
        return f"{v.get('display_name') or v.get('username', '?')} ({v.get('username', '?')})"
    if object_type == "MeetingSeries":
        return str(v.get("title", "?"))
    if object_type in {"GoalComment", "GoalRule"}:
        return goal
    if object_type == FIGURE and v.get("file"):
        return _("import of {file}").format(file=v["file"])
    if object_type == FIGURE:
        period = v.get("period_start") or ""
        return f"{goal} · {period}" if period else goal
    return str(v.get("name") or v.get("title") or "?")


FIELDS: dict[str, str] = {
    "name": N_("name"), "code": N_("code"), "title": N_("title"),
    "description": N_("description"), "indicator": N_("indicator"), "unit": N_("unit"),
    "target_value": N_("target"), "target_date": N_("target date"),
    "target_low": N_("target range, low"), "target_high": N_("target range, high"),
    "baseline_value": N_("baseline"), "baseline_date": N_("baseline date"),
    "tolerance": N_("tolerance"), "off_track_tolerance": N_("off-track tolerance"),
    "is_public": N_("public"), "is_output": N_("output goal"), "version": N_("version"),
    "state": N_("state"), "due_on": N_("due on"), "closed_on": N_("closed on"),
    "closed_by": N_("closed by"), "closing_note": N_("closing note"), "owner": N_("owner"),
    "value": N_("value"), "revision": N_("revision"), "is_provisional": N_("provisional"),
    "source": N_("source"), "note": N_("note"), "known_on": N_("known on"),
    "period_start": N_("period start"), "period_end": N_("period end"),
    "approved_by": N_("approved by"), "approved_at": N_("approved at"),
    "rejected_by": N_("rejected by"), "rejection_reason": N_("reason for rejecting"),
    "proposed_by": N_("proposed by"), "rationale": N_("reason"), "shape": N_("shape"),
    "role": N_("role"), "display_name": N_("display name"), "username": N_("username"),
    "is_active": N_("active"), "language": N_("language"), "held_on": N_("held on"),
    "notes": N_("notes"), "attendees": N_("attendees"), "invited": N_("invited"),
    "rating": N_("rating"), "reasons": N_("reasons"), "kind": N_("kind"),
    "reason": N_("reason"), "resolved_by": N_("resolved by"),
    "resolution_note": N_("resolution note"), "body": N_("text"), "text": N_("text"),
    "share": N_("share"), "position": N_("position"), "weight": N_("weight"),
    "on": N_("date"), "spent": N_("spent"), "committed": N_("committed"),
    "appropriated": N_("appropriated"), "goal_id": N_("goal"), "meeting_id": N_("meeting"),
    "pact_id": N_("pact"), "secretariat_id": N_("secretariat"),
    "owner_secretariat_id": N_("owner's secretariat"), "objective_id": N_("objective"),
    "account_id": N_("budget account"), "trajectory_id": N_("trajectory"),
    "pillar_id": N_("pillar"), "id": N_("id"), "created_at": N_("created at"),
    "source_id": N_("contributing objective"), "target_id": N_("objective contributed to"),
    "direction": N_("direction"), "frequency": N_("frequency"),
    "reporting_lag_days": N_("reporting lag (days)"), "rejected_at": N_("rejected at"),
    "withdrawn_by": N_("withdrawn by"), "withdrawn_at": N_("withdrawn at"),
    "restates_past": N_("rewrites the past"), "figures": N_("figures"), "file": N_("file"),
    "known_from": N_("known from"), "known_to": N_("known until"),
    "starts_on": N_("starts on"), "ends_on": N_("ends on"), "is_lead": N_("lead"),
    "negotiated_target_value": N_("negotiated target"),
    "negotiated_target_date": N_("negotiated target date"), "programme": N_("programme"),
    "fiscal_year": N_("fiscal year"), "responsible": N_("responsible"), "stage": N_("stage"),
    "cancel_reason": N_("reason for cancelling"), "cancelled_reason": N_("reason for cancelling"),
    "tolerance_days": N_("tolerance (days)"), "initiative_id": N_("initiative"),
    "baseline_on": N_("baseline date"), "forecast_on": N_("forecast date"),
    "actual_on": N_("actual date"), "probability": N_("probability"), "impact": N_("impact"),
    "mitigation": N_("mitigation"), "review_on": N_("next review"), "status": N_("status"),
    "weekday": N_("weekday"), "every_weeks": N_("every (weeks)"),
    "series_id": N_("meeting series"), "closed_at": N_("closed at"),
    "started_at": N_("started at"), "started_by": N_("started by"), "flag_id": N_("flag"),
    "commitment_id": N_("commitment"), "milestone_id": N_("milestone"), "risk_id": N_("risk"),
    "added_by": N_("added by"), "added_at": N_("added at"), "owner_user_id": N_("owner"),
    "agenda_item_id": N_("agenda item"), "first_due_on": N_("first due on"),
    "recorded_by": N_("recorded by"), "recorded_at": N_("recorded at"), "rater": N_("rated by"),
    "assessed_on": N_("assessed on"), "judgements": N_("judgements"), "email": N_("e-mail"),
    "digest": N_("e-mail reminders"), "is_secretariat_head": N_("secretariat head"),
    "allow_negative": N_("negative values allowed"), "allow_over_100": N_("over 100% allowed"),
    "author": N_("author"), "backoff_seconds": N_("wait between tries (seconds)"),
    "config": N_("settings"), "created_by": N_("created by"), "cron": N_("schedule"),
    "enabled": N_("enabled"), "evidence": N_("evidence"), "expires_at": N_("expires at"),
    "figure_id": N_("figure"), "interval_seconds": N_("interval (seconds)"),
    "last_used_at": N_("last used at"), "max_jump": N_("largest plausible jump"),
    "max_plausible": N_("plausible up to"), "min_plausible": N_("plausible from"),
    "owner_id": N_("owner"), "prefix": N_("prefix"), "raised_at": N_("raised at"),
    "replaces_id": N_("replaces"), "resolved_at": N_("resolved at"), "retries": N_("retries"),
    "revoked_at": N_("revoked at"), "revoked_by": N_("revoked by"),
    "timeout_seconds": N_("time limit (seconds)"), "timezone": N_("time zone"),
    "updated_at": N_("updated at"), "user_id": N_("person"),
}


@dataclass(frozen=True)
class ReadableChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class ReadableRow:
    when: str
    who: str
    action: str
    kind: str
    name: str
    changes: list[ReadableChange]


def _role(value: str) -> str:
    return _({"admin": N_("admin"), "analyst": N_("analyst"), "governor": N_("governor"),
              "secretariat": N_("secretariat")}[value])


# fields holding a word of the product's vocabulary: shown in the reader's language
_ENUM_FIELDS: dict[str, Any] = {
    "role": _role, "digest": lambda v: Digest(v).label,
    "state": lambda v: _first_label(v, CommitmentState, MeetingState, FlagState),
    "status": lambda v: RiskStatus(v).label, "stage": lambda v: Stage(v).label,
    "rating": lambda v: Likelihood(v).label, "frequency": frequency_label,
    "direction": lambda v: _(_DIRECTIONS[v]), "language": lambda v: LANGUAGES[v],
}
_DIRECTIONS = {"up": N_("higher is better"), "down": N_("lower is better"),
               "range": N_("inside a range")}


def _first_label(value: str, *enums: Any) -> str:
    """The label of ``value`` in the first of ``enums`` that has it (a state field is a
    commitment's, a meeting's or a flag's; the words overlap)."""
    for enum in enums:
        if value in {member.value for member in enum}:
            return enum(value).label
    raise ValueError(value)


def field_label(field: str) -> str:
    return _(FIELDS[field]) if field in FIELDS else field.replace("_", " ")


def value_text(field: str, value: Any, names: dict[str, dict[Any, str]]) -> str:
    """A value of the trail as read: yes/no, numbers and dates in the reader's language, a
    reference by the name of what it points at."""
    if value is None or value == "":
        return "—"
    if field == "source" and isinstance(value, str):
        return _short(source_text(value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    words = _ENUM_FIELDS.get(field)
    if words is not None and isinstance(value, str):
        try:
            return str(words(value))
        except (ValueError, KeyError):
            return value
    model = _REFERENCES.get(field)
    if model is not None and isinstance(value, int) and model is not m.Trajectory:
        return names[model.__name__].get(value, f"#{value}")
    if isinstance(value, int | float):
        return formats.number(float(value), up_to=4)
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-":
        try:
            return formats.day(parse_day(value))
        except ValueError:
            pass
    if isinstance(value, str) and len(value) > 18 and value[10:11] == "T":
        try:
            return formats.moment(datetime.fromisoformat(value))
        except ValueError:
            pass
    if isinstance(value, list):
        return _short(", ".join(str(v) for v in value))
    if isinstance(value, dict):
        return _short("; ".join(f"{k}: {v}" for k, v in value.items()))
    return _short(value)


def people(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    """username -> "Display Name (username)" for those who are users."""
    wanted = set(usernames)
    return {u: f"{d} ({u})" if d and d != u else u for u, d in session.execute(
        select(m.User.username, m.User.display_name).where(m.User.username.in_(wanted)))}


def readable(session: Session, rows: list[AuditRow]) -> list[ReadableRow]:
    """The rows as the audit page shows them (texts in the current language, moments in the
    site's time zone)."""
    current = _current(session, rows)
    values = [_values(r, current) for r in rows]
    referenced = [{**(r.before or {}), **(r.after or {})} for r in rows]
    names = _lookups(session, values + referenced)
    who = people(session, {r.actor for r in rows})
    return [ReadableRow(
        when=formats.moment(r.at), who=who.get(r.actor, r.actor), action=action_label(r.action),
        kind=kind_label(r.object_type), name=_name(r.object_type, v, names),
        changes=[ReadableChange(field_label(c.field), value_text(c.field, c.before, names),
                                value_text(c.field, c.after, names)) for c in changes(r)])
        for r, v in zip(rows, values, strict=True)]
