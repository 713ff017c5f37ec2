"""Bias audit of scored output joined with demographic columns (the model never sees them).

Per role and per category (and the intersection of all the grouping columns):

* scoring rate: the share of the category scoring above the median fit of the whole set (the
  NYC DCWP rule for tools that output a score);
* selection rate: the share selected at a fit threshold or in the top-N shortlist, if asked;
* impact ratio: a category's rate divided by the highest rate among the included categories of
  the same grouping; ratios under 0.8 are flagged (four-fifths rule).

Categories under `min_share` of the scored rows (2% by default) are reported but excluded from
the impact ratios; rows without a demographic value are counted in a "(missing: ...)" row.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

FOUR_FIFTHS = 0.8
MISSING = "(missing: {})"
FIT_SUFFIX = "_fit"


@dataclass(frozen=True)
class AuditRow:
    """One role and one category of one grouping."""

    role: str
    grouping: str  # "sex" or, intersectional, "sex, race"
    category: str  # "sex=F" or "sex=F, race=Black"
    status: str  # "included", "excluded" (under the minimum share) or "missing"
    count: int
    share: float  # of the scored rows
    median: float  # the role's median fit over all scored rows
    above_median: int
    scoring_rate: float
    impact_ratio: float | None
    flag: bool  # impact_ratio under 0.8
    selected: int | None = None
    selection_rate: float | None = None
    selection_impact_ratio: float | None = None
    selection_flag: bool = False


@dataclass
class AuditReport:
    rows: list[AuditRow]
    scored: int  # rows with a fit
    not_scored: int  # error rows and rows without a fit, left out
    medians: dict[str, float]
    groups: list[str]
    threshold: float | None = None
    top: int | None = None
    min_share: float = 0.02
    notes: list[str] = field(default_factory=list)

    def records(self) -> list[dict]:
        return [asdict(row) for row in self.rows]


def read_scores(path: str | Path) -> pd.DataFrame:
    """A scored table: .csv, .jsonl (or .json lines) or .parquet."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return pd.read_json(path, lines=suffix != ".json", dtype=False)
    if suffix == ".parquet":
        try:
            return pd.read_parquet(path)
        except ImportError:
            raise ValueError('reading Parquet needs pyarrow: pip install "rolefit[parquet]"'
                             ) from None
    raise ValueError(f"cannot read {path.name}: use a .csv, .jsonl or .parquet file")


def role_columns(frame: pd.DataFrame) -> list[str]:
    """Roles whose fits the table holds (columns named `<role>_fit`)."""
    return [c[:-len(FIT_SUFFIX)] for c in frame.columns
            if str(c).endswith(FIT_SUFFIX) and c != FIT_SUFFIX]


def audit(frame: pd.DataFrame, groups: list[str], roles: list[str] | None = None,
          threshold: float | None = None, top: int | None = None,
          min_share: float = 0.02) -> AuditReport:
    """Audit the fits of `frame` by the demographic columns `groups`."""
    _check(frame, groups, threshold, top, min_share)
    roles = roles or role_columns(frame)
    unknown = [r for r in roles if f"{r}{FIT_SUFFIX}" not in frame.columns]
    if not roles or unknown:
        raise ValueError(f"no fit column for role(s) {unknown or 'any'}: expected columns named "
                         f"<role>{FIT_SUFFIX}, found {list(frame.columns)}")
    ok = frame["status"].astype(str).eq("ok") if "status" in frame.columns else \
        pd.Series(True, index=frame.index)
    fits = {r: pd.to_numeric(frame[f"{r}{FIT_SUFFIX}"], errors="coerce") for r in roles}
    scored = ok & pd.concat(fits.values(), axis=1).notna().all(axis=1)
    data = frame[scored].reset_index(drop=True)
    fits = {r: f[scored].reset_index(drop=True).astype(float) for r, f in fits.items()}
    if data.empty:
        raise ValueError("no scored rows to audit")
    values = {g: _values(data[g]) for g in groups}
    groupings = [[g] for g in groups] + ([list(groups)] if len(groups) > 1 else [])
    report = AuditReport([], len(data), len(frame) - len(data), {}, list(groups), threshold, top,
                         min_share)
    for role in roles:
        fit = fits[role]
        median = float(fit.median())
        report.medians[role] = median
        selected = _selected(fit, threshold, top)
        for grouping in groupings:
            report.rows += _grouping_rows(role, grouping, values, (fit > median).tolist(),
                                          selected, median, min_share)
    if top is not None:
        report.notes.append(f"top {top}: ties at the cut are broken by input order")
    return report


