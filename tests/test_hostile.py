"""The hostile corpus (generated here, never committed) scored beside good résumés by the command
line: one record per file, good files scored exactly as when alone, every hostile file scored or
given a clear per-document error, and nothing leaked. Time and memory: benchmarks/hostile.py."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from rolefit.testing import write_docx_with_dtd, write_hostile_corpus
from tests.test_cli import ROOT, run

SECRET = "TOPSECRET-6f1c9"


def _records(path: Path) -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def test_hostile_corpus_beside_good_resumes(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    corpus = tmp_path / "corpus"
    expected = write_hostile_corpus(corpus, secret)
    good = tmp_path / "good"
    shutil.copytree(ROOT / "data" / "examples", good)
    out = tmp_path / "all.jsonl"
    result = run("score", str(corpus), str(good), "-o", str(out), "--quiet", "--jobs", "2",
                 "--time-limit", "120")
    assert result.returncode == 0, result.stderr
    records = _records(out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(records) == len(expected) + 6  # exactly one record per file
    for name, outcomes in expected.items():
        record = records[str(corpus / name)]
        outcome = "ok" if record["status"] == "ok" else record["error_kind"]
        assert outcome in outcomes, (name, record["error"])
        if record["status"] != "ok":  # a clear, per-document reason
            assert record["error"].startswith(str(corpus / name) + ": ")
    assert SECRET not in out.read_text(encoding="utf-8")
    assert "SCRIPT-TEXT" not in out.read_text(encoding="utf-8")
    for name in ("cv, with comma.txt", 'cv "quoted".txt', "cv\nnew line.txt", "=1+1.txt"):
        assert records[str(corpus / name)]["best_role"] == "secretary"
    alone = tmp_path / "alone.jsonl"
    assert run("score", str(good), "-o", str(alone), "--quiet").returncode == 0
    for identifier, record in _records(alone).items():
        mixed = dict(records[identifier])
        assert {k: v for k, v in mixed.items() if k != "rank"} == \
            {k: v for k, v in record.items() if k != "rank"}


def test_odd_file_names_and_unsafe_docx_in_a_csv_shortlist(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = "EXPERIENCE\n• Took minutes at board meetings.\n• Kept the CEO's diary."
    names = ["=HYPERLINK(1).txt", "+cmd.txt", "a, b.txt", 'say "hi".txt', "two\nlines.txt"]
    for name in names:
        (folder / name).write_text(text)
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    write_docx_with_dtd(folder / "xxe.docx", "xxe", secret)
    out = tmp_path / "out.csv"
    result = run("score", ".", "-o", str(out), "--quiet", cwd=folder)  # ids = bare file names
    assert result.returncode == 0, result.stderr
    raw = out.read_text(encoding="utf-8")
    assert SECRET not in raw
    rows = list(csv.DictReader(raw.splitlines(keepends=True)))
    assert len(rows) == len(names) + 1
    ids = {row["id"] for row in rows}
    assert "'=HYPERLINK(1).txt" in ids and "'+cmd.txt" in ids  # no cell runs as a formula
    assert {"two\nlines.txt", "a, b.txt", 'say "hi".txt'} <= ids
    xxe = next(row for row in rows if row["id"].endswith("xxe.docx"))
    assert xxe["status"] == "error" and xxe["error_kind"] == "unsafe_content"
