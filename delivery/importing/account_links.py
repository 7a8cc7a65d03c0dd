"""Importing goal-account links (which accounts fund which goals, with what share) from a file.

A link is a goal, an account (code and fiscal year) and a share: the part of the account that
serves the goal, more than 0 and at most 1 (or 100 with ``share: {as: percent}``). The shares
of one account, those in the file plus those already stored for other goals, add up to at most
1; when they do not, every row of that account is refused with the sum named. Links are few
(one per goal and account), so they go through the ORM and its audit trail.
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from delivery.i18n import _
from delivery.importing import reader
from delivery.importing.attributes import number
from delivery.importing.budget_cells import blame, check_columns, fiscal_year, rendered
from delivery.importing.budget_mapping import BudgetMapping
from delivery.importing.reader import read_chunks
from delivery.importing.report import ImportReport, RowError
from delivery.models import BudgetAccount, Goal, GoalAccountLink

SUM_SLACK = 1e-9  # shares written with a few decimals may add up to 1.0000000001


def import_links(session: Session, path: Path, mapping: BudgetMapping, *, write: bool,
                 dry_run: bool) -> ImportReport:
    """Create or update the links of the file; rows with a problem are reported, not stored."""
    report = ImportReport(file=path.name, mapping=mapping.path.name, kind=mapping.kind,
                          description=mapping.description, dry_run=dry_run)
    goals = dict(session.execute(select(Goal.code, Goal.id)).all())
    accounts = {(code, year): id_ for id_, code, year in session.execute(
        select(BudgetAccount.id, BudgetAccount.code, BudgetAccount.fiscal_year))}
    wanted: dict[tuple[int, int], tuple[int, float]] = {}  # (account, goal) -> (row, share)
    for number_, chunk in enumerate(read_chunks(path, mapping.read, reader.CHUNK_ROWS)):
        if number_ == 0:
            check_columns(chunk, mapping, path.name)
        report.rows_read += len(chunk)
        text = {name: rendered(t, chunk, mapping.read.blank)
                for name, t in mapping.templates.items()}
        shares = chunk[mapping.share_column].tolist() if mapping.share_column else None
        for i, row in enumerate(chunk.index.tolist()):
            errors, (account_id, goal_id, share) = _row(
                i, text, shares, mapping, goals, accounts)
            if errors:
                report.add_errors(RowError(path.name, row, c, r) for c, r in errors)
            elif (account_id, goal_id) in wanted:
                first, before = wanted[(account_id, goal_id)]
                if math.isclose(before, share):
                    report.duplicate_rows += 1
                else:
                    report.add_errors([RowError(path.name, row, blame(mapping, "goal"), (
                        _("goal {goal} and account {account} are already linked in row {row} "
                          "with share {share}").format(goal=text["goal"][i],
                                                       account=text["account"][i], row=first,
                                                       share=f"{before:g}")))])
            else:
                wanted[(account_id, goal_id)] = (row, share)
    _check_sums(session, wanted, report, mapping, path.name)
    _save(session, wanted, report, write)
    report.written = write
    return report


def _row(i: int, text: dict, shares: list[str] | None, mapping: BudgetMapping,
         goals: dict[str, int], accounts: dict[tuple[str, int], int]
         ) -> tuple[list[tuple[str, str]], tuple]:
    errors = []
    code, goal = text["account"][i], text["goal"][i]
    year = fiscal_year(text["fiscal_year"][i]) if text["fiscal_year"][i] else _("no fiscal year")
    if isinstance(year, str):
        errors.append((blame(mapping, "fiscal_year"), year))
    if code is None:
        errors.append((blame(mapping, "account"), _("no account code")))
    elif not isinstance(year, str) and (code, year) not in accounts:
        errors.append((blame(mapping, "account"), _(
            "no budget account {code} of {year}; import the accounts first").format(
                code=code, year=year)))
    if goal is None:
        errors.append((blame(mapping, "goal"), _("no goal code")))
    elif goal not in goals:
        errors.append((blame(mapping, "goal"), _("no goal {code}").format(code=goal)))
    share = _share(shares[i] if shares is not None else "1", mapping)
    if isinstance(share, str):
        errors.append((mapping.share_column or "share", share))
    if errors or isinstance(year, str) or code is None or goal is None:
        return errors, (None, None, None)
    return errors, (accounts[(code, year)], goals[goal], share)


def _share(text: str, mapping: BudgetMapping) -> float | str:
    percent = mapping.share_unit == "percent"
    cleaned = text.strip().removesuffix("%").strip() if percent else text.strip()
    if not cleaned:
        return _("no share")
    try:
        value = number(cleaned, mapping.read)
    except ValueError as exc:
        return str(exc)
    share = value / 100 if percent else value
    if not 0 < share <= 1:
        allowed = _("more than 0 and at most 100 (percent)") if percent else _(
            "more than 0 and at most 1 (write 0.25 for a quarter, or set share.as: percent)")
        return _("{text} is not a share: {allowed}").format(text=text.strip(), allowed=allowed)
    return share


def _check_sums(session: Session, wanted: dict[tuple[int, int], tuple[int, float]],
                report: ImportReport, mapping: BudgetMapping, file: str) -> None:
    """Refuse every row of an account whose shares would add up to more than 1."""
    by_account: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for (account, goal), (row, share) in wanted.items():
        by_account[account].append((row, goal, share))
    stored: dict[int, dict[int, float]] = defaultdict(dict)
    for link in session.scalars(select(GoalAccountLink).where(
            GoalAccountLink.account_id.in_(list(by_account)))) if by_account else ():
        stored[link.account_id][link.goal_id] = link.share
    code = dict(session.execute(select(BudgetAccount.id, BudgetAccount.code).where(
        BudgetAccount.id.in_(list(by_account)))).all()) if by_account else {}
    for account, rows in by_account.items():
        in_file = {goal for _row, goal, _share in rows}
        others = sum(s for g, s in stored[account].items() if g not in in_file)
        total = others + sum(share for _row, _goal, share in rows)
        if total <= 1 + SUM_SLACK:
            continue
        numbers = ", ".join(str(r) for r, _goal, _share in sorted(rows))
        already = _(", and {share} already linked to other goals").format(
            share=f"{others:.4g}") if others else ""
        reason = _("the shares of account {code} add up to {total} (rows {rows}{already}): at "
                   "most 1").format(code=code[account], total=f"{total:.4g}", rows=numbers,
                                    already=already)
        for row, goal, _share in rows:
            report.add_errors([RowError(file, row, mapping.share_column or "share", reason)])
            del wanted[(account, goal)]


def _save(session: Session, wanted: dict[tuple[int, int], tuple[int, float]],
          report: ImportReport, write: bool) -> None:
    existing = {(link.account_id, link.goal_id): link
                for link in session.scalars(select(GoalAccountLink))} if wanted else {}
    for (account, goal), (_row, share) in wanted.items():
        link = existing.get((account, goal))
        if link is None:
            report.links_created += 1
            if write:
                session.add(GoalAccountLink(account_id=account, goal_id=goal, share=share))
        elif math.isclose(link.share, share):
            report.links_unchanged += 1
        else:
            report.links_updated += 1
            if write:
                link.share = share
    if write:
        session.flush()
