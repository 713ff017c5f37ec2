"""Scoring in worker processes that can be stopped.

Chunks of documents go to worker processes. A chunk gets `Limits.max_seconds` in all: within it,
each of its documents surely took less. When a chunk runs over, or its worker dies (a crash in a
native reader, memory), the worker is killed and replaced and the chunk's documents are retried
one by one, each with the whole limit: the one that still fails gets its own error record
(`timeout` or `crashed`) and the batch goes on. So a document's outcome depends on its own time
only, and results, in input order, equal in-process scoring (each chunk is scored by the same
call)."""

from __future__ import annotations

import gc
import math
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from rolefit.errors import DocumentTimeout, ModelError, RolefitError, WorkerCrashed
from rolefit.ingest import Limits
from rolefit.scoring import FitResult, RoleFitModel

_POLL_SECONDS = 1.0  # how often an idle worker checks that its parent is alive
_MODEL: RoleFitModel | None = None  # the parent's model, inherited by forked workers


@dataclass
class _Task:
    chunk: int  # index of the chunk in the input
    offset: int  # position of the first item inside the chunk
    items: list
    ids: list[str]


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    ready: bool = False
    task: _Task | None = None
    deadline: float = math.inf


def supervised_scores(model: RoleFitModel, items: Sequence, ids: Sequence[str], batch_size: int,
                      n_workers: int, limits: Limits) -> Iterator[FitResult]:
    """Score `items` (files or (id, text) pairs) in `n_workers` killable processes; one result
    per item, in order."""
    global _MODEL
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    _MODEL = model if context.get_start_method() == "fork" else None
    folder = str(model.folder) if model.folder else None
    chunks = [list(range(i, min(i + batch_size, len(items))))
              for i in range(0, len(items), batch_size)]
    queue = deque(_Task(c, 0, [items[i] for i in idx], [ids[i] for i in idx])
                  for c, idx in enumerate(chunks))
    slots: dict[int, list[FitResult | None]] = {c: [None] * len(idx)
                                                for c, idx in enumerate(chunks)}
    frozen = _MODEL is not None
    if frozen:
        # the model's objects move out of the collector's reach: a forked worker's collections
        # then leave their pages shared with the parent instead of copying them (at 2,700
        # résumés, 262 MB instead of 338 MB for the process tree)
        gc.freeze()
    workers: list[_Worker] = []
    following = 0
    try:
        workers += [_start(context, folder, limits)
                    for _ in range(max(1, min(n_workers, len(chunks))))]
        while following < len(chunks):
            for worker in workers:
                if worker.ready and worker.task is None and queue:
                    _assign(worker, queue.popleft(), limits)
            _wait(workers)
            for i, worker in enumerate(workers):
                failure = _collect(worker, slots, limits)
                if failure is not None:
                    task, error = failure
                    _stop(worker)
                    workers[i] = _start(context, folder, limits)
                    _retry_or_record(task, error, queue, slots)
            while following < len(chunks) and all(r is not None for r in slots[following]):
                yield from slots.pop(following)  # type: ignore[misc]
                following += 1
    finally:
        for worker in workers:
            _stop(worker)
        if frozen:
            gc.unfreeze()


def _start(context, folder: str | None, limits: Limits) -> _Worker:
    parent_end, child_end = context.Pipe()
    inherited = parent_end if context.get_start_method() == "fork" else None
    process = context.Process(target=_worker_main, daemon=True,
                              args=(child_end, inherited, folder, limits, os.getpid()))
    process.start()
    child_end.close()
    return _Worker(process, parent_end)


def _assign(worker: _Worker, task: _Task, limits: Limits) -> None:
    worker.task = task
    budget = limits.max_seconds or math.inf
    worker.deadline = time.monotonic() + budget
    worker.conn.send((task.items, limits))


def _wait(workers: list[_Worker]) -> None:
    deadline = min(w.deadline for w in workers)
    timeout = None if deadline == math.inf else max(0.0, deadline - time.monotonic())
    waitables = [w.conn for w in workers] + [w.process.sentinel for w in workers]
    wait(waitables, timeout)


def _collect(worker: _Worker, slots: dict, limits: Limits
             ) -> tuple[_Task, RolefitError] | None:
    """Take a finished task's results; return (task, error) when the worker must be replaced."""
    task = worker.task
    try:
        if worker.conn.poll():
            kind, payload = worker.conn.recv()
            if kind == "ready":
                worker.ready = True
                return None
            assert task is not None
            worker.task, worker.deadline = None, math.inf
            if kind == "results":
                for k, result in enumerate(payload):
                    slots[task.chunk][task.offset + k] = result
                return None
            return task, WorkerCrashed(f"reading the document failed unexpectedly ({payload})")
    except (EOFError, OSError):
        pass
    if not worker.process.is_alive():
        code = worker.process.exitcode
        if not worker.ready:
            raise ModelError(f"a scoring worker process could not start (exit code {code})")
        return (task or _Task(-1, 0, [], []), WorkerCrashed(
            f"the worker reading the document died (exit code {code}); a crash in a reader "
            "library or too little memory"))
    if task is not None and time.monotonic() > worker.deadline:
        return task, DocumentTimeout(
            f"reading and scoring took longer than the limit of {limits.max_seconds:g} s per "
            "document; skipped")
    return None


def _retry_or_record(task: _Task, error: RolefitError, queue: deque, slots: dict) -> None:
    """A failed chunk is retried document by document; a single document gets the error."""
    if task.chunk < 0 or not task.items:
        return
    if len(task.items) > 1:
        singles = [_Task(task.chunk, task.offset + k, [item], [task.ids[k]])
                   for k, item in enumerate(task.items)]
        queue.extendleft(reversed(singles))
        return
    identifier = task.ids[0]
    slots[task.chunk][task.offset] = FitResult(
        id=identifier, status="error", error=f"{identifier}: {error}", error_kind=error.kind)


def _stop(worker: _Worker) -> None:
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join(timeout=10)
    worker.conn.close()


def _worker_main(conn: Connection, parent_end: Connection | None, folder: str | None,
                 limits: Limits, parent_pid: int) -> None:
    """Score chunks until told to stop or the parent is gone; Ctrl-C is the parent's to
    handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent_end is not None:
        parent_end.close()
    model = _MODEL
    if model is None:
        from rolefit.scoring import load

        model = load(folder)
    conn.send(("ready", None))
    while True:
        if not conn.poll(_POLL_SECONDS):
            if os.getppid() != parent_pid:
                return
            continue
        try:
            items, task_limits = conn.recv()
        except EOFError:
            return
        try:
            results = list(model.iter_scores(items, batch_size=len(items), limits=task_limits))
        except Exception as exc:  # a bug or a library failing on hostile input: isolate it
            conn.send(("failed", f"{type(exc).__name__}: {exc}"))
            continue
        conn.send(("results", results))

