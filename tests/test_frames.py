"""pandas views for analysts: evidence_frame, coverage_frame, score_many columns and the model's
feature weights."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import rolefit
from rolefit import ingest
from rolefit.criteria import load_criteria
from rolefit.frames import EVIDENCE_COLUMNS
from rolefit.scoring import RESULT_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "data" / "examples").iterdir())


@pytest.fixture(scope="module")
def model():
    return rolefit.load()


@pytest.fixture(scope="module")
def results(model):
    return list(model.iter_scores([*EXAMPLES, ("empty-one", "   ")]))


def test_evidence_frame_has_one_row_per_item_with_offsets_into_the_scored_text(results) -> None:
    frame = rolefit.evidence_frame(results)
    assert list(frame.columns) == EVIDENCE_COLUMNS
    assert len(frame) == sum(len(r.evidence) for r in results) > 20
    assert list(dict.fromkeys(frame["id"])) == [r.id for r in results if r.evidence]
    roles = {c.id: c.role for c in load_criteria().criteria}
    assert (frame["role"] == frame["criterion"].map(roles)).all()
    for path in EXAMPLES:
        text = ingest.read_path(path).text
        rows = frame[frame["id"] == str(path)]
        assert [text[s:e] for s, e in zip(rows["start"], rows["end"], strict=True)] == \
            rows["text"].tolist()
    assert frame["section"].notna().all() and frame["score"].between(0, 1).all()


def test_evidence_frame_reads_score_many_frames_and_jsonl_records(model, results) -> None:
    expected = rolefit.evidence_frame(results)
    shared = ["id", "role", "criterion", "text", "start", "end", "source"]
    from_frame = rolefit.evidence_frame(model.score_many([*EXAMPLES, ("empty-one", "   ")]))
    pd.testing.assert_frame_equal(from_frame[shared], expected[shared])
    assert from_frame["section"].isna().all()  # not in the result schema
    records = [json.loads(json.dumps(r.to_dict())) for r in results]
    pd.testing.assert_frame_equal(rolefit.evidence_frame(records), expected)


def test_coverage_frame_counts_evidence_per_criterion_in_file_order(results) -> None:
    coverage = rolefit.coverage_frame(results)
    expected_ids = ([f"A{i}" for i in range(1, 13)] + [f"S{i}" for i in range(1, 11)]
                    + ["D1", "D2", "D3"])
    assert list(coverage.columns) == expected_ids == load_criteria().ids
    assert list(coverage.index) == [str(p) for p in EXAMPLES]  # the error row is left out
    counts = rolefit.evidence_frame(results).groupby(["id", "criterion"]).size()
    for (identifier, criterion), count in counts.items():
        assert coverage.loc[identifier, criterion] == count
    assert int(coverage.to_numpy().sum()) == int(counts.sum())
    evidenced = {r.id: set(r.criteria) for r in results if r.status == "ok"}
    assert {i: set(coverage.columns[row > 0]) for i, row in zip(
        coverage.index, coverage.to_numpy(), strict=True)} == evidenced


def test_coverage_frame_takes_other_criteria_ids(results) -> None:
    coverage = rolefit.coverage_frame(results[:2], criteria=["S1", "A1", "X9"])
    assert list(coverage.columns) == ["S1", "A1", "X9"]
    assert coverage["X9"].eq(0).all()
    full = rolefit.coverage_frame(results[:2])
    assert coverage[["S1", "A1"]].equals(full[["S1", "A1"]])


def test_score_many_columns_keep_their_types_when_every_row_fails(model) -> None:
    frame = model.score_many(["", ("b", "  ")])
    assert list(frame.columns) == RESULT_COLUMNS
    assert frame["status"].tolist() == ["error", "error"]
    assert frame["assistant_fit"].dtype == np.float64 and frame["assistant_fit"].isna().all()
    empty = rolefit.coverage_frame(frame)
    assert empty.shape == (0, 25)


def test_feature_weights_are_tidy_and_match_the_fitted_models(model) -> None:
    classifier = model.classifier
    weights = classifier.feature_weights()
    assert list(weights.columns) == ["role", "feature", "group", "weight"]
    assert len(weights) == len(classifier.roles_) * len(classifier.feature_names_in_)
    for role in classifier.roles_:
        rows = weights[weights["role"] == role]
        assert rows["feature"].tolist() == list(classifier.feature_names_in_)
        assert np.allclose(rows["weight"], list(classifier.coefficients(role).values()))
    groups = dict(zip(weights["feature"], weights["group"], strict=False))
    assert groups["S3:count"] == "S3" and groups["knowledge:education_rank"] == "knowledge"
    assert groups["role:assistant:share"] == "role:assistant"
    # a role's own duties raise its fit on average; the other role's duties lower it
    summed = weights.groupby(["role", "group"])["weight"].sum()
    for role, own, other in (("assistant", "A", "S"), ("secretary", "S", "A")):
        by_group = summed[role]
        assert by_group[by_group.index.str.fullmatch(own + r"\d+")].mean() > 0
        assert by_group[by_group.index.str.fullmatch(other + r"\d+")].mean() < 0
