"""Train the learned duty classifier from our sentence bank (`data/train/bank/*.jsonl`).

Reproducible: fixed seed, sorted inputs; the same data gives the same weights."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import spacy
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.preprocessing import normalize

from rolefit import __version__
from rolefit.criteria import load_criteria
from rolefit.pipeline.classifier import (
    DEFAULT_DIR,
    OTHER_DUTY,
    LinearDutyModel,
    sentence_features_text,
)
from rolefit.redact import mask_text
from rolefit.resources import data_path, models_path

SEED = 13
BANK_FOLDERS = ("bank", "bank2", "bank3")  # hand-written sentence banks under data/train
# lines of other occupations' work (a nurse's, an engineer's) also teach the label OTHER_DUTY
OTHER_KINDS = {"other_duty", "negative", "keyword_trap"}
# each criterion's rule veto, chosen on the development sets by scripts/tune_veto.py
VETO_FILE = ("train", "duty_veto.json")


def bank_files() -> list[Path]:
    """The sentence-bank files the duty classifier learns from (titles are not sentences)."""
    files = [path for folder in BANK_FOLDERS
             for path in sorted(data_path("train", folder).glob("*.jsonl"))]
    return [path for path in files if path.name != "titles.jsonl"]


def load_bank(fold: int | None = None) -> tuple[list[str], list[list[str]], str]:
    """Sentences, their criterion ids, and a hash of the training data; `fold` keeps only the
    lines of one of the two folds that `rolefit.synth` assembles résumés from."""
    from rolefit.synth import fold_of

    texts, labels = [], []
    digest = hashlib.sha256()
    for path in bank_files():
        raw = path.read_bytes()
        digest.update(path.name.encode() + raw)
        for line in raw.decode("utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                if fold is not None and fold_of(item["text"]) != fold:
                    continue
                criteria = sorted(item.get("criteria") or [])
                if not criteria and item.get("kind") in OTHER_KINDS:
                    criteria = [OTHER_DUTY]
                texts.append(item["text"])
                labels.append(criteria)
    return texts, labels, digest.hexdigest()


def _lemmatiser():
    nlp = spacy.blank("en")
    nlp.add_pipe("rolefit_lemmatizer")
    nlp.add_pipe("rolefit_segmenter")
    nlp.initialize()
    return nlp


def featurise_texts(texts: list[str]) -> tuple[list[str], list[str]]:
    from rolefit.pipeline import lemmas  # noqa: F401  (registers the factory)

    nlp = _lemmatiser()
    masked = (mask_text(t, header=False) for t in texts)  # as the classifier reads résumés
    pairs = [sentence_features_text(doc) for doc in nlp.pipe(masked, batch_size=256)]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _fit(lemma_texts, surface_texts, y, c: float):
    word = CountVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w[\w'-]*\b",
                           lowercase=False, min_df=2)
    char = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=False, min_df=3)
    word_counts = word.fit_transform(lemma_texts)
    char_counts = char.fit_transform(surface_texts)
    word_tfidf = TfidfTransformer(sublinear_tf=True).fit(word_counts)
    char_tfidf = TfidfTransformer(sublinear_tf=True).fit(char_counts)
    x = normalize(sparse.hstack([word_tfidf.transform(word_counts),
                                 char_tfidf.transform(char_counts)]).tocsr())
    coef, intercept = [], []
    for j in range(y.shape[1]):
        model = LogisticRegression(C=c, max_iter=3000, class_weight=None, random_state=SEED)
        model.fit(x, y[:, j])
        coef.append(model.coef_[0])
        intercept.append(model.intercept_[0])
    return word, char, word_tfidf, char_tfidf, np.vstack(coef), np.array(intercept)


def train(c: float = 8.0, folds: int = 5,
          bank_fold: int | None = None) -> tuple[LinearDutyModel, dict]:
    """Fit on the bank (or one fold of it); pick each criterion's threshold from out-of-fold
    predictions. Each criterion's rule veto comes from `data/train/duty_veto.json`; a criterion
    the file leaves out takes the veto best for out-of-fold predictions on the bank."""
    criteria = load_criteria()
    labels = [*criteria.ids, OTHER_DUTY]
    n = len(criteria.ids)  # the figures below are about the criteria only
    texts, label_lists, data_hash = load_bank(bank_fold)
    if not texts:
        raise FileNotFoundError("no training sentences found in data/train/bank")
    lemma_texts, surface_texts = featurise_texts(texts)
    y = np.array([[int(c_id in ls) for c_id in labels] for ls in label_lists])
    oof = np.zeros(y.shape)
    for train_idx, test_idx in KFold(folds, shuffle=True, random_state=SEED).split(texts):
        parts = _fit([lemma_texts[i] for i in train_idx], [surface_texts[i] for i in train_idx],
                     y[train_idx], c)
        model = _as_model(labels, parts, np.full(len(labels), 0.5))
        oof[test_idx] = model.predict_proba([lemma_texts[i] for i in test_idx],
                                            [surface_texts[i] for i in test_idx])
    thresholds = np.array([_best_threshold(y[:, j], oof[:, j]) for j in range(len(labels))])
    cv = _micro(y[:, :n], oof[:, :n] >= thresholds[:n])
    rules = _rule_hits(texts, labels)
    bank_veto, bank_combined = _best_veto(y[:, :n], oof[:, :n], thresholds[:n], rules[:, :n])
    chosen = load_vetoes(criteria_ids=criteria.ids)
    veto = np.array([chosen.get(label, bank_veto) if label != OTHER_DUTY else 0.0
                     for label in labels])
    combined = _micro(y[:, :n], ((rules[:, :n] == 1) & (oof[:, :n] >= veto[:n]))
                      | (oof[:, :n] >= thresholds[:n]))
    model = _as_model(labels, _fit(lemma_texts, surface_texts, y, c), thresholds)
    model.veto = veto
    metrics = {
        "sentences": len(texts),
        "positives_per_criterion": {c_id: int(y[:, j].sum()) for j, c_id in enumerate(labels)},
        "other_duty_cv": _micro(y[:, n:], oof[:, n:] >= thresholds[n:]),
        "cv_folds": folds,
        "cv_sentence_micro": cv,
        "cv_sentence_micro_rules_only": _micro(y[:, :n], rules[:, :n].astype(bool)),
        "cv_sentence_micro_combined": combined,
        "bank_veto": bank_veto,
        "cv_sentence_micro_combined_bank_veto": bank_combined,
        "veto": {label: float(v) for label, v in zip(labels[:n], veto[:n], strict=True)},
        "C": c,
    }
    meta = {
        "component": "rolefit_duty_classifier",
        "rolefit_version": __version__,
        "sklearn_version": __import__("sklearn").__version__,
        "spacy_version": spacy.__version__,
        "criteria_sha256": criteria.sha256,
        "training_data_sha256": data_hash,
        "veto_file_sha256": _file_sha256(data_path(*VETO_FILE)),
        "seed": SEED,
        "metrics": metrics,
    }
    return model, meta


def load_vetoes(path: Path | None = None,
                criteria_ids: list[str] | None = None) -> dict[str, float]:
    """Each criterion's veto from `data/train/duty_veto.json` ({} when the file is absent:
    then every criterion takes the veto chosen on the sentence bank)."""
    path = path or data_path(*VETO_FILE)
    if not path.exists():
        return {}
    vetoes = json.loads(path.read_text(encoding="utf-8")).get("veto")
    if not isinstance(vetoes, dict):
        raise ValueError(f"{path}: \"veto\" must be an object of criterion ids and vetoes")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and 0.0 <= v < 1.0
               for v in vetoes.values()):
        raise ValueError(f"{path}: every veto must be a number in [0, 1)")
    if criteria_ids is not None and (unknown := sorted(set(vetoes) - set(criteria_ids))):
        raise ValueError(f"{path}: unknown criteria {', '.join(unknown)}")
    return {criterion: float(v) for criterion, v in vetoes.items()}


def _file_sha256(path: Path) -> str | None:
    """The file's SHA-256, or None when it is absent."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _rule_hits(texts: list[str], labels: list[str]) -> np.ndarray:
    """Which criteria the cue rules find in each training sentence."""
    from rolefit.pipeline import build_nlp

    nlp = build_nlp(duty_model=None)
    hits = np.zeros((len(texts), len(labels)), dtype=int)
    index = {label: j for j, label in enumerate(labels)}
    for i, doc in enumerate(nlp.pipe(texts, batch_size=256)):
        for span in doc.spans.get("rolefit_evidence", []):
            if span.id_.startswith("rule:") and span.label_ in index:
                hits[i, index[span.label_]] = 1
    return hits


