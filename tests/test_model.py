"""The role-fit model: estimator contract, decisions by duties not titles, calibration
interfaces, safe loading and explanations."""

from __future__ import annotations

import json
import shutil
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils import estimator_checks

from rolefit import synth
from rolefit.errors import ModelError, ModelMismatch
from rolefit.model import RoleFitClassifier
from rolefit.ordinal import CumulativeLogisticRegression
from rolefit.scoring import META_FILE, MODEL_FILE, SKOPS_FILE, load

ROOT = Path(__file__).resolve().parents[1]

SECRETARY_TYPE = """ANA SOUZA
Executive Assistant
EXPERIENCE
Executive Assistant to the CEO, Norte Energia, 2016 - Present
• Draft the CEO's speeches and letters for her signature.
• Prepare briefing notes setting out options before the CEO decides.
• Organise board meetings, prepare the agenda and papers and take the minutes.
• Follow up directors on actions agreed by the board until they are closed.
• Manage the CEO's diary and keep custody of the company seal.
EDUCATION
MA Public Policy, 2015
"""
ASSISTANT_TYPE = """JOHN KOWALSKI
Secretary
EXPERIENCE
Secretary, Parkside Dental Group, 2015 - Present
• Answer the phones and log messages for the dentists.
• Photocopy and print forms for patients.
• File and archive correspondence and invoices.
• Sort the incoming post and distribute it to staff.
• Keep the office clean and tidy.
EDUCATION
High School Diploma, 2014
"""
NEITHER_TYPE = """MARK DOYLE
Assistant Manager
EXPERIENCE
Assistant Store Manager, FreshMart, 2018 - Present
• Led a team of 20 associates and hit weekly sales targets.
• Managed stock levels, deliveries and merchandising.
• Trained cashiers on the tills and on customer service.
EDUCATION
High School Diploma, 2012
"""

NEAR_MISS_TYPE = """LUCY BRENNAN
Receptionist
EXPERIENCE
Receptionist, Harbourside Physiotherapy, 2019 - Present
• Greet patients and visitors at the front desk and show them to the waiting area.
• Answer the phones, take messages and pass them on to the physiotherapists.
• Sort the incoming post each morning.
• Take card payments and print receipts.
EDUCATION
High School Diploma, 2017
"""


@pytest.fixture(scope="module")
def model():
    return load()


def test_title_traps_are_decided_by_duties(model) -> None:
    assert model.score(SECRETARY_TYPE).best_role == "secretary"
    assert model.score(ASSISTANT_TYPE).best_role == "assistant"
    assert model.score(NEITHER_TYPE).best_role == "neither"


def test_a_receptionist_with_a_few_office_duties_is_a_near_miss(model) -> None:
    # three criteria (calls, post, visitors) are a weak fit for each role, as our writers grade
    result = model.score(NEAR_MISS_TYPE)
    assert result.best_role == "neither"
    assert result.assistant_fit < model.score(ASSISTANT_TYPE).assistant_fit


def test_fits_are_independent_percentages(model) -> None:
    result = model.score(SECRETARY_TYPE)
    assert 0 <= result.assistant_fit <= 100 and 0 <= result.secretary_fit <= 100
    assert result.secretary_fit > 70 > result.assistant_fit
    assert result.fits == {"assistant": result.assistant_fit, "secretary": result.secretary_fit}


def test_explanation_lists_every_criterion_and_reasons(model) -> None:
    result = model.score(SECRETARY_TYPE)
    statuses = {s.criterion: s for s in result.explanation.criteria}
    assert len(statuses) == 25
    assert statuses["D3"].status == "met" and statuses["D3"].evidence
    assert statuses["A12"].status == "missing" and not statuses["A12"].evidence
    assert any(r.role == "secretary" for r in result.explanation.raised)
    suggestions = [s for s in result.explanation.suggestions if s.role == "assistant"]
    assert suggestions and all(s.gain > 0 for s in suggestions)
    assert all(statuses[s.criterion].status != "met" for s in suggestions)
    json.dumps(result.to_dict())  # JSON-able


def test_removing_evidence_lowers_the_fit(model) -> None:
    full = model.score(SECRETARY_TYPE).secretary_fit
    reduced = "\n".join(line for line in SECRETARY_TYPE.splitlines()
                        if "speech" not in line and "briefing" not in line)
    assert model.score(reduced).secretary_fit < full


