"""Scoring: `load()` the shipped model, `score` one résumé, `score_many` a batch, with reasons."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from rolefit import __version__
from rolefit.errors import ModelError, ModelMismatch, RolefitError
from rolefit.extract import Extractor
from rolefit.extraction import SCHEMA_VERSION, Evidence, Extraction
from rolefit.feature_rows import criterion_features, feature_group
from rolefit.resources import models_path
from rolefit.scorer import CLASSIFIER, NEITHER, RoleScorer

MODEL_FILE = "rolefit_model.joblib"  # legacy format: a pickle
SKOPS_FILE = "rolefit_model.skops"  # current format: built from an audited list of types
META_FILE = "rolefit_model.json"
# The types a rolefit artefact may hold beyond those skops trusts by default (numpy, builtins,
# public scikit-learn estimators). A .skops file holding any other type is refused unbuilt.
TRUSTED_TYPES = [
    "rolefit.features.ExtractionFeatures",
    "rolefit.model.RoleFitClassifier",
    "rolefit.ordinal.CumulativeLogisticRegression",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.model_selection._split.StratifiedKFold",
]
STRONG_MODEL_SCORE = 0.7
WEAK_SECTIONS = {"skills", "education", "certifications", "languages"}


@dataclass(frozen=True)
class CriterionStatus:
    """How well one criterion is evidenced: met, weak or missing, with quotes."""

    criterion: str
    role: str
    title: str
    status: str
    evidence: list[str]


@dataclass(frozen=True)
class Reason:
    """A criterion (or knowledge/experience/skills group) that moved a role's score."""

    role: str
    factor: str
    effect: float  # log-odds contribution against an average training résumé


@dataclass(frozen=True)
class Suggestion:
    """Missing evidence that would most raise a role's fit."""

    role: str
    criterion: str
    title: str
    fit_if_evidenced: float
    gain: float


@dataclass(frozen=True)
class Explanation:
    criteria: list[CriterionStatus]
    raised: list[Reason]
    lowered: list[Reason]
    suggestions: list[Suggestion]


