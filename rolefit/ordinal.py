"""`CumulativeLogisticRegression`: a binary "grade >= cut" classifier that learns from the
whole ordinal grade (none, weak, good, strong), not only from which side of the cut it is on."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data


class CumulativeLogisticRegression(ClassifierMixin, BaseEstimator):
    """Binary logistic regression for "grade >= `cut`", fitted on the grades when given.

    With `fit(X, y, grades=...)` one weight vector is shared by every cut-point of the grades
    (a cumulative logit model: one logistic regression on the samples repeated once per
    cut-point k, target "grade >= k", with an offset per cut-point), so samples graded 0 vs 1
    or 2 vs 3 shape the weights as well; `decision_function` is that of the cut-point `cut`,
    and `y` must be "grade >= cut". Without `grades` it is `LogisticRegression(C=C)`.

    Attributes: `classes_`, `coef_` (1, n_features), `intercept_` (1,: that of `cut`), `cuts_`
    (the cut-points fitted) and `cut_intercepts_` (the intercept of each), `n_iter_`,
    `n_features_in_`.
    """

    def __init__(self, C: float = 1.0, cut: int = 2, max_iter: int = 5000) -> None:
        self.C = C
        self.cut = cut
        self.max_iter = max_iter

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def fit(self, X, y, grades=None):  # noqa: N803
        X, y = validate_data(self, X, y)  # noqa: N806
        check_classification_targets(y)
        target_type = type_of_target(y, input_name="y", raise_unknown=True)
        if target_type != "binary":
            raise ValueError("Only binary classification is supported. The type of the target "
                             f"is {target_type}.")
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError(f"two classes are needed, but y holds one class: {self.classes_[0]!r}")
        positive = (y == self.classes_[1]).astype(int)
        rows, targets, others = X, positive, []
        if grades is not None:
            rows, targets, others = self._expand(X, positive, np.asarray(grades))
        model = LogisticRegression(C=self.C, max_iter=self.max_iter).fit(rows, targets)
        n = X.shape[1]
        self.coef_ = model.coef_[:, :n].copy()
        self.intercept_ = model.intercept_.copy()
        self.n_iter_ = model.n_iter_
        offsets = dict(zip(others, model.coef_[0, n:].tolist(), strict=True)) | {self.cut: 0.0}
        self.cuts_ = np.array(sorted(offsets))
        self.cut_intercepts_ = np.array([self.intercept_[0] + offsets[k] for k in self.cuts_])
        return self

    def _expand(self, X, positive: np.ndarray, grades: np.ndarray):  # noqa: N803
        if grades.shape != positive.shape:
            raise ValueError(f"grades has shape {grades.shape}; y has {positive.shape}")
        if not np.array_equal(grades >= self.cut, positive.astype(bool)):
            raise ValueError(f"y must be the positive class exactly where grade >= {self.cut}")
        cuts = [int(k) for k in np.unique(grades)[1:]]
        if self.cut not in cuts:
            cuts = sorted({*cuts, self.cut})
        others = [k for k in cuts if k != self.cut]
        blocks, targets = [], []
        for k in cuts:
            indicator = np.zeros((len(X), len(others)))
            if k != self.cut:
                indicator[:, others.index(k)] = 1.0
            blocks.append(np.hstack([X, indicator]))
            targets.append((grades >= k).astype(int))
        return np.vstack(blocks), np.concatenate(targets), others

    def decision_function(self, X) -> np.ndarray:  # noqa: N803
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)  # noqa: N806
        return (X @ self.coef_.T + self.intercept_).ravel()

    def predict_proba(self, X) -> np.ndarray:  # noqa: N803
        positive = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - positive, positive])

    def predict(self, X) -> np.ndarray:  # noqa: N803
        check_is_fitted(self)
        return self.classes_[(self.decision_function(X) > 0).astype(int)]

