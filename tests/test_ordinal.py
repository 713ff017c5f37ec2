"""`CumulativeLogisticRegression`: a binary classifier that learns from the whole grade."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import parametrize_with_checks

from rolefit.ordinal import CumulativeLogisticRegression


@parametrize_with_checks([CumulativeLogisticRegression()])
def test_sklearn_estimator_checks(estimator, check) -> None:
    check(estimator)


def _graded(seed: int = 0, n: int = 400):
    """Feature 0 tells grade 0 from 1 (and above); feature 1 tells 0-1 from 2-3."""
    rng = np.random.default_rng(seed)
    grades = rng.integers(0, 4, n)
    X = np.column_stack([(grades >= 1) + rng.normal(0, 0.7, n),  # noqa: N806
                         2.0 * (grades >= 2) + rng.normal(0, 0.7, n)])
    return X, (grades >= 2).astype(int), grades


def test_without_grades_it_is_a_logistic_regression() -> None:
    X, y, _ = _graded()  # noqa: N806
    ours = CumulativeLogisticRegression(C=0.5).fit(X, y)
    theirs = LogisticRegression(C=0.5, max_iter=5000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-4)
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), rtol=1e-4)


def test_grades_below_the_cut_shape_the_weights() -> None:
    X, y, grades = _graded()  # noqa: N806
    binary = CumulativeLogisticRegression().fit(X, y)
    ordinal = CumulativeLogisticRegression().fit(X, y, grades=grades)
    # only the ordinal fit sees that feature 0 separates grade 0 from grade 1
    assert ordinal.coef_[0, 0] / ordinal.coef_[0, 1] > 2 * binary.coef_[0, 0] / binary.coef_[0, 1]
    X_new, _, grades_new = _graded(seed=1)  # noqa: N806
    low = grades_new <= 1
    scores = ordinal.decision_function(X_new[low])
    assert scores[grades_new[low] == 1].mean() > scores[grades_new[low] == 0].mean() + 1.0


def test_one_intercept_per_cut_and_the_cut_decides() -> None:
    X, y, grades = _graded()  # noqa: N806
    model = CumulativeLogisticRegression(cut=2).fit(X, y, grades=grades)
    assert list(model.cuts_) == [1, 2, 3]
    assert model.cut_intercepts_[0] > model.cut_intercepts_[1] > model.cut_intercepts_[2]
    assert model.cut_intercepts_[1] == pytest.approx(model.intercept_[0])
    np.testing.assert_allclose(model.decision_function(X), X @ model.coef_[0] + model.intercept_)
    assert ((model.predict(X) == 1) == (model.decision_function(X) > 0)).all()


def test_labels_must_agree_with_the_grades() -> None:
    X, y, grades = _graded()  # noqa: N806
    with pytest.raises(ValueError, match="grade >= 3"):
        CumulativeLogisticRegression(cut=3).fit(X, y, grades=grades)
    with pytest.raises(ValueError, match="shape"):
        CumulativeLogisticRegression().fit(X, y, grades=grades[:-1])