def _best_veto(y: np.ndarray, oof: np.ndarray, thresholds: np.ndarray,
               rules: np.ndarray) -> tuple[float, dict]:
    """The model probability under which a rule hit is dropped, chosen for out-of-fold micro-F1
    of rules and model combined (ties go to the smaller veto)."""
    best, best_metrics = 0.0, None
    for veto in (0.0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3):
        pred = ((rules == 1) & (oof >= veto)) | (oof >= thresholds)
        metrics = _micro(y, pred)
        if best_metrics is None or metrics["f1"] > best_metrics["f1"]:
            best, best_metrics = veto, metrics
    return best, best_metrics


def _as_model(labels, parts, thresholds) -> LinearDutyModel:
    word, char, word_tfidf, char_tfidf, coef, intercept = parts
    return LinearDutyModel(labels, word.vocabulary_, char.vocabulary_, word_tfidf.idf_,
                           char_tfidf.idf_, coef, intercept, thresholds)


def _best_threshold(y: np.ndarray, p: np.ndarray, min_precision: float = 0.8) -> float:
    """The lowest threshold whose out-of-fold precision reaches `min_precision` (max F1 among
    those); 0.5 when no threshold does."""
    best, best_f1 = 0.5, -1.0
    for t in np.arange(0.2, 0.91, 0.025):
        pred = p >= t
        tp = int((pred & (y == 1)).sum())
        fp = int((pred & (y == 0)).sum())
        fn = int((~pred & (y == 1)).sum())
        precision = tp / (tp + fp) if tp + fp else 0.0
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if precision >= min_precision and f1 > best_f1:
            best, best_f1 = float(round(t, 3)), f1
    return best


def _micro(y: np.ndarray, pred: np.ndarray) -> dict:
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3),
            "f1": round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0}


def train_and_save(folder: Path | None = None, bank_fold: int | None = None) -> dict:
    model, meta = train(bank_fold=bank_fold)
    folder = folder or models_path(DEFAULT_DIR)
    model.save(folder, meta)
    return meta["metrics"]
