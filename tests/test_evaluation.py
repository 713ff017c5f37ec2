"""Measured quality: the metrics code on hand-computed cases, and floors on the labelled sets
that fail if the extractor regresses (the README states the current figures)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from rolefit import evaluation
from rolefit.errors import ModelError
from rolefit.pipeline import train_duties
from rolefit.pipeline.classifier import OTHER_DUTY, LinearDutyModel
from rolefit.resources import models_path
from tests.conftest import criteria_of


def test_score_sets_on_a_hand_computed_example() -> None:
    gold = [frozenset({"A1", "S1"}), frozenset({"S1"}), frozenset()]
    predicted = [{"A1"}, {"S1", "A1"}, {"S3"}]
    report = evaluation.score_sets(gold, predicted, ["A1", "S1", "S3"])
    # A1: tp 1, fp 1; S1: tp 1, fn 1; S3: fp 1  → tp 2, fp 2, fn 1
    assert report["micro"] == {"precision": 0.5, "recall": 0.667, "f1": 0.571,
                               "tp": 2, "fp": 2, "fn": 1}
    assert report["per_criterion"]["S1"]["recall"] == 0.5
    assert report["per_criterion"]["S3"]["precision"] == 0.0


def test_keyword_baseline_matches_document_words() -> None:
    found = evaluation.keyword_baseline("Handled confidential files and emergencies.")
    assert {"A7", "A4", "A1"} <= found
    assert "S8" not in found


def test_dev_set_is_complete() -> None:
    docs = evaluation.load_dev_set()
    assert len(docs) >= 60
    ids = {c for d in docs for c in d.criteria}
    assert len(ids) == 25


def test_extractor_clearly_beats_the_keyword_baseline_on_the_dev_set() -> None:
    report = evaluation.evaluate_extraction("dev")
    ours, base = report["rolefit"]["micro"], report["keyword_baseline"]["micro"]
    assert ours["f1"] >= base["f1"] + 0.1
    assert ours["precision"] >= 0.75 and ours["recall"] >= 0.7


def test_held_out_paraphrases_are_mostly_found() -> None:
    report = evaluation.evaluate_extraction("paraphrases")
    assert report["paraphrase_found_share"]["overall"] >= 0.6
    negatives = report["negatives_with_any_hit"]
    assert negatives["rolefit"] < negatives["keyword_baseline"]


def test_duty_classifier_round_trips_without_pickle(tmp_path) -> None:
    model = LinearDutyModel.load(models_path("duty_classifier"))
    lemmas, surface = ["take minute at board meeting"], ["took minutes at board meetings"]
    before = model.predict_proba(lemmas, surface)
    model.save(tmp_path, {"test": True})
    after = LinearDutyModel.load(tmp_path).predict_proba(lemmas, surface)
    np.testing.assert_allclose(before, after, rtol=1e-5)
    assert before[0][model.labels.index("S3")] > 0.5


def test_a_scalar_veto_file_gives_every_criterion_that_veto(tmp_path) -> None:
    model = LinearDutyModel.load(models_path("duty_classifier"))
    model.save(tmp_path, {"test": True})
    with np.load(tmp_path / "weights.npz") as arrays:
        saved = dict(arrays)
    np.savez_compressed(tmp_path / "weights.npz", **{**saved, "veto": np.array(0.07)})
    assert LinearDutyModel.load(tmp_path).veto.tolist() == [0.07] * len(model.labels)
    del saved["veto"]
    np.savez_compressed(tmp_path / "weights.npz", **saved)  # written before vetoes existed
    assert not LinearDutyModel.load(tmp_path).veto.any()
    np.savez_compressed(tmp_path / "weights.npz", **{**saved, "veto": np.zeros(3)})
    with pytest.raises(ModelError, match="cannot load the duty classifier"):
        LinearDutyModel.load(tmp_path)


def test_the_veto_drops_only_its_own_criterions_rule_hits(extractor) -> None:
    model = extractor.nlp.get_pipe("rolefit_duty_classifier").model
    text = ("Compiled the weekly sales figures into a report for the manager. "
            "Filed contracts and correspondence in the archive.")
    shipped = model.veto.copy()
    try:
        model.veto[:] = 0.0
        everything = criteria_of(extractor, text)
        assert {"A1", "A3"} <= everything
        model.veto[model.labels.index("A3")] = 0.999  # no sentence reaches it
        assert criteria_of(extractor, text) == everything - {"A3"}
        model.veto[model.labels.index("A3")] = 0.0
        model.veto[model.labels.index("A1")] = 0.999
        assert criteria_of(extractor, text) == everything - {"A1"}
    finally:
        model.veto[:] = shipped


def test_the_shipped_vetoes_match_the_veto_file_or_the_banks() -> None:
    """The shipped weights carry data/train/duty_veto.json's vetoes when that file is there,
    else the bank's veto recorded in their metadata; fails when the file was added or changed
    without retraining."""
    folder = models_path("duty_classifier")
    model = LinearDutyModel.load(folder)
    metrics = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["metrics"]
    bank = metrics.get("bank_veto", metrics["veto"])
    assert isinstance(bank, float) and 0.0 <= bank < 1.0
    tuned = train_duties.load_vetoes(criteria_ids=[c for c in model.labels if c != OTHER_DUTY])
    for criterion in model.labels:
        if criterion != OTHER_DUTY:
            expected = tuned.get(criterion, bank)
            assert model.veto[model.labels.index(criterion)] == pytest.approx(expected)


def _tune_veto_script() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "scripts" / "tune_veto.py"
    spec = importlib.util.spec_from_file_location("tune_veto", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_veto_leaves_the_banks_only_for_a_clear_gain() -> None:
    choose = _tune_veto_script().choose_veto
    assert choose({0.0: 0.70, 0.15: 0.60, 0.25: 0.55}, 0.15, 0.02) == 0.0
    assert choose({0.0: 0.61, 0.15: 0.60, 0.25: 0.55}, 0.15, 0.02) == 0.15
    assert choose({0.0: 0.70, 0.15: 0.60, 0.25: 0.70}, 0.15, 0.02) == 0.25  # tie: larger
    assert choose({0.0: 0.50, 0.15: 0.60}, 0.15, 0.0) == 0.15


@pytest.mark.parametrize("content, message", [({"veto": {"A1": 1.5}}, "in \\[0, 1\\)"),
                                              ({"veto": {"A1": "high"}}, "in \\[0, 1\\)"),
                                              ({"veto": {"A1": True}}, "in \\[0, 1\\)"),
                                              ({"veto": {"Z9": 0.1}}, "unknown criteria Z9"),
                                              ({"veto": [0.1]}, "an object"),
                                              ({"grid": []}, "an object")])
def test_bad_veto_files_are_refused(tmp_path, content: dict, message: str) -> None:
    path = tmp_path / "duty_veto.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        train_duties.load_vetoes(path, criteria_ids=["A1", "S1"])


def test_extraction_can_be_scored_with_another_duty_classifier(tmp_path) -> None:
    """`rolefit eval-extract --duty-model DIR`: a classifier that vetoes every rule hit finds
    less than the shipped one on the same set."""
    model = LinearDutyModel.load(models_path("duty_classifier"))
    model.veto[:] = 0.999
    model.save(tmp_path, {"test": True})
    shipped = evaluation.evaluate_extraction("dev")["rolefit"]["micro"]
    vetoing = evaluation.evaluate_extraction("dev", duty_model=tmp_path)["rolefit"]["micro"]
    assert vetoing["tp"] < shipped["tp"]
    assert vetoing["fp"] <= shipped["fp"]


def test_the_real_halves_split_the_real_set(shared_data) -> None:
    halves = [evaluation.evaluate_extraction(name)["documents"]
              for name in ("real-dev", "real-test")]
    assert min(halves) > 0 and sum(halves) == len(evaluation.load_real_set())


def test_real_resumes_are_labelled_and_scored(shared_data) -> None:
    report = evaluation.evaluate_extraction("real")
    assert report["documents"] >= 100
    assert report["rolefit"]["micro"]["f1"] > report["keyword_baseline"]["micro"]["f1"]


@pytest.mark.parametrize("dataset", ["nope"])
def test_unknown_dataset_is_refused(dataset: str) -> None:
    with pytest.raises(ValueError, match="unknown dataset"):
        evaluation.evaluate_extraction(dataset)


@pytest.mark.parametrize("name", ["dev", "dev2", "dev3", "dev4", "heldout", "heldout2",
                                  "heldout3", "heldout4", "heldout5", "heldout6",
                                  "heldout7", "heldout8", "train"])
def test_labelled_sets_follow_the_briefs_primary_role_rule(name: str) -> None:
    from rolefit import model_evaluation

    items = model_evaluation.load_labelled(name)
    assert len(items) >= 40
    for item in items:
        a, s = item["assistant_fit"], item["secretary_fit"]
        assert {a, s} <= {0, 1, 2, 3}
        if max(a, s) < 2:
            assert item["primary_role"] == "neither", item.get("file")
        elif a != s:
            assert item["primary_role"] == ("assistant" if a > s else "secretary"), item.get("file")
        else:
            assert item["primary_role"] in {"assistant", "secretary"}, item.get("file")
        assert item["source"].exists()
