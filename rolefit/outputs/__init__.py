"""Writers for scored results: CSV (spreadsheet-safe), JSONL, and the terminal table."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from rolefit.scoring import FitResult, result_row

CSV_COLUMNS = ["rank", "id", "status", "best_role", "assistant_fit", "secretary_fit",
               "criteria", "skills", "error", "error_kind", "schema_version"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Neutralise a cell a spreadsheet would run as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def ranked(results: list[FitResult], role: str | None = None) -> list[FitResult]:
    """Best fit first (or by one role's fit); errors last, in input order."""
    def key(r: FitResult) -> float:
        if r.status != "ok":
            return 1.0
        value = r.fits.get(role) if role else max(r.fits.values(), default=0.0)
        return -(value or 0.0)
    return sorted(results, key=key)


def csv_row(result: FitResult, rank: int | None) -> dict:
    row = result_row(result)
    row["rank"] = rank if result.status == "ok" else ""
    row["criteria"] = ";".join(row["criteria"])
    row["skills"] = ";".join(row["skills"])
    return {k: spreadsheet_safe(row.get(k, "")) for k in CSV_COLUMNS}


def write_csv(results: list[FitResult], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for rank, result in enumerate(results, start=1):
            writer.writerow(csv_row(result, rank))


def write_jsonl(results: list[FitResult], path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for rank, result in enumerate(results, start=1):
            row = result_row(result)
            row["rank"] = rank if result.status == "ok" else None
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


WRITERS = {".csv": write_csv, ".jsonl": write_jsonl}
