"""Résumés held in a table (CSV, JSONL or Parquet): one row per résumé, a text column and an
optional id column."""

from __future__ import annotations

from pathlib import Path

from rolefit.errors import IngestError

TABLE_SUFFIXES = {".csv", ".jsonl", ".parquet"}


def read_table(path: Path, text_column: str, id_column: str | None = None
               ) -> list[tuple[str, str]]:
    """(id, text) pairs; a missing id column uses `<file>#<row number>`; empty cells stay
    empty (they become per-row errors, not dropped rows)."""
    import pandas as pd

    try:
        if path.suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        elif path.suffix == ".jsonl":
            frame = pd.read_json(path, lines=True, dtype=False)
        else:
            try:
                frame = pd.read_parquet(path)
            except ImportError:
                raise IngestError("reading Parquet needs pyarrow: pip install 'rolefit[parquet]'",
                                  str(path)) from None
    except (OSError, ValueError) as exc:
        raise IngestError(f"cannot read the table ({exc})", str(path)) from None
    for column in (text_column, id_column):
        if column is not None and column not in frame.columns:
            raise IngestError(f"no column {column!r}; columns are {list(frame.columns)}",
                              str(path))
    texts = frame[text_column].fillna("").astype(str).tolist()
    ids = (frame[id_column].astype(str).tolist() if id_column
           else [f"{path.name}#{i + 1}" for i in range(len(frame))])
    return list(zip(ids, texts, strict=True))
