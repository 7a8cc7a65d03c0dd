"""Likelihood of delivery: the unit's judgement, kept apart from the computed status.

Rules:

- Raters judge a goal or a pact independently, on the four-point scale green / amber-green /
  amber-red / red, with reasons and the factors of ``vocabulary.LIKELIHOOD_FACTORS``. A new
  judgement is a new row; a rater's *latest* judgement on a subject by a date is the one with the
  latest ``assessed_on`` (then the latest recorded).
- Disagreement is shown, never averaged: each subject keeps every rater's rating, with the
  ``spread`` between the most and the least hopeful (0 to 3 steps of the scale).
- League table: one row per pact and per objective. Each goal beneath is counted once, under the
  most pessimistic of its raters' latest ratings (a goal rated amber-green by one rater and red
  by another counts as red, and as one disagreement). ``worst`` is the worst rating of the
  goals or of the pact itself. Order: worst first, then more red, more amber-red, more goals
  off track in computed terms, then code.
- Track record: each goal judgement given at least ``after_days`` before the date, with the
  goal's computed status when it was given and ``after_days`` later, as known on each of those
  days. "Went off track" means the computed status was off track ``after_days`` later.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from delivery.assessment import goal_statuses
from delivery.clock import review_date, stamp_now
from delivery.db import query_frame
from delivery.i18n import _
from delivery.models import Goal, LikelihoodAssessment, Objective, Pact, PactGoal, Pillar
from delivery.vocabulary import LIKELIHOOD_FACTORS, Likelihood, Status

SCALE = [r.value for r in Likelihood]  # green first: the index is how bad a rating is
RANK = {r: i for i, r in enumerate(SCALE)}
STATUS_VALUES = [s.value for s in Status]


def record_assessment(session: Session, *, rater: str, rating: str, reasons: str,
                      assessed_on: date | None = None, judgements: dict[str, str] | None = None,
                      goal_id: int | None = None, pact_id: int | None = None,
                      by: str | None = None) -> LikelihoodAssessment:
    """One rater's judgement of a goal or a pact (``by``: who typed it, for the audit trail),
    dated ``assessed_on`` or, by default, the review date (the server's clock: screens never
    send a date). ValueError naming the field for a missing rater or reasons, an unknown
    rating or factor, or not exactly one of goal and pact."""
    if not (rater or "").strip():
        raise ValueError(_("rater: required"))
    if assessed_on is None:
        assessed_on = review_date(session)
    if not isinstance(assessed_on, date):
        raise ValueError(_("assessed on: not a date"))
    if rating not in RANK:
        raise ValueError(_("rating: {rating} is not one of {scale}").format(
            rating=repr(rating), scale=", ".join(SCALE)))
    if (goal_id is None) == (pact_id is None):
        raise ValueError(_("goal: give a goal or a pact (one of them)"))
    if goal_id is not None and session.get(Goal, goal_id) is None:
        raise ValueError(_("goal: no goal {id}").format(id=goal_id))
    if pact_id is not None and session.get(Pact, pact_id) is None:
        raise ValueError(_("pact: no pact {id}").format(id=pact_id))
    judgements = dict(judgements or {})
    unknown = sorted(set(judgements) - set(LIKELIHOOD_FACTORS))
    if unknown:
        raise ValueError(_("judgements: unknown factor {factor} (expected one of {factors})")
                         .format(factor=repr(unknown[0]), factors=", ".join(LIKELIHOOD_FACTORS)))
    if not (reasons or "").strip():
        raise ValueError(_("reasons: required"))
    session.info["actor"] = by or rater
    assessment = LikelihoodAssessment(
        goal_id=goal_id, pact_id=pact_id, rater=rater.strip(), assessed_on=assessed_on,
        rating=Likelihood(rating), reasons=reasons.strip(), recorded_at=stamp_now(session),
        judgements={k: str(v).strip() for k, v in judgements.items() if str(v).strip()})
    session.add(assessment)
    session.flush()
    return assessment


ASSESSMENT_COLUMNS = ["assessment_id", "goal_id", "pact_id", "rater", "assessed_on", "rating",
                      "judgements", "reasons"]


def _assessments(session: Session, as_of: date) -> pd.DataFrame:
    session.flush()
    query = (select(LikelihoodAssessment.id, LikelihoodAssessment.goal_id,
                    LikelihoodAssessment.pact_id, LikelihoodAssessment.rater,
                    LikelihoodAssessment.assessed_on,
                    type_coerce(LikelihoodAssessment.rating, String),
                    LikelihoodAssessment.judgements, LikelihoodAssessment.reasons)
             .where(LikelihoodAssessment.assessed_on <= as_of)
             .order_by(LikelihoodAssessment.assessed_on, LikelihoodAssessment.recorded_at,
                       LikelihoodAssessment.id))
    return query_frame(session, query, ASSESSMENT_COLUMNS)


def latest_assessments(session: Session, as_of: date) -> pd.DataFrame:
    """Each rater's latest judgement on each goal and pact by ``as_of``: subject ("goal" or
    "pact"), subject_id, code, name, objective_id (goals), rater, assessed_on, rating, one
    column per factor, reasons; ordered by subject, code and rater."""
    frame = _assessments(session, as_of)
    frame["subject"] = np.where(frame["goal_id"].notna(), "goal", "pact")
    frame["subject_id"] = frame["goal_id"].fillna(frame["pact_id"]).astype("Int64")
    frame = frame.drop_duplicates(["subject", "subject_id", "rater"], keep="last")
    goals = query_frame(session, select(Goal.id, Goal.code, Goal.name, Goal.objective_id),
                        ["subject_id", "code", "name", "objective_id"]).assign(subject="goal")
    pacts = query_frame(session, select(Pact.id, Pact.code, Pact.name),
                        ["subject_id", "code", "name"]).assign(subject="pact")
    names = pd.concat([goals, pacts], ignore_index=True)
    names["subject_id"] = names["subject_id"].astype("Int64")
    frame = frame.merge(names, on=["subject", "subject_id"], how="left")
    factors = pd.DataFrame([j or {} for j in frame["judgements"]], index=frame.index,
                           columns=list(LIKELIHOOD_FACTORS))
    frame = pd.concat([frame, factors], axis=1)
    columns = ["assessment_id", "subject", "subject_id", "code", "name", "objective_id",
               "rater", "assessed_on", "rating", *LIKELIHOOD_FACTORS, "reasons"]
    return frame[columns].sort_values(["subject", "code", "rater"], kind="stable",
                                      ignore_index=True)


def disagreement(latest: pd.DataFrame) -> pd.DataFrame:
    """Per subject of ``latest``: raters (how many), ratings (every (rater, rating), by
    rater), best, worst, spread (0..3 steps of the scale) and agreed; widest spread first."""
    columns = ["subject", "subject_id", "code", "name", "raters", "ratings", "best", "worst",
               "spread", "agreed"]
    if latest.empty:
        return pd.DataFrame(columns=columns)
    frame = latest.assign(_rank=latest["rating"].map(RANK))
    keys = ["subject", "subject_id", "code", "name"]
    grouped = frame.sort_values("rater", kind="stable").groupby(keys, sort=False, dropna=False)
    out = grouped.agg(raters=("rater", "size"), low=("_rank", "min"),
                      high=("_rank", "max")).reset_index()
    pairs = grouped.apply(lambda g: list(zip(g["rater"], g["rating"], strict=True)),
                          include_groups=False)
    out["ratings"] = pairs.to_numpy()
    out["best"] = out["low"].map(dict(enumerate(SCALE)))
    out["worst"] = out["high"].map(dict(enumerate(SCALE)))
    out["spread"] = (out["high"] - out["low"]).astype(int)
    out["agreed"] = out["spread"] == 0
    return out.sort_values(["spread", "subject", "code"], ascending=[False, True, True],
                           kind="stable", ignore_index=True)[columns]


LEAGUE_COLUMNS = ["kind", "code", "name", "goals", "rated", *SCALE, "own_ratings", "worst",
                  "disagreements", *STATUS_VALUES]


def league_table(session: Session, as_of: date) -> pd.DataFrame:
    """One row per pact and per objective (see the module docstring), worst first."""
    latest = latest_assessments(session, as_of)
    spread = disagreement(latest)
    per_goal = spread[spread["subject"] == "goal"].set_index("subject_id")
    per_pact = spread[spread["subject"] == "pact"].set_index("subject_id")
    statuses = goal_statuses(session, as_of, with_reasons=False)[["goal_id", "status"]]
    members = pd.concat([_objective_members(session), _pact_members(session)],
                        ignore_index=True)
    members = members.merge(statuses, on="goal_id", how="left")
    members["worst"] = members["goal_id"].map(per_goal["worst"])
    split_goals = per_goal.index[~per_goal["agreed"].astype(bool)]
    members["split"] = members["goal_id"].isin(split_goals)
    rows = []
    for (kind, subject_id, code, name, order), group in members.groupby(
            ["kind", "subject_id", "code", "name", "order"], sort=False):
        own = per_pact.loc[subject_id] if kind == "pact" and subject_id in per_pact.index \
            else None
        ratings = group["worst"].value_counts()
        worst = [r for r in [*group["worst"].dropna(), own["worst"] if own is not None else None]
                 if r is not None]
        statuses_count = group["status"].value_counts()
        rows.append({
            "kind": kind, "code": code, "name": name, "goals": len(group),
            "rated": int(group["worst"].notna().sum()),
            **{r: int(ratings.get(r, 0)) for r in SCALE},
            "own_ratings": list(own["ratings"]) if own is not None else [],
            "worst": max(worst, key=RANK.__getitem__) if worst else None,
            "disagreements": int(group["split"].sum()) + int(own is not None
                                                             and not own["agreed"]),
            **{s: int(statuses_count.get(s, 0)) for s in STATUS_VALUES},
            "_order": order,
        })
    table = pd.DataFrame(rows, columns=[*LEAGUE_COLUMNS, "_order"])
    table["_worst"] = table["worst"].map(RANK).fillna(-1)
    table = table.sort_values(
        ["_worst", "red", "amber_red", "off_track", "_order"],
        ascending=[False, False, False, False, True], kind="stable", ignore_index=True)
    table["worst"] = table["worst"].astype(object).where(table["worst"].notna(), None)
    return table[LEAGUE_COLUMNS]


def _objective_members(session: Session) -> pd.DataFrame:
    query = (select(Objective.id, Objective.code, Objective.name, Goal.id)
             .join(Pillar, Objective.pillar_id == Pillar.id)
             .join(Goal, Goal.objective_id == Objective.id)
             .order_by(Pillar.position, Objective.position))
    frame = query_frame(session, query, ["subject_id", "code", "name", "goal_id"])
    return frame.assign(kind="objective", order=frame["subject_id"].map(
        {v: i for i, v in enumerate(frame["subject_id"].unique())}) + 1000)


def _pact_members(session: Session) -> pd.DataFrame:
    query = (select(Pact.id, Pact.code, Pact.name, PactGoal.goal_id)
             .join(PactGoal, PactGoal.pact_id == Pact.id).order_by(Pact.code))
    frame = query_frame(session, query, ["subject_id", "code", "name", "goal_id"])
    return frame.assign(kind="pact", order=frame["subject_id"].map(
        {v: i for i, v in enumerate(frame["subject_id"].unique())}))


TRACK_COLUMNS = ["assessment_id", "goal_id", "code", "name", "rater", "assessed_on", "rating",
                 "status_then", "checked_on", "status_after", "went_off_track"]


def track_record(session: Session, as_of: date, *, after_days: int = 56) -> pd.DataFrame:
    """How each goal judgement given by ``as_of - after_days`` fared: the computed status when
    it was given and ``after_days`` later (one status pass per distinct date)."""
    frame = _assessments(session, as_of - timedelta(days=after_days))
    frame = frame[frame["goal_id"].notna()].reset_index(drop=True)
    if frame.empty:
        return pd.DataFrame(columns=TRACK_COLUMNS)
    frame["goal_id"] = frame["goal_id"].astype(int)
    frame["checked_on"] = [d + timedelta(days=after_days) for d in frame["assessed_on"]]
    goal_ids = frame["goal_id"].unique().tolist()
    days = sorted(set(frame["assessed_on"]) | set(frame["checked_on"]))
    passes = {d: goal_statuses(session, d, with_reasons=False, goal_ids=goal_ids)
              .set_index("goal_id") for d in days}
    lookup = pd.concat({d: p["status"] for d, p in passes.items()}, names=["on", "goal_id"])
    frame["status_then"] = lookup.reindex(
        pd.MultiIndex.from_arrays([frame["assessed_on"], frame["goal_id"]])).to_numpy()
    frame["status_after"] = lookup.reindex(
        pd.MultiIndex.from_arrays([frame["checked_on"], frame["goal_id"]])).to_numpy()
    names = passes[days[-1]][["code", "name"]]
    frame = frame.join(names, on="goal_id")
    frame["went_off_track"] = frame["status_after"] == Status.OFF_TRACK.value
    return frame[TRACK_COLUMNS]


def track_record_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per rating, green first: judgements, how many were off track when given, how many were
    off track ``after_days`` later (and as a share), and how many of those were not before."""
    rows = []
    for rating in SCALE:
        part = frame[frame["rating"] == rating]
        off_then = part["status_then"] == Status.OFF_TRACK.value
        later = part["went_off_track"].astype(bool)
        rows.append({"rating": rating, "judgements": len(part),
                     "off_track_then": int(off_then.sum()), "off_track_later": int(later.sum()),
                     "share_off_track_later": later.mean() if len(part) else np.nan,
                     "newly_off_track": int((later & ~off_then).sum())})
    return pd.DataFrame(rows)
