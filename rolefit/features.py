"""Extraction → feature matrix: the scikit-learn transformer around `rolefit.feature_rows`
(per-criterion evidence strength, knowledge level, experience, skills; job titles are never a
feature)."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from rolefit.feature_rows import (  # noqa: F401  (the names this module has always offered)
    DUTY_SECTIONS,
    EDUCATION_RANK,
    MAX_COUNT,
    SKILL_CATEGORIES,
    criterion_features,
    extraction_features,
    feature_group,
    feature_names,
)


class ExtractionFeatures(TransformerMixin, BaseEstimator):
    """Transforms a list of `Extraction` objects into a numeric matrix.

    `criteria_ids` and `roles` (criterion id → role) fix the columns; `fit` only records them."""

    def __init__(self, criteria_ids: list[str] | None = None,
                 roles: dict[str, str] | None = None) -> None:
        self.criteria_ids = criteria_ids
        self.roles = roles

    def fit(self, X, y=None):  # noqa: N803 (scikit-learn's argument name)
        ids, roles = self._columns()
        self.feature_names_ = feature_names(ids, roles)
        self.n_features_out_ = len(self.feature_names_)
        return self

    def _columns(self) -> tuple[list[str], dict[str, str]]:
        if self.criteria_ids is None or self.roles is None:
            from rolefit.criteria import load_criteria

            criteria = load_criteria()
            return criteria.ids, {c.id: c.role for c in criteria.criteria}
        return list(self.criteria_ids), dict(self.roles)

    def transform(self, X) -> np.ndarray:  # noqa: N803
        ids, roles = self._columns()
        return np.array([extraction_features(x, ids, roles) for x in X], dtype=float)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.array(self.feature_names_, dtype=object)
