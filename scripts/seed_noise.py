"""How much the role model's figures move with the generated training sample: trains one role
model per (résumés per bank fold, generator seed), as `rolefit train` does but without writing
anything, and prints its macro-F1 on the development sets (real-dev when ../shared is there).

    python scripts/seed_noise.py --per-fold 800 2000 --seeds 7 8

Each model takes a few minutes (the duty classifier is trained twice for cross-fitting).
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

import numpy as np
from sklearn.metrics import f1_score

from rolefit import synth, training
from rolefit.extract import Extractor
from rolefit.model import RoleFitClassifier
from rolefit.model_evaluation import load_labelled, r_text
from rolefit.pipeline import build_nlp
from rolefit.resources import models_path

SETS = ("dev", "dev2", "dev3", "dev4", "real-dev")


def development_sets() -> dict[str, tuple[list[str], list]]:
    """Gold primary roles and shipped-pipeline extractions of each development set present."""
    extractor = Extractor(build_nlp(duty_model=str(models_path("duty_classifier"))))
    sets = {}
    for name in SETS:
        try:
            items = load_labelled(name)
        except FileNotFoundError:
            continue
        sets[name] = ([i["primary_role"] for i in items],
                      [extractor.extract(r_text(i)) for i in items])
    return sets


def train_role_model(per_fold: int, seed: int) -> RoleFitClassifier:
    items = [asdict(g) for g in synth.generate(per_fold, seed)] + training.hand_written()
    extractions = training.cross_fitted_extractions(items, models_path("duty_classifier"),
                                                    log=lambda _m: None)
    labels = np.array([i["primary_role"] for i in items], dtype=object)
    fits = np.array([[i["assistant_fit"], i["secretary_fit"]] for i in items])
    return RoleFitClassifier(C=training.ROLE_MODEL_C, random_state=training.SEED).fit(
        extractions, labels, role_fits=fits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-fold", type=int, nargs="+", default=[training.PER_FOLD])
    parser.add_argument("--seeds", type=int, nargs="+", default=[training.SEED, 8])
    args = parser.parse_args()
    sets = development_sets()
    print("per fold | seed | " + " | ".join(sets) + " | pooled")
    for per_fold in args.per_fold:
        for seed in args.seeds:
            model = train_role_model(per_fold, seed)
            scores = [f1_score(gold, model.predict(extractions), average="macro")
                      for gold, extractions in sets.values()]
            print(f"{per_fold} | {seed} | " + " | ".join(f"{s:.3f}" for s in scores)
                  + f" | {np.mean(scores):.3f}", flush=True)


if __name__ == "__main__":
    main()
