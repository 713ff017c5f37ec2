"""Scoring without scikit-learn: the numpy stand-ins give the same numbers, to the bit, as the
scikit-learn and scipy calls they replace, and loading the model imports neither."""

from __future__ import annotations

import csv
import dataclasses
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse
from scipy.special import expit
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize

from rolefit.artefact import Record, Unsupported, read_skops, read_skops_records
from rolefit.pipeline.classifier import LinearDutyModel
from rolefit.pipeline.ngrams import WORD_TOKEN
from rolefit.resources import models_path
from rolefit.scorer import RoleScorer, _expit
from rolefit.scoring import SKOPS_FILE

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def duty_model() -> LinearDutyModel:
    return LinearDutyModel.load(models_path("duty_classifier"))


@pytest.fixture(scope="module")
def lines() -> list[str]:
    """Every line of the development résumés, lower-cased, and a few degenerate ones."""
    out = [line.strip().lower() for path in sorted((ROOT / "data/dev/resumes").glob("*.txt"))
           for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [*out, "", "a", "x  y", "résumé – naïve café", "meetings meetings meetings"]


@pytest.fixture(scope="module")
def models():
    """(numpy scorer, scikit-learn classifier) of the shipped model."""
    artefact = models_path() / SKOPS_FILE
    return RoleScorer.from_record(read_skops_records(artefact)), read_skops(artefact)


def _sklearn_duty_proba(model: LinearDutyModel, lemmas: list[str], surface: list[str]):
    word = CountVectorizer(vocabulary=model.word_vocab, ngram_range=(1, 2),
                           token_pattern=WORD_TOKEN, lowercase=False)
    char = CountVectorizer(vocabulary=model.char_vocab, analyzer="char_wb", ngram_range=(3, 5),
                           lowercase=False)
    weights = []
    for counts, idf in ((word.transform(lemmas), model.word_idf),
                        (char.transform(surface), model.char_idf)):
        tfidf = TfidfTransformer(sublinear_tf=True)
        tfidf.idf_ = idf
        weights.append(tfidf.transform(counts))
    x = normalize(sparse.hstack(weights).tocsr())
    return x, 1.0 / (1.0 + np.exp(-(x @ model.coef.T + model.intercept)))


def test_duty_features_and_probabilities_equal_scikit_learn_to_the_bit(duty_model, lines):
    surface = lines
    lemmas = [" ".join(reversed(line.split())) for line in lines]  # word n-grams differ
    expected_x, expected = _sklearn_duty_proba(duty_model, lemmas, surface)
    rows = duty_model.features(lemmas, surface)
    assert np.array_equal(rows.indptr, expected_x.indptr)
    assert np.array_equal(rows.columns, expected_x.indices)
    assert np.array_equal(rows.values, expected_x.data)
    got = duty_model.predict_proba(lemmas, surface)
    assert got.shape == expected.shape and np.array_equal(got, expected)
    assert duty_model.predict_proba([], []).shape == (0, len(duty_model.labels))


def test_ngram_counts_equal_count_vectorizer(duty_model, lines):
    char = CountVectorizer(vocabulary=duty_model.char_vocab, analyzer="char_wb",
                           ngram_range=(3, 5), lowercase=False).transform(lines)
    assert np.array_equal(duty_model.char_counter.transform(lines).to_dense(), char.toarray())


def test_expit_equals_scipy_to_the_bit() -> None:
    values = np.random.default_rng(1).normal(scale=8, size=100_000)
    assert np.array_equal(_expit(values), expit(values))


def _features(n: int, width: int, seed: int) -> np.ndarray:
    """Feature rows like real ones: counts, flags, shares and a few larger values."""
    rng = np.random.default_rng(seed)
    features = rng.choice([0.0, 1.0, np.log1p(2), 0.3, 2.5], size=(n, width))
    return features + rng.normal(scale=0.1, size=(n, width)) * (rng.random((n, width)) < 0.3)


def test_role_scorer_equals_the_classifier(models) -> None:
    scorer, classifier = models
    features = _features(500, len(scorer.feature_names_in_), 2)
    fits = scorer.fits_from_features(features)
    assert np.array_equal(fits, classifier.fits_from_features(features))
    assert np.array_equal(scorer.decide(fits, features), classifier.decide(fits, features))
    # the thresholds and the preference model are exercised, not only the easy cases
    assert len(set(scorer.decide(fits, features))) == 3
    assert scorer.roles_ == classifier.roles_
    assert list(scorer.feature_names_in_) == list(classifier.feature_names_in_)
    for role in scorer.roles_:
        ours, theirs = scorer.linear_parts(role), classifier.linear_parts(role)
        assert np.array_equal(ours.coef, theirs.coef) and np.array_equal(ours.mean, theirs.mean)


def test_role_scorer_from_built_objects_equals_the_one_from_records(models) -> None:
    scorer, classifier = models
    features = _features(50, len(scorer.feature_names_in_), 3)
    from_objects = RoleScorer.from_classifier(classifier)
    assert np.array_equal(from_objects.fits_from_features(features),
                          scorer.fits_from_features(features))


def test_a_model_built_otherwise_is_not_read_by_the_scorer(models) -> None:
    record = read_skops_records(models_path() / SKOPS_FILE)
    role = next(iter(record.state["models_"]))
    calibrated = record.state["models_"][role].state["calibrated_classifiers_"][0]
    isotonic = dataclasses.replace(calibrated, state={**calibrated.state, "method": "isotonic"})
    model = record.state["models_"][role]
    changed = Record(model.type, {**model.state, "calibrated_classifiers_": [isotonic]})
    with pytest.raises(Unsupported):
        RoleScorer.from_record(Record(record.type, {
            **record.state, "models_": {**record.state["models_"], role: changed}}))


def test_loading_and_scoring_import_neither_scikit_learn_nor_scipy_nor_pandas() -> None:
    code = ("import sys, rolefit; m = rolefit.load(); r = m.score('Managed the diary and "
            "took minutes at board meetings.'); assert r.status == 'ok'; "
            "print(sorted({n.split('.')[0] for n in sys.modules} & "
            "{'sklearn', 'scipy', 'pandas', 'skops', 'matplotlib', 'joblib', 'jsonschema'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_the_estimator_is_built_when_asked_for_and_agrees() -> None:
    import rolefit

    model = rolefit.load()
    texts = [path.read_text(encoding="utf-8")
             for path in sorted((ROOT / "data/dev/resumes").glob("*.txt"))[:20]]
    extractions = [model.extractor.extract(text) for text in texts]
    features = model.scorer.features_.transform(extractions)
    assert np.array_equal(features, model.classifier.features_.transform(extractions))
    assert np.array_equal(model.scorer.fits_from_features(features),
                          model.classifier.fits_from_features(features))
    assert isinstance(model.classifier, rolefit.RoleFitClassifier)


@pytest.mark.shared
def test_real_resumes_score_the_same_with_the_estimator(shared_data: Path) -> None:
    import rolefit

    model = rolefit.load()
    csv.field_size_limit(10_000_000)
    with (shared_data / "livecareer" / "resumes.csv").open(encoding="utf-8") as handle:
        texts = [row["text"] for _, row in zip(range(120), csv.DictReader(handle), strict=False)]
    extractions = [model.extractor.extract(text) for text in texts]
    features = model.scorer.features_.transform(extractions)
    fits = model.scorer.fits_from_features(features)
    assert np.array_equal(fits, model.classifier.fits_from_features(features))
    assert np.array_equal(model.scorer.decide(fits, features),
                          model.classifier.decide(fits, features))


def test_lemma_table_read_directly_equals_spacys_lookups() -> None:
    import spacy
    from spacy.lookups import load_lookups

    from rolefit.pipeline.lemmas import LowerLemmatizer

    lemmatizer = LowerLemmatizer(spacy.blank("en"))
    lemmatizer.initialize()
    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    assert isinstance(lemmatizer.table, dict) and len(lemmatizer.table) == len(table)
    assert all(table.get(word) == lemma for word, lemma in lemmatizer.table.items())
    copy = LowerLemmatizer(spacy.blank("en")).from_bytes(lemmatizer.to_bytes())
    words = ["Minutes", "kept", "diaries", "organising", "zzzq"]
    assert [copy.lemma(w) for w in words] == [lemmatizer.lemma(w) for w in words]
    assert lemmatizer.lemma("Minutes") == "minute" and lemmatizer.lemma("zzzq") == "zzzq"


def test_row_sums_add_each_rows_terms_in_order_as_a_loop_does() -> None:
    """The compiled loop that scipy runs adds a row's terms one after another; floating-point
    addition is not associative, so a pairwise or reordered sum would differ in the last bits."""
    from rolefit.pipeline.ngrams import Rows, dot, l2_normalise

    rng = np.random.default_rng(0)
    for lengths in ([0, 0], [1], [1000], [3, 0, 700, 2, 2], list(rng.integers(0, 300, size=40))):
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        size = int(indptr[-1])
        values = rng.standard_normal(size) * 10.0 ** rng.integers(-8, 8, size=size)
        columns = rng.integers(0, 50, size=size)
        rows = Rows(values, columns, indptr, 50)
        dense = rng.standard_normal((50, 3))
        expected = np.zeros((len(lengths), 3))
        squares = np.zeros(len(lengths))
        for r in range(len(lengths)):
            for k in range(indptr[r], indptr[r + 1]):
                for c in range(3):
                    expected[r, c] = expected[r, c] + values[k] * dense[columns[k], c]
                squares[r] = squares[r] + values[k] * values[k]
        assert np.array_equal(dot(rows, dense), expected)
        norms = np.sqrt(squares)
        norms[norms == 0.0] = 1.0
        assert np.array_equal(l2_normalise(rows).values,
                              values / np.repeat(norms, np.diff(indptr)))