def _check(frame: pd.DataFrame, groups: list[str], threshold, top, min_share) -> None:
    if not groups:
        raise ValueError("name at least one demographic column with --group")
    missing = [g for g in groups if g not in frame.columns]
    if missing:
        raise ValueError(f"no column {', '.join(map(repr, missing))} in the scores; columns: "
                         f"{', '.join(map(str, frame.columns))}")
    if len(set(groups)) != len(groups):
        raise ValueError("a --group column is named twice")
    if threshold is not None and top is not None:
        raise ValueError("give a threshold or a shortlist size (top N), not both")
    if top is not None and top < 1:
        raise ValueError("the shortlist size must be at least 1")
    if not 0 <= min_share < 1:
        raise ValueError("the minimum share must be between 0 and 1")


def _values(column: pd.Series) -> list[str | None]:
    """Category values as text; empty cells and nulls become None."""
    out: list[str | None] = []
    for value in column.tolist():
        missing = value is None or value is pd.NA or \
            (isinstance(value, float) and math.isnan(value))
        text = "" if missing else str(value).strip()
        out.append(text or None)
    return out


def _selected(fit: pd.Series, threshold: float | None, top: int | None) -> list[bool] | None:
    if threshold is not None:
        return (fit >= threshold).tolist()
    if top is not None:
        chosen = set(fit.sort_values(ascending=False, kind="mergesort").index[:top])
        return [i in chosen for i in fit.index]
    return None


def _grouping_rows(role: str, grouping: list[str], values: dict[str, list[str | None]],
                   above: list[bool], selected: list[bool] | None, median: float,
                   min_share: float) -> list[AuditRow]:
    total = len(above)
    keys = list(zip(*(values[g] for g in grouping), strict=True))
    members: dict[tuple, list[int]] = {}
    unknown: list[int] = []
    for i, key in enumerate(keys):
        if any(v is None for v in key):
            unknown.append(i)
        else:
            members.setdefault(key, []).append(i)
    stats = [(key, len(rows), sum(above[i] for i in rows),
              sum(selected[i] for i in rows) if selected is not None else None)
             for key, rows in sorted(members.items())]
    included = [s for s in stats if s[1] / total >= min_share]
    best_scoring = max((s[2] / s[1] for s in included), default=0.0)
    best_selection = max((s[3] / s[1] for s in included), default=0.0) \
        if selected is not None else 0.0
    name = ", ".join(grouping)
    rows = []
    for key, count, n_above, chosen in stats:
        category = ", ".join(f"{g}={v}" for g, v in zip(grouping, key, strict=True))
        status = "included" if count / total >= min_share else "excluded"
        ratio = _ratio(n_above / count, best_scoring) if status == "included" else None
        selection_rate = chosen / count if chosen is not None else None
        selection_ratio = (_ratio(selection_rate, best_selection)
                           if status == "included" and selection_rate is not None else None)
        rows.append(AuditRow(
            role, name, category, status, count, count / total, median, n_above,
            n_above / count, ratio, ratio is not None and ratio < FOUR_FIFTHS, chosen,
            selection_rate, selection_ratio,
            selection_ratio is not None and selection_ratio < FOUR_FIFTHS))
    if unknown:
        n_above = sum(above[i] for i in unknown)
        chosen = sum(selected[i] for i in unknown) if selected is not None else None
        rows.append(AuditRow(
            role, name, MISSING.format(name), "missing", len(unknown), len(unknown) / total,
            median, n_above, n_above / len(unknown), None, False, chosen,
            chosen / len(unknown) if chosen is not None else None, None, False))
    return rows


def _ratio(rate: float, best: float) -> float | None:
    return rate / best if best > 0 else None


def write(report: AuditReport, path: str | Path) -> None:
    """One row per role and category: .csv or .json (a list of objects)."""
    path = Path(path)
    records = report.records()
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    elif path.suffix.lower() == ".csv":
        pd.DataFrame(records, columns=list(AuditRow.__dataclass_fields__)).to_csv(path,
                                                                                  index=False)
    else:
        raise ValueError(f"cannot write {path.suffix or 'files without an extension'}: "
                         "use .csv or .json")
