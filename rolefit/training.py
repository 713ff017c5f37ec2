"""`rolefit train`: rebuild the shipped models reproducibly (fixed seeds; same data, same scores).

1. The duty classifier on the whole sentence bank (shipped in `models/duty_classifier/`).
2. Two more duty classifiers, each on one fold of the bank, used only here: a generated résumé
   is extracted by the classifier that never saw its lines (cross-fitting), so the role model
   learns from extractions as noisy as those of unseen résumés.
3. The role-fit model on generated and hand-written training résumés, saved with skops beside
   a metadata file (versions, hashes, metrics) and a model card.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import sklearn
import spacy

from rolefit import __version__, synth
from rolefit.criteria import load_criteria
from rolefit.errors import ModelError
from rolefit.extract import Extractor
from rolefit.ingest import from_text
from rolefit.model import RoleFitClassifier
from rolefit.pipeline import build_nlp, train_duties
from rolefit.resources import data_path, models_path
from rolefit.scoring import (  # noqa: E402
    META_FILE,
    MODEL_FILE,
    SKOPS_FILE,
    TRUSTED_TYPES,
    untrusted_types,
)

GENERATED = ("train", "generated.jsonl")
SEED = 7
# Regularisation of the role models, chosen on the development sets (dev, dev2, real-dev:
# macro-F1 and Spearman) among 0.05-5; training cross-validation was flat over that range.
ROLE_MODEL_C = 0.05
# generated résumés per bank fold: with 700-800, two seeds' models differed by up to 0.04
# macro-F1 on a written development set (0.11 on real-dev); with 2,000 by at most 0.024 per set
# (scripts/seed_noise.py)
PER_FOLD = 2000


def generated_path() -> Path:
    return data_path(*GENERATED)


def ensure_generated(n_per_fold: int = PER_FOLD, seed: int = SEED,
                     refresh: bool = False) -> list[dict]:
    """The generated training résumés, (re)written to data/train/generated.jsonl."""
    path = generated_path()
    if refresh or not path.exists():
        synth.write_jsonl(synth.generate(n_per_fold, seed), path)
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def hand_written() -> list[dict]:
    """Hand-written labelled training résumés (data/train/resumes/)."""
    folder = data_path("train", "resumes")
    labels = folder / "labels.jsonl"
    if not labels.exists():
        return []
    items = []
    for line in labels.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            item["text"] = (folder / item["file"]).read_text(encoding="utf-8")
            item["id"] = item["file"]
            item["fold"] = None
            items.append(item)
    return items


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def cross_fitted_extractions(items: list[dict], duty_model: Path, log=print) -> list:
    """Extractions of the training résumés. A generated résumé is read by a duty classifier
    trained on the other fold of the bank, so the role model learns from extractions as
    imperfect as those of unseen résumés; hand-written ones by the shipped classifier."""
    extractions: list = [None] * len(items)
    with tempfile.TemporaryDirectory() as tmp:
        for fold in (0, 1):
            folder = Path(tmp) / f"fold{fold}"
            log(f"training the fold-{fold} duty classifier (cross-fitting)")
            train_duties.train_and_save(folder, bank_fold=fold)
            extractor = Extractor(build_nlp(duty_model=str(folder)))
            # résumés built from the other fold's lines
            chosen = [i for i, item in enumerate(items) if item["fold"] == 1 - fold]
            for i, result in zip(chosen, extractor.extract_many(
                    [from_text(items[i]["text"], items[i]["id"]) for i in chosen]), strict=True):
                extractions[i] = result
    shipped = Extractor(build_nlp(duty_model=str(duty_model)))
    rest = [i for i, e in enumerate(extractions) if e is None]
    for i, result in zip(rest, shipped.extract_many(
            [from_text(items[i]["text"], items[i]["id"]) for i in rest]), strict=True):
        extractions[i] = result
    return extractions


def train(output: Path | None = None, refresh_generated: bool = False,
          log=print, card: bool = True) -> dict:
    started = time.time()
    output = output or models_path()
    output.mkdir(parents=True, exist_ok=True)
    log("training the duty classifier on the whole sentence bank")
    duty_metrics = train_duties.train_and_save(output / "duty_classifier")
    items = ensure_generated(refresh=refresh_generated) + hand_written()
    log(f"{len(items)} training résumés")
    extractions = cross_fitted_extractions(items, output / "duty_classifier", log)
    y = np.array([item["primary_role"] for item in items], dtype=object)
    fits = np.array([[item["assistant_fit"], item["secretary_fit"]] for item in items])
    log("fitting the role-fit model")
    model = RoleFitClassifier(C=ROLE_MODEL_C, random_state=SEED).fit(extractions, y, role_fits=fits)
    criteria = load_criteria()
    files = [*train_duties.bank_files(), generated_path(), data_path(*train_duties.VETO_FILE),
             *sorted(data_path("train", "resumes").glob("*"))]
    meta = {
        "rolefit_version": __version__,
        "sklearn_version": sklearn.__version__,
        "spacy_version": spacy.__version__,
        "numpy_version": np.__version__,
        "criteria_sha256": criteria.sha256,
        "training_data_sha256": _digest([f for f in files if f.is_file()]),
        "duty_classifier_sha256": _digest(sorted((output / "duty_classifier").glob("*"))),
        "seed": SEED,
        "role_model_C": ROLE_MODEL_C,
        "training_resumes": {"generated": sum(1 for i in items if i["fold"] is not None),
                             "hand_written": sum(1 for i in items if i["fold"] is None)},
        "threshold": model.threshold_,
        "cv_scores": model.cv_scores_,
        "roles": model.roles_,
        "duty_classifier_metrics": duty_metrics,
        "train_seconds": round(time.time() - started, 1),
    }
    meta = save(model, output, meta)
    if not card:
        return meta
    log("measuring the model on the labelled sets and writing the model card")
    from rolefit import model_card
    from rolefit.scoring import load

    model_card.write(meta, model_card.measure(load(output)), output)
    return meta


def save(model: RoleFitClassifier, folder: Path, meta: dict) -> dict:
    """Write the model (skops format, no pickle) and its metadata; the metadata records the
    artefact's SHA-256. Fails if the model holds a type `load` would not trust."""
    import skops.io

    path = folder / SKOPS_FILE
    skops.io.dump(model, path)
    unexpected = sorted(set(untrusted_types(path)) - set(TRUSTED_TYPES))
    if unexpected:
        path.unlink()
        raise ModelError(f"the model holds types not in scoring.TRUSTED_TYPES: {unexpected}; "
                         "add them there only after checking what loading them can do")
    (folder / MODEL_FILE).unlink(missing_ok=True)  # a stale pickle from an older version
    meta = {**meta, "artefact": SKOPS_FILE, "artefact_format": "skops",
            "artefact_sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    (folder / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True),
                                    encoding="utf-8")
    return meta
