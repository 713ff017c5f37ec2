"""Optional checks on the real public résumés in ../shared/data (skipped when absent)."""

from __future__ import annotations

import csv
import re

import pytest

from rolefit.ingest import read_path


def test_all_real_pdfs_extract_to_readable_text(shared_data, extractor) -> None:
    pdfs = sorted((shared_data / "livecareer" / "pdf").glob("*.pdf"))
    assert len(pdfs) >= 400
    for pdf in pdfs:
        resume = read_path(pdf)
        letters = sum(ch.isalpha() for ch in resume.text)
        assert letters / max(len(resume.text), 1) > 0.6, pdf.name
        assert "â€" not in resume.text, pdf.name  # mojibake repaired
        assert not re.search(r"(?m)^Page \d+ of \d+$", resume.text), pdf.name
        extraction = extractor.from_resume(resume)
        for evidence in extraction.duties:
            assert extraction.text[evidence.start:evidence.end] == evidence.text


def test_csv_texts_extract_without_error(shared_data, extractor) -> None:
    csv.field_size_limit(10_000_000)
    with (shared_data / "livecareer" / "resumes.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 450
    results = [extractor.extract(row["text"]) for row in rows]
    admin = [r for r, row in zip(results, rows, strict=True)
             if row["title_group"] == "admin_core_title"]
    other = [r for r, row in zip(results, rows, strict=True) if row["title_group"] == "other"]
    mean = lambda rs: sum(len(r.criteria_found) for r in rs) / len(rs)  # noqa: E731
    assert mean(admin) > 2 * mean(other)


@pytest.mark.parametrize("name", ["pdf"])
def test_shared_folder_layout(shared_data, name: str) -> None:
    assert (shared_data / "livecareer" / name).is_dir()
