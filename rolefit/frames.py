"""pandas views of scoring results for analysts: one row per evidence item, and a candidates ×
criteria coverage matrix. Inputs are `FitResult`s, result records (`to_dict()`, JSONL lines) or
the DataFrame that `RoleFitModel.score_many` returns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict

import pandas as pd

from rolefit.scoring import FitResult, results_frame

EVIDENCE_COLUMNS = ["id", "role", "criterion", "kind", "text", "start", "end", "section",
                    "source", "score", "sentence"]


def as_records(results) -> list[dict]:
    """Results as plain records with at least `id` and `evidence` (a list of dicts)."""
    if isinstance(results, pd.DataFrame):
        results = results.to_dict("records")
    elif isinstance(results, FitResult | dict):
        results = [results]
    records = []
    for result in results:
        if isinstance(result, FitResult):
            record = {"id": result.id, "status": result.status,
                      "evidence": [asdict(e) for e in result.evidence]}
        elif isinstance(result, dict):
            evidence = result.get("evidence")
            record = {**result, "evidence": [] if evidence is None else list(evidence)}
        else:
            raise TypeError(f"expected FitResults, result records or a DataFrame, "
                            f"got {type(result).__name__}")
        records.append(record)
    return records


def scores_frame(results) -> pd.DataFrame:
    """The `score_many` DataFrame for results; a DataFrame is returned as it is."""
    if isinstance(results, pd.DataFrame):
        return results
    items = [results] if isinstance(results, FitResult) else list(results)
    return results_frame(items)


def evidence_frame(results) -> pd.DataFrame:
    """One row per evidence item, columns `EVIDENCE_COLUMNS`, in result order.

    `start`/`end` index the résumé's normalised text; `source` names the rule or model that
    found the item and `score` its confidence. Records from `score_many` or JSONL files carry
    no `kind`, `section`, `score` or `sentence`: those cells are missing (NA)."""
    rows = []
    for record in as_records(results):
        for item in record["evidence"]:
            rows.append({**{k: item.get(k) for k in EVIDENCE_COLUMNS}, "id": record["id"]})
    frame = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    return frame.astype({"start": "int64", "end": "int64", "score": "float64"})


def coverage_frame(results, criteria: Iterable[str] | None = None) -> pd.DataFrame:
    """Candidates × criteria: how many evidence items each scored résumé has per criterion.

    Rows are the results with status ok, indexed by id, in order; columns are `criteria`
    (default: the ids of the shipped criteria file, in file order: A1–A12, S1–S10, D1–D3).
    `coverage_frame(r) > 0` is the evidenced/not matrix."""
    if criteria is None:
        from rolefit.criteria import load_criteria

        criteria = load_criteria().ids
    columns = list(criteria)
    ids, rows = [], []
    for record in as_records(results):
        if record.get("status", "ok") != "ok":
            continue
        counts = dict.fromkeys(columns, 0)
        for item in record["evidence"]:
            if item["criterion"] in counts:
                counts[item["criterion"]] += 1
        ids.append(record["id"])
        rows.append([counts[c] for c in columns])
    index = pd.Index(ids, name="id", dtype=object)
    frame = pd.DataFrame(rows, index=index, columns=pd.Index(columns, name="criterion"),
                         dtype="int64")
    return frame


__all__ = ["EVIDENCE_COLUMNS", "as_records", "coverage_frame", "evidence_frame", "scores_frame"]
