"""What an import did: counts, and every rejected row with the reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from delivery.i18n import _
from delivery.i18n.formats import number

KEPT_ERRORS = 10_000  # reasons kept in a report; past it only counted (a million bad rows)
SHOWN_ERRORS = 200  # reasons a person is shown, then "and N more"


@dataclass(frozen=True, order=True)
class RowError:
    """One reason a row (or, in a wide file, one cell) was rejected.

    ``row`` is the row number a spreadsheet shows (the header is row 1, unless rows were
    skipped above it); ``column`` is the column the problem is in, or the mapping key when
    the problem comes from the mapping itself.
    """

    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row} {self.column}: {self.reason}"


@dataclass(frozen=True)
class FigureChange:
    """A figure the import writes (or would write): its goal, period, the value stored before
    (None for a new period) and the value the file gives."""

    goal: str
    period_start: date
    before: float | None
    after: float
    provisional: bool = False


SHOWN_CHANGES = 200  # figures listed with their before and after, revised ones first


@dataclass
class ImportReport:
    """Counts of what was read, skipped, created, recorded and rejected."""

    file: str
    mapping: str
    kind: str = "figures"  # or budget_accounts, account_links
    description: str = ""
    dry_run: bool = False
    written: bool = False  # False for a dry run, and when all_or_nothing met an error
    rows_read: int = 0
    skipped_by_filter: int = 0
    blank_values: int = 0
    duplicate_rows: int = 0  # the same goal, period and value again: later copies ignored
    goals_created: int = 0
    goals_updated: int = 0
    goals_unchanged: int = 0
    objectives_created: int = 0
    secretariats_created: int = 0
    pillars_created: int = 0
    figures_new: int = 0
    figures_revised: int = 0
    figures_consolidated: int = 0
    figures_unchanged: int = 0
    figures_backfilled: int = 0  # of those written, known before the review date (history)
    accounts_created: int = 0
    accounts_updated: int = 0
    accounts_unchanged: int = 0
    links_created: int = 0
    links_updated: int = 0
    links_unchanged: int = 0
    rejected: int = 0  # rows (cells, in a wide file) not imported because of an error
    flags_raised: int = 0  # data-quality flags raised on what was written
    goal_ids: list[int] = field(default_factory=list)  # goals with accepted rows
    errors: list[RowError] = field(default_factory=list)
    more_errors: int = 0  # reasons counted but not kept, past KEPT_ERRORS
    changes: list[FigureChange] = field(default_factory=list)  # the first SHOWN_CHANGES

    def add_errors(self, errors: Iterable[RowError]) -> None:
        """Keep the reasons of one more rejected row (only a count, once KEPT_ERRORS are kept)."""
        errors = list(errors)
        if not errors:
            return
        self.rejected += 1
        room = max(KEPT_ERRORS - len(self.errors), 0)
        self.errors += errors[:room]
        self.more_errors += len(errors) - min(room, len(errors))

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.more_errors

    @property
    def changed(self) -> int:
        """Rows of the database created or changed (or that would be, in a dry run)."""
        return (self.goals_created + self.goals_updated + self.figures_written
                + self.accounts_created + self.accounts_updated + self.links_created
                + self.links_updated)

    @property
    def figures_written(self) -> int:
        return self.figures_new + self.figures_revised + self.figures_consolidated

    def render_text(self, max_errors: int | None = None) -> str:
        """A summary for a person, then every rejected row as ``file:row column: reason``."""
        title = _("Import of {file} with {mapping}").format(file=self.file, mapping=self.mapping)
        lines = [f"{title} ({self.description})" if self.description else title]
        if self.dry_run:
            lines.append(_("Dry run: nothing was written."))
        elif not self.written and self.errors:
            lines.append(_("Nothing was written: the import is all or nothing and rows were "
                           "rejected."))
        if self.kind != "figures":
            lines += self._budget_lines()
        else:
            lines += self._figure_lines()
        shown = self.errors if max_errors is None else self.errors[:max_errors]
        lines += [f"    {error}" for error in shown]
        if len(shown) < self.error_count:
            lines.append(_("    ... and {count} more").format(
                count=number(self.error_count - len(shown))))
        return "\n".join(lines)

    def _budget_lines(self) -> list[str]:
        created, updated, unchanged = (
            (self.accounts_created, self.accounts_updated, self.accounts_unchanged)
            if self.kind == "budget_accounts" else
            (self.links_created, self.links_updated, self.links_unchanged))
        counts = {"created": number(created), "updated": number(updated),
                  "unchanged": number(unchanged)}
        what = (_("  accounts: {created} created, {updated} updated, {unchanged} unchanged")
                if self.kind == "budget_accounts" else
                _("  goal-account links: {created} created, {updated} updated, {unchanged} "
                  "unchanged"))
        return [
            _("  rows read: {rows} (repeated rows ignored: {repeated})").format(
                rows=number(self.rows_read), repeated=number(self.duplicate_rows)),
            what.format(**counts),
            _("  rejected: {rows} rows ({reasons} reasons)").format(
                rows=number(self.rejected), reasons=number(self.error_count)),
        ]

    def _figure_lines(self) -> list[str]:
        n = number
        lines = [
            _("  rows read: {rows} (skipped by filter: {skipped}; blank values skipped: "
              "{blank}; repeated rows ignored: {repeated})").format(
                rows=n(self.rows_read), skipped=n(self.skipped_by_filter),
                blank=n(self.blank_values), repeated=n(self.duplicate_rows)),
            _("  goals: {created} created, {updated} updated, {unchanged} unchanged").format(
                created=n(self.goals_created), updated=n(self.goals_updated),
                unchanged=n(self.goals_unchanged)),
            _("  created: {objectives} objectives, {secretariats} secretariats, {pillars} "
              "pillars").format(objectives=n(self.objectives_created),
                                secretariats=n(self.secretariats_created),
                                pillars=n(self.pillars_created)),
            _("  figures: {new} new, {revised} revised, {consolidated} consolidated, "
              "{unchanged} unchanged").format(
                new=n(self.figures_new), revised=n(self.figures_revised),
                consolidated=n(self.figures_consolidated), unchanged=n(self.figures_unchanged)),
            _("  data-quality flags raised: {n}").format(n=n(self.flags_raised)),
            _("  rejected: {n}").format(n=n(self.rejected)),
        ]
        if self.figures_backfilled:
            lines.insert(-1, _("  backfilled: {n} figures known before the review date (listed "
                               "in the audit trail)").format(n=n(self.figures_backfilled)))
        return lines


def figure_changes(written: pd.DataFrame, stored: pd.DataFrame,
                   codes: dict[int, str]) -> list[FigureChange]:
    """The figures ``written`` (rows of ``record_figures_by_row``) with the value stored before
    each, revised ones first, by the size of the change: what a person checks before importing."""
    if written.empty:
        return []
    before = stored.rename(columns={"value": "before"})[["goal_id", "period_start", "before"]]
    rows = written.merge(before, on=["goal_id", "period_start"], how="left")
    rows["size"] = (rows["value"] - rows["before"]).abs()
    rows = rows.sort_values(["size", "goal_id", "period_start"], ascending=[False, True, True],
                            na_position="last").head(SHOWN_CHANGES)
    return [FigureChange(codes.get(int(r.goal_id), str(r.goal_id)), r.period_start,
                         None if pd.isna(r.before) else float(r.before), float(r.value),
                         bool(r.is_provisional)) for r in rows.itertuples()]
