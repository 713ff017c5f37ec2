"""Writers for scored records (dicts of `rolefit.batch.record_of`): CSV (spreadsheet-safe),
JSONL and a self-contained HTML shortlist."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from rolefit.outputs.html import write_html

CSV_COLUMNS = ["rank", "id", "status", "best_role", "assistant_fit", "secretary_fit",
               "evidence", "criteria", "skills", "error", "error_kind", "sha256",
               "schema_version"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Neutralise a cell a spreadsheet would run as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def rank_order(records: Sequence, role: str | None = None) -> list[int]:
    """Indices of records (or of their `rolefit.batch.Summary`s), best fit first (or by one
    role's fit); errors last, in input order."""
    def key(i: int) -> float:
        record = records[i]
        if record["status"] != "ok":
            return 1.0
        if role:
            return -(record.get(f"{role}_fit") or 0.0)
        return -max(record.get("assistant_fit") or 0.0, record.get("secretary_fit") or 0.0)
    return sorted(range(len(records)), key=key)


def rank_records(records: list[dict], role: str | None = None) -> list[dict]:
    """Best fit first (or by one role's fit); errors last, in input order."""
    return [records[i] for i in rank_order(records, role)]


def _ranked(records: Iterable[dict]) -> Iterator[dict]:
    """Each record with its rank, one at a time (a batch's records may be read from disk)."""
    rank = 0
    for record in records:
        if record["status"] == "ok":
            rank += 1
        yield {**record, "rank": rank if record["status"] == "ok" else None}


def write_csv(records: Iterable[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for record in _ranked(records):
            evidence_ids = dict.fromkeys(e["criterion"] for e in record["evidence"])
            row = {**record, "criteria": ";".join(record["criteria"]),
                   "evidence": ";".join(evidence_ids),
                   "skills": ";".join(record["skills"]),
                   "rank": "" if record["rank"] is None else record["rank"]}
            writer.writerow({k: spreadsheet_safe(row.get(k, "")) for k in CSV_COLUMNS})


def write_jsonl(records: Iterable[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in _ranked(records):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_parquet(records: Iterable[dict], path: Path) -> None:
    """One row per record; evidence as a JSON string column, lists as lists."""
    import pandas as pd

    rows = [{**r, "evidence": json.dumps(r["evidence"], ensure_ascii=False)}
            for r in _ranked(records)]
    try:
        pd.DataFrame(rows).to_parquet(path, index=False)
    except ImportError:
        raise OSError(0, "writing Parquet needs pyarrow: pip install 'rolefit[parquet]'") from None


WRITERS = {".csv": write_csv, ".jsonl": write_jsonl, ".html": write_html,
           ".parquet": write_parquet}