@dataclass
class FitResult:
    """The scored résumé. Fits are 0-100: the calibrated chance that the role fits well."""

    id: str
    status: str = "ok"
    error: str = ""
    error_kind: str = ""
    assistant_fit: float | None = None
    secretary_fit: float | None = None
    best_role: str | None = None
    fits: dict[str, float] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    explanation: Explanation | None = None
    sha256: str = ""
    schema_version: str = SCHEMA_VERSION

    @property
    def criteria(self) -> list[str]:
        return list(dict.fromkeys(e.criterion for e in self.evidence))

    def to_dict(self) -> dict:
        data = asdict(self)
        data["criteria"] = self.criteria
        return data


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_sha256(artefact: Path, meta: dict) -> None:
    actual = _sha256(artefact)
    if actual != meta.get("artefact_sha256"):
        raise ModelMismatch(
            f"refusing to load {artefact}: its SHA-256 {actual[:12]}… does not match the "
            f"{str(meta.get('artefact_sha256'))[:12]}… recorded in {META_FILE} (a model file can "
            "run code when loaded: load only artefacts you built or trust)")


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def _sklearn_version() -> str:
    """The installed scikit-learn's version, without importing it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("scikit-learn")
    except PackageNotFoundError:
        return ""


def verify(folder: Path) -> dict:
    """Check an artefact against its metadata before anything is unpickled."""
    from rolefit.criteria import load_criteria

    meta_path = folder / META_FILE
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the model metadata {meta_path}: {exc}") from None
    artefact = folder / meta.get("artefact", MODEL_FILE)
    if not artefact.exists():
        raise ModelError(f"the model artefact {artefact} is missing")
    _check_sha256(artefact, meta)
    installed = _sklearn_version()
    if _minor(meta.get("sklearn_version", "")) != _minor(installed):
        raise ModelMismatch(
            f"the model was trained with scikit-learn {meta.get('sklearn_version')}, this is "
            f"{installed or 'not installed'}; retrain with `rolefit train` or install the same "
            "version")
    if _minor(meta.get("rolefit_version", "")) != _minor(__version__):
        raise ModelMismatch(f"the model was trained with rolefit {meta.get('rolefit_version')}, "
                            f"this is {__version__}")
    criteria = load_criteria()
    if meta.get("criteria_sha256") != criteria.sha256:
        raise ModelMismatch(f"the criteria file {criteria.path} changed since the model was "
                            "trained; retrain with `rolefit train`")
    return meta


class RoleFitModel:
    """A loaded model: the extraction pipeline and the role-fit classifier.

    Scoring uses `scorer`, the classifier's numbers in numpy (`rolefit.scorer`);
    `classifier`, the scikit-learn `RoleFitClassifier` itself, is built on first use."""

    def __init__(self, classifier, extractor: Extractor, meta: dict | None = None,
                 folder: Path | None = None, scorer=None) -> None:
        self._classifier = classifier
        self.scorer = scorer if scorer is not None else _scorer_of(classifier)
        self.extractor = extractor
        self.meta = meta or {}
        self.folder = folder
        self.criteria = extractor.criteria

    @property
    def classifier(self):
        """The `RoleFitClassifier` (scikit-learn estimators), read from the artefact once
        asked for; its SHA-256 is checked again first."""
        if self._classifier is None:
            artefact = self.folder / self.meta.get("artefact", MODEL_FILE)
            _check_sha256(artefact, self.meta)
            self._classifier = _read_artefact(artefact, self.folder)
        return self._classifier

    @property
    def roles(self) -> list[str]:
        return list(self.scorer.roles_)

    # -- one résumé ---------------------------------------------------------------------------
    def score(self, source: str | Path, id: str | None = None) -> FitResult:  # noqa: A002
        """Score one résumé: a `Path` is read as a file, a `str` is the résumé's text."""
        extraction = self.extractor.extract(source)
        return self.from_extractions([extraction], [id or extraction.source], explain=True)[0]

    def from_extractions(self, extractions: list[Extraction], ids: list[str],
                         explain: bool = False) -> list[FitResult]:
        """Results for extractions; `explain` adds the (costlier) explanation to each."""
        features = self.scorer.features_.transform(extractions)
        fits = self.scorer.fits_from_features(features)
        decisions = self.scorer.decide(fits, features)
        results = []
        for extraction, identifier, row, feature_row, decision in zip(
                extractions, ids, fits, features, decisions, strict=True):
            role_fits = {role: round(float(p) * 100, 1)
                         for role, p in zip(self.scorer.roles_, row, strict=True)}
            results.append(FitResult(
                id=identifier,
                assistant_fit=role_fits.get("assistant"),
                secretary_fit=role_fits.get("secretary"),
                best_role=str(decision),
                fits=role_fits,
                evidence=extraction.duties,
                skills=extraction.skill_ids,
                explanation=(self.explain_features(extraction, feature_row, row)
                             if explain else None),
                sha256=extraction.sha256,
            ))
        return results

    # -- many ---------------------------------------------------------------------------------
    def iter_scores(self, items: Iterable, batch_size: int = 64, n_process: int = 1,
                    explain: bool = False, limits=None) -> Iterator[FitResult]:
        """Stream results, one per item and in order; unreadable items become error rows.

        Items are texts (`str`), files (`pathlib.Path`) or `(id, text)` pairs; `limits` is an
        `rolefit.ingest.Limits` (size, pages, characters, ...; its time limit applies only in
        `rolefit.batch.run_batch`)."""
        from rolefit import ingest

        batch: list[tuple[str, object]] = []
        for position, item in enumerate(items):
            identifier, source = _identify(item, position)
            batch.append((identifier, source))
            if len(batch) >= batch_size:
                yield from self._score_batch(batch, n_process, ingest, explain, limits)
                batch = []
        if batch:
            yield from self._score_batch(batch, n_process, ingest, explain, limits)

    def _score_batch(self, batch, n_process: int, ingest, explain: bool,
                     limits=None) -> list[FitResult]:
        results: list[FitResult | None] = [None] * len(batch)
        resumes, slots = [], []
        for i, (identifier, source) in enumerate(batch):
            try:
                if isinstance(source, Path):
                    resume = ingest.read_path(source, limits)
                elif isinstance(source, str):
                    resume = ingest.from_text(source, identifier, limits)
                else:
                    raise TypeError(f"expected a str, a Path or an (id, text) pair, "
                                    f"got {type(source).__name__}")
                resumes.append(resume)
                slots.append(i)
            except RolefitError as exc:
                results[i] = FitResult(id=identifier, status="error", error=str(exc),
                                       error_kind=exc.kind)
            except TypeError as exc:
                results[i] = FitResult(id=identifier, status="error", error=str(exc),
                                       error_kind="bad_input")
        if resumes:
            extractions = self.extractor.extract_many(resumes, batch_size=len(resumes),
                                                      n_process=n_process)
            scored = self.from_extractions(extractions, [batch[i][0] for i in slots], explain)
            for i, result in zip(slots, scored, strict=True):
                results[i] = result
        return [r for r in results if r is not None]

    def score_many(self, items: Iterable, n_process: int = 1, batch_size: int = 64):
        """A pandas DataFrame with one row per item, in order; errors are rows too.

        The columns are `RESULT_COLUMNS`, the fields of the result schema: `assistant_fit` and
        `secretary_fit` are floats (NaN for errors), `criteria`, `evidence` and `skills` hold
        lists. For one row per evidence item or a candidates × criteria matrix, see
        `rolefit.evidence_frame` and `rolefit.coverage_frame`."""
        return results_frame(self.iter_scores(items, batch_size, n_process))

    # -- explanations -------------------------------------------------------------------------
    def explain_features(self, extraction: Extraction, features: np.ndarray,
                         fits: np.ndarray) -> Explanation:
        statuses = [self._status(c, extraction) for c in self.criteria.criteria]
        names = list(self.scorer.feature_names_in_)
        raised, lowered, suggestions = [], [], []
        for j, role in enumerate(self.scorer.roles_):
            effects = self._effects(role, features, names)
            ordered = sorted(effects.items(), key=lambda kv: kv[1])
            lowered += [Reason(role, k, round(v, 3)) for k, v in ordered[:3] if v < -0.05]
            raised += [Reason(role, k, round(v, 3)) for k, v in ordered[::-1][:3] if v > 0.05]
            suggestions += self._suggest(role, features, names, statuses, fits[j])
        return Explanation(statuses, raised, lowered, suggestions)

    def _status(self, criterion, extraction: Extraction) -> CriterionStatus:
        found = extraction.evidence_for(criterion.id)
        strong = [e for e in found
                  if (criterion.kind == "knowledge" or e.section not in WEAK_SECTIONS)
                  and (not e.source.startswith("model:") or e.score >= STRONG_MODEL_SCORE)]
        status = "met" if strong else "weak" if found else "missing"
        quotes = list(dict.fromkeys(e.sentence[:200] for e in found))[:3]
        return CriterionStatus(criterion.id, criterion.role, criterion.title, status, quotes)

    def _effects(self, role: str, features: np.ndarray, names: list[str]) -> dict[str, float]:
        linear = self.scorer.linear_parts(role)
        if linear is None:
            return {}
        contributions = (features - linear.mean) / linear.scale * linear.coef[0]
        grouped: dict[str, float] = {}
        for name, value in zip(names, contributions, strict=True):
            group = feature_group(name)
            grouped[group] = grouped.get(group, 0.0) + float(value)
        return grouped

    def _suggest(self, role: str, features: np.ndarray, names: list[str],
                 statuses: list[CriterionStatus], fit: float) -> list[Suggestion]:
        """Re-score once with each unmet criterion of the role evidenced, as one sentence a rule
        found in a duty section of a recent job, the longest job holding the résumé's duties
        (one batched call)."""
        index = {name: i for i, name in enumerate(names)}
        j = self.scorer.roles_.index(role)
        unmet = [s for s in statuses if s.role == role and s.status != "met"]
        if not unmet:
            return []
        longest = [index[n] for n in names if n.startswith("role:") and
                   n.endswith(":longest_job")]
        job_years = max((features[i] for i in longest), default=0.0)  # as log1p(years)
        changed = np.repeat(features[None, :], len(unmet), axis=0)
        for row, status in zip(changed, unmet, strict=True):
            count, rule, _model, duty, recent, years = criterion_features(status.criterion)
            row[index[count]] = max(row[index[count]], math.log1p(1))
            row[index[rule]] = 1.0
            row[index[duty]] = 1.0
            row[index[recent]] = 1.0
            row[index[years]] = max(row[index[years]], job_years)
            if f"role:{role}:longest_job" in index:
                row[index[f"role:{role}:longest_job"]] = max(
                    row[index[f"role:{role}:longest_job"]], job_years)
            if status.status == "missing" and f"role:{role}:criteria" in index:
                row[index[f"role:{role}:criteria"]] += 1
        new_fits = self.scorer.fits_from_features(changed)[:, j]
        candidates = [
            Suggestion(role, status.criterion, status.title, round(float(new) * 100, 1),
                       round(float(new - fit) * 100, 1))
            for status, new in zip(unmet, new_fits, strict=True) if new > fit + 0.005]
        return sorted(candidates, key=lambda s: -s.gain)[:3]

