"""Features of one extraction: per-criterion evidence strength, recency and years held."""

from __future__ import annotations

from rolefit.extraction import Evidence, Extraction, Job
from rolefit.feature_rows import RECENT_MONTHS
from rolefit.features import ExtractionFeatures

ROLES = {"A1": "assistant", "S3": "secretary"}


def _evidence(criterion: str, start: int) -> Evidence:
    return Evidence(criterion=criterion, role=ROLES[criterion], kind="duty", text="x",
                    start=start, end=start + 1, sentence="x", sentence_start=start,
                    section="experience", source=f"rule:{criterion}.cue")


def _row(extraction: Extraction) -> dict[str, float]:
    features = ExtractionFeatures(list(ROLES), ROLES).fit([extraction])
    names = features.get_feature_names_out()
    return dict(zip(names, features.transform([extraction])[0], strict=True))


def test_evidence_in_an_old_job_is_not_recent_but_counts_its_years() -> None:
    jobs = [Job(0, 100, 24, 0), Job(100, 200, 120, RECENT_MONTHS + 12)]
    extraction = Extraction(text="x" * 200, source="t", jobs=jobs,
                            duties=[_evidence("S3", 10), _evidence("A1", 150),
                                    _evidence("A1", 160)])
    row = _row(extraction)
    assert row["S3:recent"] == 1.0 and row["A1:recent"] == 0.0
    assert row["A1:years"] > row["S3:years"] > 0  # ten years held against two
    assert row["A1:count"] > row["S3:count"]  # two distinct sentences against one


def test_evidence_outside_any_job_has_no_recency_or_years() -> None:
    extraction = Extraction(text="x" * 300, source="t", jobs=[Job(0, 100, 24, 0)],
                            duties=[_evidence("A1", 250)])
    row = _row(extraction)
    assert row["A1:count"] > 0
    assert row["A1:recent"] == 0.0 and row["A1:years"] == 0.0


def test_a_job_is_counted_once_however_much_evidence_it_holds() -> None:
    one = Extraction(text="x" * 100, source="t", jobs=[Job(0, 100, 36, 0)],
                     duties=[_evidence("A1", 10)])
    many = Extraction(text="x" * 100, source="t", jobs=[Job(0, 100, 36, 0)],
                      duties=[_evidence("A1", s) for s in (10, 40, 70)])
    assert _row(one)["A1:years"] == _row(many)["A1:years"]


def test_a_roles_longest_job_is_the_longest_holding_its_duties() -> None:
    jobs = [Job(0, 100, 8, 0), Job(100, 200, 60, 20), Job(200, 300, 120, 90)]
    extraction = Extraction(text="x" * 300, source="t", jobs=jobs,
                            duties=[_evidence("S3", 10), _evidence("A1", 50),
                                    _evidence("A1", 150)])
    row = _row(extraction)
    assert row["role:assistant:longest_job"] > row["role:secretary:longest_job"] > 0
    only_short = Extraction(text="x" * 300, source="t", jobs=jobs, duties=[_evidence("A1", 50)])
    assert _row(only_short)["role:assistant:longest_job"] < row["role:assistant:longest_job"]
    assert _row(only_short)["role:secretary:longest_job"] == 0.0
