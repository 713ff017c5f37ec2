"""The command line, run as a user runs it (subprocess)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from rolefit.testing import write_docx, write_html, write_pdf

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rolefit", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


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