RESULT_COLUMNS = ["id", "status", "error", "error_kind", "assistant_fit", "secretary_fit",
                  "best_role", "criteria", "evidence", "skills", "sha256", "schema_version"]


def result_row(result: FitResult) -> dict:
    """A flat record of a result, as the CLI and `score_many` columns."""
    return {
        "id": result.id, "status": result.status, "error": result.error,
        "error_kind": result.error_kind, "assistant_fit": result.assistant_fit,
        "secretary_fit": result.secretary_fit, "best_role": result.best_role,
        "criteria": result.criteria,
        "evidence": [{"criterion": e.criterion, "role": e.role, "text": e.text,
                      "start": e.start, "end": e.end, "source": e.source}
                     for e in result.evidence],
        "skills": result.skills, "sha256": result.sha256,
        "schema_version": result.schema_version,
    }


def results_frame(results: Iterable[FitResult]):
    """The `score_many` DataFrame of results: `RESULT_COLUMNS`, fits as floats."""
    import pandas as pd

    frame = pd.DataFrame([result_row(r) for r in results], columns=RESULT_COLUMNS)
    return frame.astype({"assistant_fit": "float64", "secretary_fit": "float64"})


def result_schema() -> dict:
    """The JSON Schema that every result record validates against (shipped in the package)."""
    schema = Path(__file__).with_name("schemas") / f"result-{SCHEMA_VERSION}.schema.json"
    return json.loads(schema.read_text(encoding="utf-8"))


