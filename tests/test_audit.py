"""The bias audit against hand-computed examples, and `rolefit audit` end to end."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from rolefit.audit import audit, read_scores

ROOT = Path(__file__).resolve().parents[1]

# Ten scored candidates (one without a sex value) and one error row.
ROWS = [
    # id, status, assistant_fit, secretary_fit, sex, race
    ("a", "ok", 90, 10, "F", "Black"),
    ("b", "ok", 80, 20, "F", "White"),
    ("c", "ok", 70, 30, "F", "Black"),
    ("d", "ok", 60, 40, "F", "White"),
    ("e", "ok", 50, 50, "M", "Black"),
    ("f", "ok", 40, 60, "M", "White"),
    ("g", "ok", 30, 70, "M", "Black"),
    ("h", "ok", 20, 80, "M", "White"),
    ("i", "ok", 10, 90, "M", "Black"),
    ("j", "ok", 0, 100, "", "Black"),
    ("k", "error", None, None, "F", "Black"),
]


def frame() -> pd.DataFrame:
    return pd.DataFrame(ROWS, columns=["id", "status", "assistant_fit", "secretary_fit", "sex",
                                       "race"])


def row(report, role: str, category: str):
    (found,) = [r for r in report.rows if r.role == role and r.category == category]
    return found


def test_scoring_rates_and_impact_ratios_by_hand() -> None:
    report = audit(frame(), ["sex"])
    # The error row is left out: 10 scored rows. Assistant fits 0..90: median (40 + 50) / 2 = 45.
    assert report.scored == 10 and report.not_scored == 1
    assert report.medians["assistant"] == 45.0
    # F: a, b, c, d = 90, 80, 70, 60 -> all 4 above 45 -> scoring rate 4/4 = 1.0
    female = row(report, "assistant", "sex=F")
    assert (female.count, female.above_median, female.scoring_rate) == (4, 4, 1.0)
    # M: e..i = 50, 40, 30, 20, 10 -> only 50 above 45 -> 1/5 = 0.2; impact ratio 0.2/1.0 = 0.2
    male = row(report, "assistant", "sex=M")
    assert (male.count, male.above_median) == (5, 1)
    assert male.scoring_rate == pytest.approx(0.2) and male.impact_ratio == pytest.approx(0.2)
    assert male.flag and not female.flag and female.impact_ratio == 1.0
    # Secretary fits are 100 - assistant: median 55; F fits 10..40 -> 0/4; M 50..90 -> 60, 70,
    # 80, 90 above -> 4/5 = 0.8 (the highest rate); F impact ratio 0 / 0.8 = 0.
    assert report.medians["secretary"] == 55.0
    assert row(report, "secretary", "sex=M").scoring_rate == pytest.approx(0.8)
    assert row(report, "secretary", "sex=F").impact_ratio == 0.0


def test_rows_missing_a_value_are_counted_not_dropped() -> None:
    report = audit(frame(), ["sex"])
    missing = row(report, "assistant", "(missing: sex)")
    # j has no sex value: 1 row, fit 0, not above 45; it takes no impact ratio.
    assert (missing.status, missing.count, missing.above_median) == ("missing", 1, 0)
    assert missing.impact_ratio is None and not missing.flag
    assert sum(r.count for r in report.rows if r.role == "assistant") == 10


def test_intersectional_categories_and_top_n_selection_by_hand() -> None:
    report = audit(frame(), ["sex", "race"], top=3)
    # Top 3 by assistant fit: a (F, Black), b (F, White), c (F, Black).
    # sex=F, race=Black: a, c -> 2 selected of 2 = 1.0; sex=F, race=White: b, d -> 1 of 2 = 0.5
    fb, fw = row(report, "assistant", "sex=F, race=Black"), row(report, "assistant",
                                                                 "sex=F, race=White")
    assert (fb.count, fb.selected, fb.selection_rate) == (2, 2, 1.0)
    assert (fw.count, fw.selected, fw.selection_rate) == (2, 1, 0.5)
    # Selection impact ratio of F/White: 0.5 / 1.0 = 0.5 < 0.8 -> flagged.
    assert fw.selection_impact_ratio == 0.5 and fw.selection_flag
    # By scoring rate both F groups are 2/2 above the median: ratio 1.0, no flag.
    assert fw.impact_ratio == 1.0 and not fw.flag
    # race alone: Black = a, c, e, g, i, j (6 rows; j counts although its sex is missing):
    # selected a, c -> 2/6; White = b, d, f, h: selected b -> 1/4 = 0.25; ratio 0.25/(1/3) = 0.75
    black, white = row(report, "assistant", "race=Black"), row(report, "assistant", "race=White")
    assert (black.count, black.selected) == (6, 2) and (white.count, white.selected) == (4, 1)
    assert white.selection_impact_ratio == pytest.approx(0.75) and white.selection_flag
    # j lacks sex, so the intersection has a missing row of 1.
    assert row(report, "assistant", "(missing: sex, race)").count == 1


def test_threshold_selection_by_hand() -> None:
    report = audit(frame(), ["sex"], roles=["secretary"], threshold=70)
    # Secretary fits >= 70: g (70), h (80), i (90) are M; j (100) has no sex.
    male = row(report, "secretary", "sex=M")
    female = row(report, "secretary", "sex=F")
    assert (male.selected, male.selection_rate) == (3, pytest.approx(0.6))
    assert (female.selected, female.selection_rate) == (0, 0.0)
    assert female.selection_impact_ratio == 0.0 and female.selection_flag
    assert row(report, "secretary", "(missing: sex)").selected == 1
    assert {r.role for r in report.rows} == {"secretary"}


def test_small_categories_are_reported_as_excluded() -> None:
    data = pd.DataFrame({"assistant_fit": [float(i) for i in range(60)],
                         "race": ["A"] * 30 + ["B"] * 29 + ["C"]})
    report = audit(data, ["race"])
    # C is 1 of 60 rows = 1.7% < 2%: reported, excluded from the impact ratios.
    small = row(report, "assistant", "race=C")
    assert small.status == "excluded" and small.impact_ratio is None and not small.flag
    # Median of 0..59 is 29.5; A = 0..29 -> 0 above; B = 30..58 -> 29/29 = 1.0 above; the
    # highest included rate is B's 1.0 even though C (59) is also above: A's ratio is 0.
    assert row(report, "assistant", "race=B").impact_ratio == 1.0
    assert row(report, "assistant", "race=A").impact_ratio == 0.0
    kept = audit(data, ["race"], min_share=0.0)
    assert row(kept, "assistant", "race=C").status == "included"


@pytest.mark.parametrize("kwargs, message", [
    ({"groups": ["age_band"]}, "no column 'age_band'"),
    ({"groups": ["sex"], "threshold": 50, "top": 3}, "not both"),
    ({"groups": ["sex"], "top": 0}, "at least 1"),
    ({"groups": []}, "at least one"),
    ({"groups": ["sex"], "roles": ["nurse"]}, "no fit column"),
])
def test_bad_requests_are_refused_plainly(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        audit(frame(), **kwargs)


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "rolefit", "audit", *args], capture_output=True,
                          text=True, env=env, timeout=120, cwd=ROOT)


def test_audit_command_writes_csv_and_json_rows(tmp_path: Path) -> None:
    scores = tmp_path / "scores.csv"
    frame().to_csv(scores, index=False)
    out_csv, out_json = tmp_path / "audit.csv", tmp_path / "audit.json"
    result = run(str(scores), "--group", "sex", "--group", "race", "--top", "3", "-o",
                 str(out_csv))
    assert result.returncode == 0, result.stderr
    assert "sex=M" in result.stdout and "selection < 0.8" in result.stdout
    assert "1 row(s) without a fit left out" in result.stdout
    with out_csv.open(encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    assert {"role", "category", "count", "scoring_rate", "impact_ratio", "flag"} <= set(records[0])
    male = next(r for r in records if r["role"] == "assistant" and r["category"] == "sex=M")
    assert (male["count"], float(male["scoring_rate"]), male["flag"]) == ("5", 0.2, "True")
    assert run(str(scores), "-g", "sex", "-o", str(out_json)).returncode == 0
    rows = json.loads(out_json.read_text(encoding="utf-8"))
    assert len(rows) == 6  # 2 roles x (F, M, missing)
    assert {r["category"] for r in rows} == {"sex=F", "sex=M", "(missing: sex)"}


def test_audit_command_reads_jsonl_scores(tmp_path: Path) -> None:
    scores = tmp_path / "scores.jsonl"
    frame().to_json(scores, orient="records", lines=True)
    assert len(read_scores(scores)) == len(ROWS)
    result = run(str(scores), "--group", "race", "--threshold", "50")
    assert result.returncode == 0, result.stderr
    assert "race=White" in result.stdout and "threshold 50" in result.stdout


def test_audit_command_refuses_bad_input(tmp_path: Path) -> None:
    scores = tmp_path / "scores.csv"
    frame().to_csv(scores, index=False)
    unknown = run(str(scores), "--group", "religion")
    assert unknown.returncode == 2 and "no column 'religion'" in unknown.stderr
    bad_output = run(str(scores), "--group", "sex", "-o", str(tmp_path / "audit.txt"))
    assert bad_output.returncode == 2 and "use .csv or .json" in bad_output.stderr
    assert run(str(tmp_path / "absent.csv"), "--group", "sex").returncode == 2
