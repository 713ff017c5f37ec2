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


def test_all_real_resumes_are_scored_and_titles_do_not_decide(shared_data) -> None:
    import rolefit

    csv.field_size_limit(10_000_000)
    with (shared_data / "livecareer" / "resumes.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 450
    frame = rolefit.load().score_many([(row["id"], row["text"]) for row in rows])
    assert (frame["status"] == "ok").all(), frame.loc[frame["status"] != "ok", "error"].tolist()
    frame["group"] = [row["title_group"] for row in rows]
    frame["best_fit"] = frame[["assistant_fit", "secretary_fit"]].max(axis=1)
    means = frame.groupby("group")["best_fit"].mean()
    # admin-titled résumés mostly outrank the others
    assert means["admin_core_title"] > means["other"] + 15
    # "assistant" in a non-office title (assistant manager, research assistant...) does not
    # make an office assistant
    friends = frame[frame["group"] == "assistant_false_friend_title"]
    assert (friends["best_role"] == "assistant").mean() < 0.3


@pytest.mark.parametrize("name", ["pdf"])
def test_shared_folder_layout(shared_data, name: str) -> None:
    assert (shared_data / "livecareer" / name).is_dir()