def _identify(item, position: int) -> tuple[str, object]:
    if isinstance(item, tuple) and len(item) == 2:
        return str(item[0]), item[1]
    if isinstance(item, Path):
        return str(item), item
    return f"item-{position}", item


def untrusted_types(artefact: Path) -> list[str]:
    """The types in a .skops artefact that skops does not trust by default (read, not built)."""
    import skops.io

    try:
        return list(skops.io.get_untrusted_types(file=artefact))
    except Exception as exc:  # a broken archive
        raise ModelError(f"cannot read the model artefact {artefact}: {exc}") from None


def _read_artefact(artefact: Path, folder: Path):
    """Build the classifier: a .skops file by `rolefit.artefact` when it holds only the types a
    rolefit model is made of (no skops import), else by skops after auditing its types."""
    if artefact.suffix == ".skops":
        from rolefit.artefact import read_skops

        try:
            classifier = read_skops(artefact)
        except Exception as exc:  # a broken archive or arrays
            raise ModelError(f"cannot load the model from {folder}: {exc}") from None
        if classifier is not None:
            return classifier
        untrusted = sorted(set(untrusted_types(artefact)) - set(TRUSTED_TYPES))
        if untrusted:
            raise ModelMismatch(f"refusing to load {artefact}: it holds types a rolefit model "
                                f"never holds: {', '.join(untrusted)}")
    try:
        if artefact.suffix == ".skops":
            import skops.io

            return skops.io.load(artefact, trusted=TRUSTED_TYPES)
        import joblib

        return joblib.load(artefact)
    except Exception as exc:  # unpickling failures come in many types
        raise ModelError(f"cannot load the model from {folder}: {exc}") from None


