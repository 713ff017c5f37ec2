"""`RoleFitClassifier`: raw résumé texts in, a calibrated fit per role and a best role out."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from rolefit.extraction import Extraction
from rolefit.features import ExtractionFeatures, feature_group
from rolefit.ordinal import CumulativeLogisticRegression
from rolefit.scorer import NEITHER, StandardisedLinear, decide

GOOD_FIT = 2  # graded fits: 0 none, 1 weak, 2 good, 3 strong


@lru_cache(maxsize=4)
def _extractor(criteria_path: str | None):
    from rolefit.criteria import load_criteria
    from rolefit.extract import Extractor, default_extractor

    if criteria_path is None:
        return default_extractor()
    from rolefit.pipeline import build_nlp

    return Extractor(build_nlp(load_criteria(criteria_path)))


class RoleFitClassifier(ClassifierMixin, BaseEstimator):
    """Scores each role of the criteria file independently and picks the best role.

    Parameters
    ----------
    C : inverse regularisation strength of each role's logistic model.
    calibration : "sigmoid" or "isotonic", for `CalibratedClassifierCV`.
    cv : folds for calibration and for choosing the "neither" threshold.
    ordinal : learn each role's weights from the whole graded fit (none < weak < good < strong,
        `CumulativeLogisticRegression`) rather than only from good-or-strong vs not; needs
        `role_fits` in `fit`. The fit is the calibrated probability of good or strong either way.
    threshold : fit (0-1) below which no role fits well enough; None learns it from
        out-of-fold predictions (macro-F1 of the primary role).
    criteria_path : criteria file used to extract raw texts (None: the shipped one).
    random_state : seed for the folds.

    `X` is a sequence of résumé texts (`str`), files (`pathlib.Path`) or `Extraction`s; `y` the
    primary role ("assistant", "secretary", "neither"). `fit(X, y, role_fits=...)` takes the
    graded fit (0-3) of each role; without it a role counts as fit where it is the primary role.
    """

    def __init__(self, C: float = 1.0, calibration: str = "sigmoid", cv: int = 5,
                 ordinal: bool = True, threshold: float | None = None,
                 criteria_path: str | None = None, random_state: int = 0) -> None:
        self.C = C
        self.calibration = calibration
        self.cv = cv
        self.ordinal = ordinal
        self.threshold = threshold
        self.criteria_path = criteria_path
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.target_tags.required = True
        return tags

    # -- data ---------------------------------------------------------------------------------
    def extract(self, X) -> list[Extraction]:  # noqa: N803
        """Extractions for the inputs (texts and files are run through the pipeline)."""
        if isinstance(X, str | Path | Extraction):
            raise ValueError("X must be a sequence of résumés, not a single résumé")
        extractor = _extractor(self.criteria_path)
        return [x if isinstance(x, Extraction) else extractor.extract(x) for x in X]

    def _criteria(self):
        from rolefit.criteria import load_criteria

        return load_criteria(self.criteria_path)

    # -- fitting ------------------------------------------------------------------------------
    def fit(self, X, y, role_fits=None):  # noqa: N803
        y = np.asarray(y, dtype=object)
        extractions = self.extract(X)
        if len(extractions) != len(y):
            raise ValueError(f"X has {len(extractions)} résumés but y has {len(y)} labels")
        criteria = self._criteria()
        self.roles_ = criteria.role_ids
        self.classes_ = np.array(sorted([*self.roles_, NEITHER]), dtype=object)
        unknown = set(y) - set(self.classes_)
        if unknown:
            raise ValueError(f"unknown labels {sorted(unknown)}; expected {list(self.classes_)}")
        graded = role_fits is not None
        if role_fits is None:
            role_fits = np.array([[3 if label == role else 0 for role in self.roles_]
                                  for label in y])
        role_fits = np.asarray(role_fits)
        self.features_ = ExtractionFeatures(criteria.ids, {c.id: c.role for c in
                                                           criteria.criteria}).fit(extractions)
        features = self.features_.transform(extractions)
        self.n_features_in_ = features.shape[1]
        self.feature_names_in_ = self.features_.get_feature_names_out()
        self.criteria_sha256_ = criteria.sha256
        self.models_ = {}
        out_of_fold = np.zeros((len(y), len(self.roles_)))
        for j, role in enumerate(self.roles_):
            target = (role_fits[:, j] >= GOOD_FIT).astype(int)
            model = self._role_model(target)
            params = self._grade_params(model, role_fits[:, j] if graded else None)
            self.models_[role] = model.fit(features, target, **params)
            out_of_fold[:, j] = self._out_of_fold(features, target, params)
        self.preference_ = self._fit_preference(features, y, role_fits)
        self.threshold_ = (self.threshold if self.threshold is not None
                           else self._learn_threshold(out_of_fold, y, features))
        decisions = self.decide(out_of_fold, features)
        self.cv_scores_ = {
            "macro_f1": round(float(f1_score(y, decisions, average="macro")), 3),
            "accuracy": round(float(np.mean(decisions == y)), 3),
        }
        return self

    def _fit_preference(self, features: np.ndarray, y: np.ndarray, role_fits: np.ndarray):
        """Which role is primary when several fit: learned from résumés that fit more than one
        role (the brief: D1-D3 evidence decides between equal fits)."""
        several = (role_fits >= GOOD_FIT).sum(axis=1) >= 2
        mask = several & np.isin(y, self.roles_)
        labels, counts = np.unique(y[mask], return_counts=True)
        if len(labels) < 2 or counts.min() < 5:
            return None
        model = make_pipeline(StandardScaler(), LogisticRegression(C=self.C, max_iter=5000))
        return model.fit(features[mask], y[mask])

    def _grade_params(self, model, grades: np.ndarray | None) -> dict:
        """Fit parameters that hand a role's graded fits to its ordinal model."""
        if not self.ordinal or grades is None or isinstance(model, DummyClassifier):
            return {}
        return {"cumulativelogisticregression__grades": grades}

    def _role_model(self, target: np.ndarray):
        if len(np.unique(target)) < 2 or min(np.bincount(target)) < self.cv:
            return DummyClassifier(strategy="prior")
        linear = (CumulativeLogisticRegression(C=self.C, cut=GOOD_FIT) if self.ordinal
                  else LogisticRegression(C=self.C, max_iter=5000))
        base = make_pipeline(StandardScaler(), linear)
        folds = StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state)
        return CalibratedClassifierCV(base, method=self.calibration, cv=folds, ensemble=False)

    def _out_of_fold(self, features: np.ndarray, target: np.ndarray,
                     params: dict) -> np.ndarray:
        model = self._role_model(target)
        if isinstance(model, DummyClassifier):
            return np.full(len(target), target.mean())
        folds = StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state + 1)
        return cross_val_predict(model, features, target, cv=folds, method="predict_proba",
                                 params=params)[:, 1]

    def _learn_threshold(self, fits: np.ndarray, y: np.ndarray, features: np.ndarray) -> float:
        best, best_score = 0.5, -1.0
        for threshold in np.round(np.arange(0.2, 0.81, 0.025), 3):
            score = f1_score(y, self.decide(fits, features, threshold), average="macro")
            if score > best_score:
                best, best_score = float(threshold), score
        return best

    def decide(self, fits: np.ndarray, features: np.ndarray,
               threshold: float | None = None) -> np.ndarray:
        """The best role: "neither" when no fit reaches the threshold, the one role that does,
        or, when several do, the one the preference model picks among them."""
        return decide(self.roles_, fits, features,
                      self.threshold_ if threshold is None else threshold, self.preference_)

    # -- prediction ---------------------------------------------------------------------------
    def features(self, X) -> np.ndarray:  # noqa: N803
        check_is_fitted(self)
        return self.features_.transform(self.extract(X))

    def fits_from_features(self, features: np.ndarray) -> np.ndarray:
        """Calibrated probability (0-1) that each role fits (graded good or strong)."""
        columns = []
        for role in self.roles_:
            model = self.models_[role]
            proba = model.predict_proba(features)
            positive = list(model.classes_).index(1) if 1 in model.classes_ else None
            columns.append(proba[:, positive] if positive is not None else np.zeros(len(proba)))
        return np.column_stack(columns)

    def predict_fits(self, X) -> np.ndarray:  # noqa: N803
        """Per-role fits in [0, 1], columns in the order of `roles_`."""
        return self.fits_from_features(self.features(X))

    def predict(self, X) -> np.ndarray:  # noqa: N803
        features = self.features(X)
        return self.decide(self.fits_from_features(features), features)

    def predict_proba(self, X) -> np.ndarray:  # noqa: N803
        """Class scores in the order of `classes_`, summing to 1: each role's fit and the learned
        threshold for "neither", adjusted so that the arg-max is `predict`. These are scores,
        not calibrated probabilities: the calibrated quantities are `predict_fits`."""
        features = self.features(X)
        fits = self.fits_from_features(features)
        decisions = self.decide(fits, features)
        scores = np.zeros((len(fits), len(self.classes_)))
        for j, role in enumerate(self.roles_):
            scores[:, list(self.classes_).index(role)] = fits[:, j]
        scores[:, list(self.classes_).index(NEITHER)] = self.threshold_
        scores = scores / scores.sum(axis=1, keepdims=True)
        # where the preference model chose among several fitting roles, its choice leads
        for i, decision in enumerate(decisions):
            k = list(self.classes_).index(decision)
            if scores[i].argmax() != k:
                scores[i, k] = scores[i].max() + 1e-6
                scores[i] /= scores[i].sum()
        return scores

    def linear_parts(self, role: str) -> StandardisedLinear | None:
        """The standardising and logistic model a role's calibration reads (None: constant)."""
        model = self.models_[role]
        if not hasattr(model, "calibrated_classifiers_"):
            return None
        pipeline = model.calibrated_classifiers_[0].estimator
        scaler, linear = pipeline[0], pipeline[-1]
        return StandardisedLinear(scaler.mean_, scaler.scale_, linear.coef_, linear.intercept_,
                                  linear.classes_)

    def coefficients(self, role: str) -> dict[str, float]:
        """Each feature's weight in a role's (uncalibrated) linear model, per standardised unit."""
        check_is_fitted(self)
        model = self.models_[role]
        if isinstance(model, DummyClassifier):
            return dict.fromkeys(self.feature_names_in_, 0.0)
        pipeline = model.calibrated_classifiers_[0].estimator
        weights = pipeline[-1].coef_[0]
        return dict(zip(self.feature_names_in_, weights.tolist(), strict=True))

    def feature_weights(self):
        """The model's global view as a tidy pandas DataFrame, one row per (role, feature).

        Columns: `role`, `feature` (as in `feature_names_in_`), `group` (the criterion id such as
        `S3`, or a prefix such as `knowledge`, `skills`, `role:assistant`) and `weight`: the
        feature's coefficient in the role's logistic model fitted on all training résumés (the
        estimator that `CalibratedClassifierCV(ensemble=False)` calibrates), in log-odds per
        standard deviation of the feature. The calibration map is increasing, so a positive
        weight raises the fit. A role with a constant model has zero weights."""
        import pandas as pd

        check_is_fitted(self)
        rows = [{"role": role, "feature": name, "group": feature_group(name), "weight": weight}
                for role in self.roles_ for name, weight in self.coefficients(role).items()]
        return pd.DataFrame(rows, columns=["role", "feature", "group", "weight"])
