"""Resumable batch runs: results are appended to `<output>.partial.jsonl` as they come and the
finished output is written atomically; `resume=True` skips what that file already holds
(matched by path and content hash), so nothing is lost and nothing is duplicated."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
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
        with self.partial.open("rb") as handle:
            for line in handle:  # split at "\n" only: a record may hold U+2028 and the like
                try:
                    records.append(json.loads(line))
                except ValueError:
                    break  # the line being written when the run was killed
        return records


@dataclass(frozen=True, slots=True)
class Summary:
    """What ranking and the run's summary need of a record."""

    status: str
    error_kind: str
    assistant_fit: float | None
    secretary_fit: float | None

    @classmethod
    def of(cls, record: dict) -> Summary:
        return cls(record["status"], record.get("error_kind", ""),
                   record.get("assistant_fit"), record.get("secretary_fit"))

    def get(self, key: str, default=None):
        return getattr(self, key, default)

    def __getitem__(self, key: str):
        return getattr(self, key)


class BatchRecords(Sequence):
    """A run's records in order. With a partial file they stay on disk (each record's offset in
    it, and a `Summary` for ranking), so memory does not grow with the batch; read them before
    `finish` removes the file. Without one they are held in memory."""

    def __init__(self, summaries: list[Summary], path: Path | None = None,
                 offsets: list[int] | None = None, records: list[dict] | None = None) -> None:
        self.summaries = summaries
        self.path = path
        self.offsets = offsets
        self.records = records

    def __len__(self) -> int:
        return len(self.summaries)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.select(range(len(self))[index])
        if self.records is not None:
            return self.records[index]
        with self.path.open("rb") as handle:  # type: ignore[union-attr]
            handle.seek(self.offsets[index])  # type: ignore[index]
            return json.loads(handle.readline())

    def __iter__(self) -> Iterator[dict]:
        if self.records is not None:
            yield from self.records
            return
        with self.path.open("rb") as handle:  # type: ignore[union-attr]
            for offset in self.offsets:  # type: ignore[union-attr]
                handle.seek(offset)
                yield json.loads(handle.readline())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, BatchRecords | list):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def select(self, order: Iterable[int]) -> BatchRecords:
        """These records, in the order (and only those) of `order`'s indices."""
        order = list(order)
        return BatchRecords(
            [self.summaries[i] for i in order], self.path,
            None if self.offsets is None else [self.offsets[i] for i in order],
            None if self.records is None else [self.records[i] for i in order])


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
    return hashlib.sha256(item[1].encode("utf-8")).hexdigest()


def run_batch(model: RoleFitModel, items: list[Item], run: BatchRun, resume: bool = False,
              batch_size: int = 8, n_process: int = 1,
              on_result: Callable[[dict], None] | None = None,
              limits: Limits | None = None,
              scheduler: str | None = None) -> tuple[BatchRecords, int]:
    """Score files or (id, text) rows, appending each record to the partial file; returns
    (records, skipped).

    Records come back in input order (a `BatchRecords`: read from the partial file, not held
    in memory, when the run has one); with `resume`, records of the partial file whose id and
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
    position = {key[0]: i for i, key in enumerate(keys)}
    summaries: list[Summary | None] = [None] * len(items)
    offsets: list[int] = [0] * len(items)
    in_memory: list[dict] | None = None
    handle = None
    written = 0
    if run.partial is not None:
        run.partial.parent.mkdir(parents=True, exist_ok=True)
        if previous:  # the records kept, rewritten atomically: a crash here loses none
            tmp = run.partial.with_name(run.partial.name + ".tmp")
            with tmp.open("wb") as rewrite:
                for key in keys:
                    if key in previous:
                        i = position[key[0]]
                        summaries[i], offsets[i] = Summary.of(previous[key]), written
                        written += rewrite.write(_line(previous[key]))
            os.replace(tmp, run.partial)
        handle = run.partial.open("ab" if previous else "wb")
    else:
        in_memory = [previous.get(key) for key in keys]  # type: ignore[misc]
        for i, record in enumerate(in_memory):
            if record is not None:
                summaries[i] = Summary.of(record)
    previous.clear()
    synced = time.monotonic()
    try:
        for result in _scored(model, todo, batch_size, n_process, limits, scheduler):
            record = record_of(result, hashes.get(result.id, ""))
            i = position[record["id"]]
            summaries[i] = Summary.of(record)
            if handle is not None:
                offsets[i] = written
                written += handle.write(_line(record))
                handle.flush()  # a killed run loses nothing written so far
                if time.monotonic() - synced >= SYNC_SECONDS:  # a crashed machine: <= 1 s
                    os.fsync(handle.fileno())
                    synced = time.monotonic()
            else:
                in_memory[i] = record  # type: ignore[index]
            if on_result:
                on_result(record)
    finally:
        if handle is not None:
            try:
                handle.flush()
                os.fsync(handle.fileno())
            finally:
                handle.close()
    if any(s is None for s in summaries):
        raise RuntimeError("a batch item got no record")  # a bug: every item gets one
    if handle is None:
        return BatchRecords(summaries, records=in_memory), skipped  # type: ignore[arg-type]
    return BatchRecords(summaries, run.partial, offsets), skipped  # type: ignore[arg-type]


def _line(record: dict) -> bytes:
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


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


def finish(run: BatchRun, write: Callable[[Path], None]) -> None:
    """Write the finished output atomically, then drop the partial file."""
    assert run.output is not None and run.partial is not None
    tmp = run.output.with_name(run.output.name + ".tmp")
    write(tmp)
    os.replace(tmp, run.output)
    run.partial.unlink(missing_ok=True)