def test_score_many_keeps_order_and_reports_errors_as_rows(model, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    frame = model.score_many([SECRETARY_TYPE, ("cand-7", ASSISTANT_TYPE), empty, 42])
    assert list(frame["id"]) == ["item-0", "cand-7", str(empty), "item-3"]
    assert list(frame["status"]) == ["ok", "ok", "error", "error"]
    assert frame.loc[2, "error_kind"] == "empty" and frame.loc[3, "error_kind"] == "bad_input"
    assert list(frame["best_role"][:2]) == ["secretary", "assistant"]
    streamed = list(model.iter_scores([SECRETARY_TYPE, ASSISTANT_TYPE], batch_size=1))
    assert [r.best_role for r in streamed] == ["secretary", "assistant"]
    assert streamed[0].secretary_fit == frame.loc[0, "secretary_fit"]


def _copy_model(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    shutil.copytree(ROOT / "models", folder)
    return folder


def _artefact(folder: Path) -> Path:
    return folder / json.loads((folder / META_FILE).read_text())["artefact"]


def test_tampered_artefact_is_refused_before_unpickling(tmp_path: Path) -> None:
    folder = _copy_model(tmp_path)
    with _artefact(folder).open("ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(ModelMismatch, match="SHA-256"):
        load(folder)


class _RunsCodeWhenUnpickled:
    """A stand-in for a malicious artefact: unpickling it creates a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_swapped_artefact_is_refused_before_any_of_it_runs(tmp_path: Path) -> None:
    import joblib

    folder = _copy_model(tmp_path)
    marker = tmp_path / "code_ran"
    artefact = _artefact(folder)
    joblib.dump(_RunsCodeWhenUnpickled(marker), artefact)
    with pytest.raises(ModelMismatch, match="refusing to load") as info:
        load(folder)
    assert "SHA-256" in str(info.value) and "trust" in str(info.value)
    assert not marker.exists()  # refused before unpickling
    joblib.load(artefact)  # the check is what stood in the way
    assert marker.exists()


def test_skops_artefact_scores_like_the_shipped_one_and_refuses_foreign_types(
        tmp_path: Path, model) -> None:
    import hashlib

    import skops.io

    from rolefit.training import save

    folder = _copy_model(tmp_path)
    meta = json.loads((folder / META_FILE).read_text())
    save(model.classifier, folder, meta)
    assert _artefact(folder).suffix == ".skops" and not (folder / MODEL_FILE).exists()
    reloaded = load(folder)
    texts = [SECRETARY_TYPE, ASSISTANT_TYPE]
    assert [r.fits for r in reloaded.iter_scores(texts)] == \
        [r.fits for r in model.iter_scores(texts)]
    skops.io.dump({"model": Fraction(1, 3)}, folder / SKOPS_FILE)  # a type rolefit never saves
    meta = json.loads((folder / META_FILE).read_text())
    meta["artefact_sha256"] = hashlib.sha256((folder / SKOPS_FILE).read_bytes()).hexdigest()
    (folder / META_FILE).write_text(json.dumps(meta))  # even with a matching hash
    with pytest.raises(ModelMismatch, match="fractions.Fraction"):
        load(folder)


def test_version_mismatch_is_refused(tmp_path: Path) -> None:
    folder = _copy_model(tmp_path)
    meta = json.loads((folder / META_FILE).read_text())
    meta["sklearn_version"] = "0.24.2"
    (folder / META_FILE).write_text(json.dumps(meta))
    with pytest.raises(ModelMismatch, match="scikit-learn 0.24.2"):
        load(folder)


def test_a_model_trained_on_other_features_is_refused(monkeypatch) -> None:
    from rolefit import feature_rows

    computed = feature_rows.feature_names
    monkeypatch.setattr(feature_rows, "feature_names",
                        lambda ids, roles: [*computed(ids, roles), "doc:added_later"])
    with pytest.raises(ModelMismatch, match=r"doc:added_later.*rolefit train"):
        load()


def test_missing_metadata_is_a_model_error(tmp_path: Path) -> None:
    folder = _copy_model(tmp_path)
    (folder / META_FILE).unlink()
    with pytest.raises(ModelError, match="metadata"):
        load(folder)


@pytest.fixture(scope="module")
def small_training():
    items = synth.Generator(synth.load_bank(), seed=3).many(60, 0)
    return ([i.text for i in items], np.array([i.primary_role for i in items], dtype=object),
            np.array([[i.assistant_fit, i.secretary_fit] for i in items]))


def test_estimator_contract_and_reproducibility(small_training) -> None:
    texts, y, fits = small_training
    estimator = RoleFitClassifier(cv=3)
    first = estimator.fit(texts, y, role_fits=fits)
    assert first is estimator
    second = clone(first).fit(texts, y, role_fits=fits)
    assert "roles_" not in vars(RoleFitClassifier(cv=3))  # __init__ stores parameters only
    assert list(first.classes_) == ["assistant", "neither", "secretary"]
    np.testing.assert_array_equal(first.predict_fits(texts[:10]), second.predict_fits(texts[:10]))
    proba = first.predict_proba(texts[:10])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(first.classes_[proba.argmax(axis=1)], first.predict(texts[:10]))
    assert 0.2 <= first.threshold_ <= 0.8
    assert (first.predict(texts) == y).mean() > 0.7  # it learns its training data


def test_role_models_learn_from_every_grade(small_training, monkeypatch) -> None:
    texts, y, fits = small_training
    extractions = RoleFitClassifier().extract(texts)
    seen = []
    fit = CumulativeLogisticRegression.fit

    def spy(self, X, y, grades=None):  # noqa: N803
        seen.append(grades is not None and np.array_equal(np.asarray(grades) >= 2, y == 1))
        return fit(self, X, y, grades)

    monkeypatch.setattr(CumulativeLogisticRegression, "fit", spy)
    ordinal = RoleFitClassifier(cv=3).fit(extractions, y, role_fits=fits)
    # every fit (calibration folds, out-of-fold folds, final refits) got its fold's grades
    assert len(seen) >= 2 * (3 + 1 + 3 * 3) and all(seen)
    monkeypatch.undo()
    binary = RoleFitClassifier(cv=3, ordinal=False).fit(extractions, y, role_fits=fits)
    for j, role in enumerate(ordinal.roles_):
        linear = ordinal.models_[role].calibrated_classifiers_[0].estimator[-1]
        assert isinstance(linear, CumulativeLogisticRegression)
        assert list(linear.cuts_) == sorted(set(fits[:, j]) - {fits[:, j].min()})
        plain = binary.models_[role].calibrated_classifiers_[0].estimator[-1]
        assert type(plain).__name__ == "LogisticRegression"
        assert not np.allclose(linear.coef_, plain.coef_)


def test_works_in_cross_validation(small_training) -> None:
    from sklearn.model_selection import cross_val_score

    texts, y, _ = small_training
    scores = cross_val_score(RoleFitClassifier(cv=3), texts, y, cv=3, scoring="accuracy")
    assert scores.mean() > 0.5


def test_single_resume_instead_of_a_sequence_is_refused(model) -> None:
    with pytest.raises(ValueError, match="sequence"):
        model.classifier.predict("just one text")


@pytest.mark.parametrize("check", [
    "check_parameters_default_constructible", "check_no_attributes_set_in_init",
    "check_get_params_invariance", "check_set_params", "check_estimator_repr",
    "check_estimator_cloneable", "check_valid_tag_types", "check_mixin_order",
    "check_do_not_raise_errors_in_init_or_set_params",
])
def test_sklearn_estimator_checks_where_they_apply(check: str) -> None:
    # RoleFitClassifier reads résumé texts, not numeric arrays, and says so in its tags, so
    # check_estimator() skips its numeric checks; the API checks below apply and are run one by
    # one. The text-specific contract (fit returns self, clone, predict/predict_proba agree,
    # reproducible fits) is tested above.
    getattr(estimator_checks, check)("RoleFitClassifier", RoleFitClassifier())


def test_tags_declare_text_input() -> None:
    tags = RoleFitClassifier().__sklearn_tags__()
    assert tags.input_tags.string and not tags.input_tags.two_d_array


def test_score_many_in_two_processes_equals_one(model) -> None:
    texts = [SECRETARY_TYPE, ASSISTANT_TYPE, NEITHER_TYPE] * 2
    one = model.score_many(texts, n_process=1, batch_size=2)
    two = model.score_many(texts, n_process=2, batch_size=3)
    for column in ("assistant_fit", "secretary_fit", "best_role", "criteria"):
        assert list(one[column]) == list(two[column])
