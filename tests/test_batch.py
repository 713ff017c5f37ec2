"""Batch runs survive being killed, and the HTML shortlist escapes résumé text."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_cli import ROOT, run

DUTIES = ["Took minutes at board meetings.", "Kept the CEO's diary.", "Filed invoices.",
          "Answered phones and logged messages.", "Drafted speeches for the chairman.",
          "Processed staff expense claims.", "Stacked shelves in the warehouse."]


def _corpus(folder: Path, n: int, repeat: int = 1) -> list[Path]:
    folder.mkdir()
    paths = []
    for i in range(n):
        lines = [DUTIES[(i + k) % len(DUTIES)] for k in range(1 + i % 4)] * repeat
        path = folder / f"cv_{i:03d}.txt"
        path.write_text(f"Candidate {i}\nEXPERIENCE\n" + "\n".join(f"• {x}" for x in lines))
        paths.append(path)
    return paths


def _default_ctrl_c() -> None:
    # a shell starts background jobs with Ctrl-C ignored, and Python keeps an inherited "ignore":
    # give the batch the disposition an interactive user's process has
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "rolefit", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_default_ctrl_c)


def _wait_for_lines(path: Path, n: int, process: subprocess.Popen, timeout: float = 120) -> int:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if path.exists():
            count = path.read_text(encoding="utf-8").count("\n")
            if count >= n:
                return count
        if process.poll() is not None:
            pytest.fail("the batch finished before it could be interrupted")
        time.sleep(0.005)
    pytest.fail("no partial output appeared")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_interrupted_batch_resumes_with_every_document_once(tmp_path: Path, sig) -> None:
    # enough documents that the signal lands mid-run even on a loaded machine, where workers
    # score ahead of the writer
    paths = _corpus(tmp_path / "in", 300, repeat=8)
    out = tmp_path / "out.jsonl"
    partial = tmp_path / "out.jsonl.partial.jsonl"
    process = _start("score", str(tmp_path / "in"), "-o", str(out), "--quiet")
    _wait_for_lines(partial, 8, process)
    process.send_signal(sig)
    process.wait(timeout=60)
    assert process.returncode != 0
    assert not out.exists()  # a partial run is never mistaken for a complete one
    done = partial.read_text(encoding="utf-8").count("\n")
    assert 0 < done < len(paths)
    resumed = run("score", str(tmp_path / "in"), "-o", str(out), "--quiet", "--resume")
    assert resumed.returncode == 0, resumed.stderr
    records = [json.loads(x) for x in out.read_text().splitlines()]
    assert sorted(r["id"] for r in records) == sorted(str(p) for p in paths)
    assert f"resumed: {done} already scored" in resumed.stderr
    assert not partial.exists()
    fresh = tmp_path / "fresh.jsonl"
    assert run("score", str(tmp_path / "in"), "-o", str(fresh), "--quiet").returncode == 0
    by_id = {r["id"]: r for r in map(json.loads, fresh.read_text().splitlines())}
    for record in records:  # resumed scores equal an uninterrupted run's
        assert record["assistant_fit"] == by_id[record["id"]]["assistant_fit"]
        assert record["secretary_fit"] == by_id[record["id"]]["secretary_fit"]


def test_resume_rescores_a_file_whose_content_changed(tmp_path: Path) -> None:
    paths = _corpus(tmp_path / "in", 3)
    out = tmp_path / "out.jsonl"
    partial = tmp_path / "out.jsonl.partial.jsonl"
    from rolefit.batch import file_sha256

    stale = {"id": str(paths[0]), "sha256": file_sha256(paths[0]), "status": "ok",
             "error": "", "error_kind": "", "assistant_fit": 1.0, "secretary_fit": 1.0,
             "best_role": "neither", "criteria": [], "evidence": [], "skills": [],
             "schema_version": "1.0"}
    changed = dict(stale, id=str(paths[1]), sha256="0" * 64)
    partial.write_text(json.dumps(stale) + "\n" + json.dumps(changed) + "\n{torn line")
    result = run("score", str(tmp_path / "in"), "-o", str(out), "--quiet", "--resume")
    assert result.returncode == 0, result.stderr
    assert "resumed: 1 already scored" in result.stderr
    records = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert len(records) == 3
    assert records[str(paths[0])]["assistant_fit"] == 1.0  # reused
    assert records[str(paths[1])]["criteria"]  # scored again: its content changed


def test_html_shortlist_is_self_contained_and_escapes_text(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "evil.txt").write_text(
        "EXPERIENCE\n• Took minutes at board meetings <script>alert('x')</script>.\n"
        "• Drafted speeches for the CEO & <b>board</b>.")
    (folder / "<img src=x onerror=alert(1)>.txt").write_text("• Filed invoices.")
    (folder / "bad.pdf").write_bytes(b"%PDF-1.4 <script>junk</script>")
    out = tmp_path / "shortlist.html"
    result = run("score", str(folder), "-o", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<mark class=\"secretary\">" in page and "<sup>S3</sup>" in page
    assert "http://" not in page and "https://" not in page  # no network resources


def test_table_inputs_with_text_and_id_columns(tmp_path: Path) -> None:
    import pandas as pd

    table = tmp_path / "candidates.csv"
    pd.DataFrame({
        "candidate": ["c-1", "c-2", "c-3"],
        # three secretary criteria are a weak fit (the brief): a fuller profile fits
        "cv": ["EXPERIENCE\n• Drafted the CEO's speeches and took board minutes.\n• Prepared "
               "options papers before the CEO decided.\n• Managed the CEO's diary and followed "
               "up board actions.",
               "EXPERIENCE\n• Filed invoices, answered phones and sorted the post.", ""],
    }).to_csv(table, index=False)
    out = tmp_path / "out.parquet"
    result = run("score", str(table), "--text-column", "cv", "--id-column", "candidate",
                 "-o", str(out), "--quiet", "--no-sort")
    assert result.returncode == 0, result.stderr
    frame = pd.read_parquet(out)
    assert list(frame["id"]) == ["c-1", "c-2", "c-3"]
    assert list(frame["status"]) == ["ok", "ok", "error"]
    assert frame.loc[2, "error_kind"] == "empty"
    assert frame.loc[0, "best_role"] == "secretary"
    assert json.loads(frame.loc[0, "evidence"])[0]["criterion"]

    jsonl = tmp_path / "rows.jsonl"
    jsonl.write_text(json.dumps({"text": "• Kept the MD's diary and the company chop."}) + "\n")
    out2 = tmp_path / "out.jsonl"
    result = run("score", str(jsonl), "--text-column", "text", "-o", str(out2), "--quiet")
    assert result.returncode == 0, result.stderr
    record = json.loads(out2.read_text())
    assert record["id"] == "rows.jsonl#1" and "S1" in record["criteria"]


def test_table_errors_are_clear(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("id,text\na,• Filed invoices.\na,• Kept the diary.\n")
    missing = run("score", str(table), "--text-column", "cv", "--quiet")
    assert missing.returncode == 2 and "no column 'cv'" in missing.stderr
    duplicate = run("score", str(table), "--text-column", "text", "--id-column", "id",
                    "--quiet")
    assert duplicate.returncode == 2 and "more than once" in duplicate.stderr


def test_jobs_give_the_same_records_in_the_same_order(tmp_path: Path) -> None:
    _corpus(tmp_path / "in", 30)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert run("score", str(tmp_path / "in"), "-o", str(one), "--quiet").returncode == 0
    result = run("score", str(tmp_path / "in"), "-o", str(two), "--quiet", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert one.read_text() == two.read_text()


def test_report_turns_results_into_html(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("EXPERIENCE\n• Took minutes at <b>board</b> meetings.")
    results = tmp_path / "r.jsonl"
    assert run("score", str(folder), "-o", str(results), "--quiet").returncode == 0
    page = tmp_path / "p.html"
    result = run("report", str(results), "-o", str(page))
    assert result.returncode == 0, result.stderr
    html = page.read_text()
    assert "&lt;b&gt;board&lt;/b&gt;" in html and "<sup>S3</sup>" in html


def test_batch_records_stay_on_disk_and_read_back_as_scored(tmp_path: Path) -> None:
    """With a partial file, a run keeps offsets and summaries, not records: memory does not
    grow with the batch, and what it reads back equals an in-memory run."""
    from rolefit import batch
    from rolefit.ingest import Limits
    from rolefit.outputs import rank_order
    from rolefit.scoring import load

    model = load()
    paths = _corpus(tmp_path / "in", 6)
    no_limit = Limits(max_seconds=None)
    on_disk, _ = batch.run_batch(model, paths, batch.BatchRun(tmp_path / "o.jsonl"),
                                 batch_size=4, limits=no_limit)
    in_memory, _ = batch.run_batch(model, paths, batch.BatchRun(None), batch_size=4,
                                   limits=no_limit)
    assert on_disk.records is None and in_memory.records is not None
    assert list(on_disk) == list(in_memory) == [on_disk[i] for i in range(len(paths))]
    assert [r["id"] for r in on_disk] == [str(p) for p in paths]
    lines = (tmp_path / "o.jsonl.partial.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x) for x in lines] == list(on_disk)
    order = rank_order(on_disk.summaries)
    fits = [max(r["assistant_fit"], r["secretary_fit"]) for r in on_disk.select(order)]
    assert fits == sorted(fits, reverse=True) and sorted(order) == list(range(len(paths)))
    assert list(on_disk.select(order)) == [list(in_memory)[i] for i in order]


def test_partial_records_are_split_at_newlines_only(tmp_path: Path) -> None:
    from rolefit import batch

    run_ = batch.BatchRun(tmp_path / "o.jsonl")
    kept = {"id": "a", "status": "ok", "evidence": [{"text": "line\u2028separator\x85"}]}
    run_.partial.write_text(json.dumps(kept, ensure_ascii=False) + "\n{torn", encoding="utf-8")
    assert run_.done_records() == [kept]
