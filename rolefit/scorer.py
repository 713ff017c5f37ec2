"""A fitted `RoleFitClassifier` scored with numpy alone, so that loading the model and scoring
do not import scikit-learn (about half of the cold start).

`RoleScorer` is read from the state of the classifier's objects (`rolefit.artefact.Record`s,
or the built estimators) and offers what scoring uses: `features_.transform`,
`fits_from_features`, `decide`, `roles_`, `feature_names_in_`. Each step repeats the
arithmetic of the scikit-learn call it stands for, in the same order (`StandardScaler`, then
`LogisticRegression.decision_function`, then `_SigmoidCalibration`, averaged over the
calibrated classifiers as `CalibratedClassifierCV.predict_proba` does), so the fits are the
same to the bit (`tests/test_fast_scoring.py`). A model built otherwise (isotonic calibration,
more than two classes) raises `Unsupported`, and scoring then uses the estimators themselves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from rolefit.artefact import Record, Unsupported
from rolefit.feature_rows import extraction_features

NEITHER = "neither"
CLASSIFIER = "rolefit.model.RoleFitClassifier"


@dataclass(frozen=True)
class StandardisedLinear:
    """`make_pipeline(StandardScaler(), LogisticRegression())` (or the ordinal
    `CumulativeLogisticRegression`, the same decision function), binary."""

    mean: np.ndarray | None
    scale: np.ndarray | None
    coef: np.ndarray  # shape (1, n_features), as `coef_`
    intercept: np.ndarray
    classes_: np.ndarray

    def decision_function(self, features: np.ndarray) -> np.ndarray:
        x = np.array(features, dtype=np.float64)
        if self.mean is not None:
            x -= self.mean
        if self.scale is not None:
            x /= self.scale
        return (x @ self.coef.T + self.intercept).reshape(-1)

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        positive = _expit(self.decision_function(features))
        return np.stack([1 - positive, positive], axis=1)


@dataclass(frozen=True)
class RoleModel:
    """One role's calibrated probability of a good fit (class 1): sigmoid-calibrated linear
    models averaged, or a constant (a `DummyClassifier` prior)."""

    calibrated: tuple[tuple[StandardisedLinear, float, float], ...]  # (model, a_, b_)
    constant: float | None = None

    def fit(self, features: np.ndarray) -> np.ndarray:
        if self.constant is not None:
            return np.ones(len(features)) * self.constant
        total = np.zeros(len(features))
        for linear, a, b in self.calibrated:
            positive = _expit(-(a * linear.decision_function(features) + b))
            positive[(positive > 1.0) & (positive <= 1.0 + 1e-5)] = 1.0
            total += positive
        total /= len(self.calibrated)
        return total

    def linear_parts(self) -> StandardisedLinear | None:
        """The linear model the first calibrator reads (what the explanations weigh)."""
        return self.calibrated[0][0] if self.calibrated else None


@dataclass(frozen=True)
class FeatureRows:
    """`ExtractionFeatures.transform`."""

    criteria_ids: list[str]
    roles: dict[str, str]

    def transform(self, extractions) -> np.ndarray:
        return np.array([extraction_features(x, self.criteria_ids, self.roles)
                         for x in extractions], dtype=float)


@dataclass(frozen=True)
class RoleScorer:
    features_: FeatureRows
    roles_: list[str]
    classes_: np.ndarray
    feature_names_in_: np.ndarray
    models_: dict[str, RoleModel]
    preference_: StandardisedLinear | None
    threshold_: float

    @classmethod
    def from_record(cls, record: Record) -> RoleScorer:
        """From the saved state of a `RoleFitClassifier` (raises `Unsupported`)."""
        state = _state(record, CLASSIFIER)
        preference = state["preference_"]
        return cls(
            features_=_feature_rows(state["features_"]),
            roles_=list(state["roles_"]),
            classes_=state["classes_"],
            feature_names_in_=state["feature_names_in_"],
            models_={role: _role_model(model) for role, model in state["models_"].items()},
            preference_=None if preference is None else _linear(preference),
            threshold_=float(state["threshold_"]),
        )

    @classmethod
    def from_classifier(cls, classifier) -> RoleScorer:
        """From a built `RoleFitClassifier` (raises `Unsupported`)."""
        return cls.from_record(as_record(classifier))

    def fits_from_features(self, features: np.ndarray) -> np.ndarray:
        """Calibrated probability (0-1) that each role fits, columns in `roles_` order."""
        return np.column_stack([self.models_[role].fit(features) for role in self.roles_])

    def decide(self, fits: np.ndarray, features: np.ndarray,
               threshold: float | None = None) -> np.ndarray:
        return decide(self.roles_, fits, features,
                      self.threshold_ if threshold is None else threshold, self.preference_)

    def linear_parts(self, role: str) -> StandardisedLinear | None:
        return self.models_[role].linear_parts()


def decide(roles: list[str], fits: np.ndarray, features: np.ndarray, threshold: float,
           preference) -> np.ndarray:
    """The best role: "neither" when no fit reaches the threshold, the one role that does,
    or, when several do, the one the preference model (`predict_proba`, `classes_`) picks."""
    names = np.array(roles, dtype=object)
    decisions = names[np.argmax(fits, axis=1)].copy()
    fitting = fits >= threshold
    decisions[~fitting.any(axis=1)] = NEITHER
    several = fitting.sum(axis=1) >= 2
    if preference is not None and several.any():
        proba = preference.predict_proba(features[several])
        order = list(preference.classes_)
        picks = []
        for row, allowed in zip(proba, fitting[several], strict=True):
            scores = {r: row[order.index(r)] if r in order else -1.0
                      for r, ok in zip(roles, allowed, strict=True) if ok}
            picks.append(max(scores, key=scores.get))
        decisions[several] = picks
    return decisions


def as_record(value: Any) -> Any:
    """A built object tree as `Record`s (an object's state is its `__getstate__`)."""
    if isinstance(value, list | tuple):
        return type(value)(as_record(v) for v in value)
    if isinstance(value, dict):
        return {k: as_record(v) for k, v in value.items()}
    if hasattr(value, "__dict__") and not isinstance(value, type):
        kind = type(value)
        state = value.__getstate__() if hasattr(value, "__getstate__") else vars(value)
        return Record(f"{kind.__module__}.{kind.__qualname__}", as_record(dict(state or {})))
    return value


def _expit(values: np.ndarray) -> np.ndarray:
    # the same to the bit as scipy.special.expit (checked in the tests)
    return 1.0 / (1.0 + np.exp(-values))


def _state(record: Any, *types: str) -> dict:
    if not isinstance(record, Record) or record.type not in types:
        found = record.type if isinstance(record, Record) else type(record).__name__
        raise Unsupported(f"expected {' or '.join(types)}, found {found}")
    return record.state


def _feature_rows(record: Any) -> FeatureRows:
    state = _state(record, "rolefit.features.ExtractionFeatures")
    ids, roles = state.get("criteria_ids"), state.get("roles")
    if ids is None or roles is None:
        from rolefit.criteria import load_criteria

        criteria = load_criteria()
        ids, roles = criteria.ids, {c.id: c.role for c in criteria.criteria}
    return FeatureRows(list(ids), dict(roles))


def _linear(record: Any) -> StandardisedLinear:
    steps = _state(record, "sklearn.pipeline.Pipeline")["steps"]
    if len(steps) != 2:
        raise Unsupported("a pipeline other than scaler + logistic regression")
    scaler = _state(steps[0][1], "sklearn.preprocessing._data.StandardScaler")
    logistic = _state(steps[1][1], "sklearn.linear_model._logistic.LogisticRegression",
                      "rolefit.ordinal.CumulativeLogisticRegression")
    coef = np.asarray(logistic["coef_"])
    if coef.ndim != 2 or coef.shape[0] != 1 or len(logistic["classes_"]) != 2:
        raise Unsupported("a logistic regression with more than two classes")
    return StandardisedLinear(
        mean=scaler.get("mean_") if scaler.get("with_mean", True) else None,
        scale=scaler.get("scale_") if scaler.get("with_std", True) else None,
        coef=coef, intercept=np.asarray(logistic["intercept_"]),
        classes_=np.asarray(logistic["classes_"]))


def _role_model(record: Any) -> RoleModel:
    if isinstance(record, Record) and record.type == "sklearn.dummy.DummyClassifier":
        state = record.state
        if state.get("strategy") != "prior" or state.get("n_outputs_", 1) != 1:
            raise Unsupported("a dummy classifier other than the prior")
        classes = list(state["classes_"])
        prior = float(state["class_prior_"][classes.index(1)]) if 1 in classes else 0.0
        return RoleModel((), constant=prior)
    state = _state(record, "sklearn.calibration.CalibratedClassifierCV")
    if list(state["classes_"]) != [0, 1]:
        raise Unsupported("a role model whose classes are not 0 and 1")
    calibrated = []
    for item in state["calibrated_classifiers_"]:
        part = _state(item, "sklearn.calibration._CalibratedClassifier")
        linear = _linear(part["estimator"])
        if (part.get("method") != "sigmoid" or len(part["calibrators"]) != 1
                or list(part["classes"]) != [0, 1] or list(linear.classes_) != [0, 1]):
            raise Unsupported("a calibration other than one sigmoid")
        sigmoid = _state(part["calibrators"][0], "sklearn.calibration._SigmoidCalibration")
        calibrated.append((linear, sigmoid["a_"], sigmoid["b_"]))
    if not calibrated:
        raise Unsupported("no calibrated classifier")
    return RoleModel(tuple(calibrated))