def _scorer_of(classifier):
    """The numpy scorer of a built classifier, or the classifier itself when it is made
    otherwise than `rolefit.scorer` reads (it offers the same methods)."""
    from rolefit.artefact import Unsupported

    try:
        return RoleScorer.from_classifier(classifier)
    except (Unsupported, KeyError, TypeError, ValueError, AttributeError):
        return classifier


def _read_scorer(artefact: Path, folder: Path):
    """(scorer, classifier or None): a .skops artefact holding only the types a rolefit model
    is made of is read into a `RoleScorer` without building (or importing) its classes."""
    if artefact.suffix == ".skops":
        from rolefit.artefact import Unsupported, read_skops_records

        try:
            record = read_skops_records(artefact)
        except Exception as exc:  # a broken archive or arrays
            raise ModelError(f"cannot load the model from {folder}: {exc}") from None
        if record is not None:
            if getattr(record, "type", None) != CLASSIFIER:
                raise ModelError(f"{folder} does not hold a RoleFitClassifier")
            try:
                return RoleScorer.from_record(record), None
            except (Unsupported, KeyError, TypeError, ValueError, AttributeError):
                pass  # built otherwise: score with the estimators themselves
    from rolefit.model import RoleFitClassifier

    classifier = _read_artefact(artefact, folder)
    if not isinstance(classifier, RoleFitClassifier):
        raise ModelError(f"{folder} does not hold a RoleFitClassifier")
    return _scorer_of(classifier), classifier


def _check_features(scorer, folder: Path) -> None:
    """Refuse a model trained on other features than this rolefit computes (a model from
    another development version with the same version number)."""
    from rolefit.feature_rows import feature_names

    rows = scorer.features_
    ids, roles = getattr(rows, "criteria_ids", None), getattr(rows, "roles", None)
    if ids is None or roles is None:
        return  # the shipped criteria: `ExtractionFeatures` without columns of its own
    trained = [str(name) for name in scorer.feature_names_in_]
    computed = feature_names(list(ids), dict(roles))
    if trained != computed:
        changed = sorted(set(trained) ^ set(computed))[:5]
        raise ModelMismatch(f"the model in {folder} was trained on {len(trained)} features; this "
                            f"rolefit computes {len(computed)} (differing: {changed}); retrain "
                            "with `rolefit train`")


def load(path: str | Path | None = None) -> RoleFitModel:
    """Load the shipped model (or the one in folder `path`), after checking its SHA-256 and
    versions against its metadata. A .skops artefact is built only from `TRUSTED_TYPES` and
    skops' defaults; a legacy .joblib artefact is a pickle: load only artefacts you trust."""
    from rolefit.pipeline import build_nlp

    folder = Path(path) if path else models_path()
    if folder.is_file():
        folder = folder.parent
    meta = verify(folder)
    artefact = folder / meta.get("artefact", MODEL_FILE)
    scorer, classifier = _read_scorer(artefact, folder)
    _check_features(scorer, folder)
    duty_dir = folder / "duty_classifier"
    extractor = Extractor(build_nlp(duty_model=str(duty_dir) if duty_dir.exists() else ""))
    return RoleFitModel(classifier, extractor, meta, folder, scorer=scorer)


__all__ = ["NEITHER", "RESULT_COLUMNS", "Explanation", "FitResult", "RoleFitModel", "load",
           "results_frame"]
