"""Faults: a document that hangs or crashes its reader, a full disk, and scores that do not depend
on the run (jobs, processes, hash seeds)."""

from __future__ import annotations

import errno
import json
import os
import signal
import time
from pathlib import Path

import pytest

from rolefit import batch, ingest
from rolefit.ingest import Limits
from rolefit.scoring import load
from tests.test_batch import _corpus
from tests.test_cli import run

NO_TIME_LIMIT = Limits(max_seconds=None)


@pytest.fixture(scope="module")
def model():
    return load()


def _misbehaving_text_reader(data: bytes, limits: Limits) -> tuple[str, dict]:
    """A text reader that hangs on "HANG" and whose process dies on "CRASH"."""
    if b"HANG" in data:
        time.sleep(3600)
    if b"CRASH" in data:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel kills a process out of memory
    return data.decode("utf-8"), {}


def _records(model, items, limits, n_process=1, batch_size=2, output=None):
    records, _ = batch.run_batch(model, items, batch.BatchRun(output), batch_size=batch_size,
                                 n_process=n_process, limits=limits)
    return records


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_hanging_or_crashing_document_costs_only_itself(tmp_path: Path, model, monkeypatch,
                                                          jobs: int) -> None:
    paths = _corpus(tmp_path / "in", 5)
    (tmp_path / "in" / "cv_001.txt").write_text("EXPERIENCE\n• HANG while reading this.")
    (tmp_path / "in" / "cv_003.txt").write_text("EXPERIENCE\n• CRASH while reading this.")
    monkeypatch.setitem(ingest._READERS, "text", _misbehaving_text_reader)  # forked workers too
    limits = Limits(max_seconds=3)
    records = _records(model, paths, limits, n_process=jobs)
    assert [r["id"] for r in records] == [str(p) for p in paths]  # one each, in order
    by_id = {r["id"]: r for r in records}
    hung, crashed = by_id[str(paths[1])], by_id[str(paths[3])]
    assert hung["status"] == "error" and hung["error_kind"] == "timeout"
    assert "limit of 3 s" in hung["error"] and str(paths[1]) in hung["error"]
    assert crashed["status"] == "error" and crashed["error_kind"] == "crashed"
    good = [paths[0], paths[2], paths[4]]
    alone = _records(model, good, NO_TIME_LIMIT)  # in-process, no workers
    for record in alone:
        assert by_id[record["id"]] == record  # good documents scored exactly as alone


def test_worker_results_equal_in_process_results(tmp_path: Path, model) -> None:
    paths = _corpus(tmp_path / "in", 11)
    in_process = _records(model, paths, NO_TIME_LIMIT, batch_size=4)
    for jobs in (1, 2):
        assert _records(model, paths, Limits(max_seconds=120), n_process=jobs,
                        batch_size=4) == in_process


def test_full_disk_midway_resumes_with_every_document_once(tmp_path: Path, model,
                                                           monkeypatch) -> None:
    paths = _corpus(tmp_path / "in", 9)
    out = tmp_path / "out.jsonl"
    run_ = batch.BatchRun(out)
    real_fsync, calls = os.fsync, {"n": 0}

    def fsync_until_full(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] > 4:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(batch.os, "fsync", fsync_until_full)
    monkeypatch.setattr(batch, "SYNC_SECONDS", 0)  # sync after every record, as a slow disk would
    with pytest.raises(OSError) as info:
        batch.run_batch(model, paths, run_, batch_size=2, limits=NO_TIME_LIMIT)
    assert info.value.errno == errno.ENOSPC
    assert not out.exists()  # nothing that looks complete
    kept = run_.done_records()
    assert 0 < len(kept) < len(paths)
    monkeypatch.setattr(batch.os, "fsync", real_fsync)
    records, skipped = batch.run_batch(model, paths, run_, resume=True, batch_size=2,
                                       limits=NO_TIME_LIMIT)
    batch.finish(run_, lambda p: p.write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8"))
    assert skipped == len(kept)
    final = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in final) == sorted(str(p) for p in paths)
    assert not run_.partial.exists()


def test_full_disk_from_the_command_line_is_a_clear_error(tmp_path: Path) -> None:
    """A real full file system: /dev/full fails every write with ENOSPC."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    _corpus(tmp_path / "in", 3)
    out = tmp_path / "out.jsonl"
    out.with_name(out.name + ".partial.jsonl").symlink_to("/dev/full")
    result = run("score", str(tmp_path / "in"), "-o", str(out), "--quiet")
    assert result.returncode == 2
    assert "No space left on device" in result.stderr
    assert not out.exists()


def test_same_scores_across_jobs_processes_and_hash_seeds(tmp_path: Path) -> None:
    _corpus(tmp_path / "in", 12)
    outputs = []
    for jobs, seed in (("1", "1"), ("2", "2"), ("1", "3")):
        out = tmp_path / f"out_{jobs}_{seed}.jsonl"
        result = run("score", str(tmp_path / "in"), "-o", str(out), "--quiet", "--jobs", jobs,
                     env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1] == outputs[2]
