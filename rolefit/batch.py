"""Resumable batch runs: results are appended to `<output>.partial.jsonl` as they come and the
finished output is written atomically; `resume=True` skips what that file already holds
(matched by path and content hash), so nothing is lost and nothing is duplicated."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rolefit.ingest import Limits
from rolefit.scoring import FitResult, RoleFitModel, result_row


@dataclass
class BatchRun:
    """Where a batch writes while it runs and when it is done."""

    output: Path | None

    @property
    def partial(self) -> Path | None:
        return None if self.output is None else self.output.with_name(
            self.output.name + ".partial.jsonl")

    def done_records(self) -> list[dict]:
        """Records a previous, interrupted run completed (a torn last line is ignored)."""
        if self.partial is None or not self.partial.exists():
            return []
        records = []
        for line in self.partial.read_text(encoding="utf-8").splitlines():
            try:
                records.append(json.loads(line))
            except ValueError:
                break  # the line being written when the run was killed
        return records


def file_sha256(path: Path) -> str:
    """The content hash of a regular file ("" for anything else: a pipe would never end)."""
    digest = hashlib.sha256()
    if not path.is_file():
        return ""
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


Item = Path | tuple[str, str]
SYNC_SECONDS = 1.0  # the partial file reaches the disk at least this often


def item_id(item: Item) -> str:
    return str(item) if isinstance(item, Path) else item[0]


def item_sha256(item: Item) -> str:
    if isinstance(item, Path):
        return file_sha256(item)
    return hashlib.sha256(item[1].encode("utf-8", "surrogatepass")).hexdigest()


def run_batch(model: RoleFitModel, items: list[Item], run: BatchRun, resume: bool = False,
              batch_size: int = 8, n_process: int = 1,
              on_result: Callable[[dict], None] | None = None,
              limits: Limits | None = None,
              scheduler: str | None = None) -> tuple[list[dict], int]:
    """Score files or (id, text) rows, appending each record to the partial file; returns
    (records, skipped).

    Records come back in input order; with `resume`, records of the partial file whose id and
    content hash still match are reused instead of scored again. `limits` bounds each document
    (`Limits.max_seconds` by running the scoring in worker processes that can be stopped). With
    `scheduler` (a Dask scheduler address) the scoring runs on that cluster (`rolefit.dask`)."""
    limits = limits or Limits()
    previous = {(r["id"], r.get("sha256", "")): r for r in run.done_records()} if resume else {}
    keys = [(item_id(item), item_sha256(item)) for item in items]
    ids = [key[0] for key in keys]
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        raise ValueError(f"the id {duplicate!r} appears more than once; ids must be unique")
    hashes = dict(keys)
    todo = [item for item, key in zip(items, keys, strict=True) if key not in previous]
    skipped = len(items) - len(todo)
    handle = None
    if run.partial is not None:
        run.partial.parent.mkdir(parents=True, exist_ok=True)
        if resume and previous:
            _rewrite(run.partial, [previous[key] for key in keys if key in previous])
            handle = run.partial.open("a", encoding="utf-8")
        else:
            handle = run.partial.open("w", encoding="utf-8")
    fresh: dict[str, dict] = {}
    synced = time.monotonic()
    try:
        for result in _scored(model, todo, batch_size, n_process, limits, scheduler):
            record = record_of(result, hashes.get(result.id, ""))
            fresh[record["id"]] = record
            if handle is not None:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                handle.flush()  # a killed run loses nothing written so far
                if time.monotonic() - synced >= SYNC_SECONDS:  # a crashed machine: <= 1 s
                    os.fsync(handle.fileno())
                    synced = time.monotonic()
            if on_result:
                on_result(record)
    finally:
        if handle is not None:
            try:
                handle.flush()
                os.fsync(handle.fileno())
            finally:
                handle.close()
    records = [fresh.get(key[0]) or previous[key] for key in keys]
    return records, skipped


def _scored(model: RoleFitModel, items: list[Item], batch_size: int, n_process: int,
            limits: Limits, scheduler: str | None = None) -> Iterator[FitResult]:
    """Results in input order. With `scheduler`, chunks go to a Dask cluster; with a time limit
    or `n_process` > 1, to worker processes that can be stopped (`rolefit.workers`); else they
    are scored here."""
    if scheduler:
        from rolefit.dask import scored_on_cluster

        yield from scored_on_cluster(model, items, scheduler, batch_size)
        return
    if not items:
        return
    if limits.max_seconds is None and n_process <= 1:
        yield from model.iter_scores(items, batch_size=batch_size, limits=limits)
        return
    from rolefit.workers import supervised_scores

    yield from supervised_scores(model, items, [item_id(item) for item in items], batch_size,
                                 n_process, limits)


def record_of(result: FitResult, sha256: str) -> dict:
    """A result as a JSON-able record, with the input's content hash for resuming."""
    row = result_row(result)
    row["sha256"] = sha256 or result.sha256
    return row


def _rewrite(path: Path, records: list[dict]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def finish(run: BatchRun, write: Callable[[Path], None]) -> None:
    """Write the finished output atomically, then drop the partial file."""
    assert run.output is not None and run.partial is not None
    tmp = run.output.with_name(run.output.name + ".tmp")
    write(tmp)
    os.replace(tmp, run.output)
    run.partial.unlink(missing_ok=True)
