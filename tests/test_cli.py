"""The command line, run as a user runs it (subprocess)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from rolefit.testing import write_docx, write_html, write_pdf

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "rolefit", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300, env=env)


def test_extract_folder_gives_one_record_per_file_and_errors_as_records(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    text = "EXPERIENCE\n• Took minutes at board meetings.\n• Kept the CEO's diary."
    (folder / "a.txt").write_text(text)
    write_pdf(text, folder / "b.pdf")
    write_docx(text, folder / "c.docx")
    write_html(text, folder / "d.html")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    out = tmp_path / "out.jsonl"
    result = run("extract", str(folder), "-o", str(out))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 7
    by_name = {Path(r["id"]).name: r for r in records}
    for name in ("a.txt", "b.pdf", "c.docx", "d.html"):
        assert by_name[name]["status"] == "ok"
        assert {"S1", "S3"} <= set(by_name[name]["criteria_found"])
    assert by_name["empty.txt"]["error_kind"] == "empty"
    assert by_name["image.png"]["error_kind"] == "unsupported_type"
    assert by_name["broken.pdf"]["status"] == "error" and by_name["broken.pdf"]["error"]
    assert "4 extracted, 3 error(s)" in result.stderr


def test_extract_prints_a_table_for_the_shipped_examples(tmp_path: Path) -> None:
    examples = tmp_path / "examples"
    shutil.copytree(ROOT / "data" / "examples", examples)
    result = run("extract", str(examples), "--quiet")
    assert result.returncode == 0, result.stderr
    assert "daniel_okafor" in result.stdout and "D1" in result.stdout


def test_no_input_files_is_a_usage_error(tmp_path: Path) -> None:
    result = run("extract", str(tmp_path))
    assert result.returncode == 2
    assert "no input files" in result.stderr


def test_unwritable_output_fails_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("• Filed contracts.")
    result = run("extract", str(tmp_path / "a.txt"), "-o", str(tmp_path / "no" / "out.jsonl"))
    assert result.returncode == 2
    assert "cannot write" in result.stderr


def test_score_ranks_writes_csv_and_escapes_formulas(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    shutil.copytree(ROOT / "data" / "examples", folder)
    formula = folder / "=HYPERLINK(evil).txt"
    formula.write_text("EXPERIENCE\n• Took minutes at board meetings.\n")
    write_html("EXPERIENCE\n• Kept the director's diary.\n• Took minutes at board meetings.",
               folder / "web_cv.html")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 nothing else")
    out = tmp_path / "shortlist.csv"
    result = run("score", ".", "-o", str(out), "--quiet", cwd=folder)
    assert result.returncode == 0, result.stderr
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 9  # one record per input file, errors included
    ok = [r for r in rows if r["status"] == "ok"]
    fits = [max(float(r["assistant_fit"]), float(r["secretary_fit"])) for r in ok]
    assert fits == sorted(fits, reverse=True)  # ranked by best fit
    assert rows[-1]["status"] == "error" and rows[-1]["id"].endswith("broken.pdf")
    by_name = {Path(r["id"].lstrip("'")).name: r for r in rows}
    assert by_name["daniel_okafor_executive_assistant.pdf"]["best_role"] == "secretary"
    assert by_name["grace_chen_secretary.docx"]["best_role"] == "assistant"  # title trap
    assert by_name["priya_nair_staff_nurse.pdf"]["best_role"] == "neither"
    assert all(not r["id"].startswith("=") for r in rows)
    assert "'=HYPERLINK(evil).txt" in {r["id"] for r in rows}
    assert "8 scored, 1 error(s)" in result.stderr
    html_row = by_name["web_cv.html"]
    assert html_row["status"] == "ok" and "S3" in html_row["evidence"].split(";")


def test_score_strict_exits_1_on_a_document_error(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ok.txt").write_text("• Kept the CEO's diary and took board minutes.")
    assert run("score", str(tmp_path), "--quiet").returncode == 0
    strict = run("score", str(tmp_path), "--quiet", "--strict")
    assert strict.returncode == 1


def test_score_rejects_unknown_output_format(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("• Kept the CEO's diary.")
    result = run("score", str(tmp_path / "ok.txt"), "-o", str(tmp_path / "out.xlsx"))
    assert result.returncode == 2 and "cannot write .xlsx" in result.stderr


def test_explain_shows_criteria_reasons_and_suggestions() -> None:
    result = run("explain", "data/examples/tomasz_wolski_admin_coordinator.docx")
    assert result.returncode == 0, result.stderr
    assert "best role" in result.stdout
    assert "S5" in result.stdout and "met" in result.stdout and "missing" in result.stdout
    assert "would raise the" in result.stdout


def test_jsonl_records_validate_against_the_shipped_schema(tmp_path: Path) -> None:
    import jsonschema

    from rolefit.scoring import result_schema

    (tmp_path / "ok.txt").write_text("EXPERIENCE\n• Kept the CEO's diary and took board minutes.")
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 junk")
    out = tmp_path / "out.jsonl"
    assert run("score", str(tmp_path), "-o", str(out), "--quiet").returncode == 0
    records = [json.loads(x) for x in out.read_text().splitlines()]
    assert {r["status"] for r in records} == {"ok", "error"}
    validator = jsonschema.Draft202012Validator(result_schema())
    for record in records:
        validator.validate(record)
    broken = dict(records[0], assistant_fit=140)
    assert not validator.is_valid(broken)


def test_evaluate_a_labelled_csv(tmp_path: Path) -> None:
    import csv

    rows = [
        {"text": (ROOT / "data/example_sources/daniel_okafor_executive_assistant.txt"
                  ).read_text(),
         "primary_role": "secretary", "assistant_fit": 1, "secretary_fit": 3,
         "traps": "title_trap"},
        {"path": str(ROOT / "data/examples/maria_lopez_office_assistant.txt"), "text": "",
         "primary_role": "assistant", "assistant_fit": 3, "secretary_fit": 0, "traps": ""},
        {"path": str(ROOT / "data/examples/priya_nair_staff_nurse.pdf"), "text": "",
         "primary_role": "neither", "assistant_fit": 0, "secretary_fit": 0,
         "traps": "keyword_trap"},
    ]
    labels = tmp_path / "labels.csv"
    with labels.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["text", "path", "primary_role",
                                                    "assistant_fit", "secretary_fit", "traps"])
        writer.writeheader()
        writer.writerows(rows)
    report_path = tmp_path / "report.json"
    result = run("evaluate", str(labels), "-o", str(report_path))
    assert result.returncode == 0, result.stderr
    assert "macro_f1" in result.stdout and "confusion" in result.stdout
    # the figures line up in columns, however long a subgroup's label
    rows = [line for line in result.stdout.splitlines()
            if line.startswith(("macro_f1", "title_trap", "keyword_trap", "assistant Spearman"))]
    assert len(rows) == 4
    assert len({re.search(r"\d\.\d{3}", line).end() for line in rows}) == 1, rows
    report = json.loads(report_path.read_text())
    assert report["documents"] == 3
    assert report["model"]["accuracy"] == 1.0
    assert report["model"]["title_trap_n"] == 1
    assert report["title_baseline"]["title_trap_accuracy"] == 0.0  # its title says assistant
    assert set(report["model"]) >= {"macro_f1", "per_class", "confusion_matrix",
                                    "assistant_spearman", "secretary_brier",
                                    "assistant_reliability"}


def test_evaluate_unknown_set_is_a_usage_error() -> None:
    result = run("evaluate", "no_such_labels.jsonl")
    assert result.returncode == 2 and "no labelled set" in result.stderr
