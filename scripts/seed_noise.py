"""How much the role model's figures move with the generated training sample: trains one role
model per (résumés per bank fold, generator seed), as `rolefit train` does but without writing
anything, and prints its macro-F1 and the Spearman of each fit with the graded labels on the
development sets (real-dev when ../shared is there).

    python scripts/seed_noise.py --per-fold 800 2000 --seeds 7 8
    python scripts/seed_noise.py --binary-too           # the ordinal and the binary role model
    python scripts/seed_noise.py --short-jobs 0         # generated résumés without short jobs
    python scripts/seed_noise.py --central-share 0.5    # three central criteria: a good fit

Each model takes a few minutes (the duty classifier is trained twice for cross-fitting).
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import f1_score

from rolefit import synth, training
from rolefit.extract import Extractor
from rolefit.model import RoleFitClassifier
from rolefit.model_evaluation import load_labelled, r_text
from rolefit.pipeline import build_nlp
from rolefit.resources import models_path

SETS = ("dev", "dev2", "dev3", "dev4", "real-dev")


def development_sets() -> dict[str, tuple[list[dict], list]]:
    """Labels and shipped-pipeline extractions of each development set present."""
    extractor = Extractor(build_nlp(duty_model=str(models_path("duty_classifier"))))
    sets = {}
    for name in SETS:
        try:
            items = load_labelled(name)
        except FileNotFoundError:
            continue
        sets[name] = (items, [extractor.extract(r_text(i)) for i in items])
    return sets


def train_role_models(per_fold: int, seed: int,
                      ordinal: tuple[bool, ...]) -> dict[bool, RoleFitClassifier]:
    """One role model per `ordinal` setting, all on the same generated sample."""
    items = [asdict(g) for g in synth.generate(per_fold, seed)] + training.hand_written()
    extractions = training.cross_fitted_extractions(items, models_path("duty_classifier"),
                                                    log=lambda _m: None)
    labels = np.array([i["primary_role"] for i in items], dtype=object)
    fits = np.array([[i["assistant_fit"], i["secretary_fit"]] for i in items])
    return {o: RoleFitClassifier(C=training.ROLE_MODEL_C, random_state=training.SEED,
                                 ordinal=o).fit(extractions, labels, role_fits=fits)
            for o in ordinal}


def figures(model: RoleFitClassifier, items: list[dict], extractions: list) -> str:
    """Macro-F1 of the primary role and Spearman of each fit with its graded label."""
    gold = [i["primary_role"] for i in items]
    f1 = f1_score(gold, model.predict(extractions), average="macro")
    fits = model.predict_fits(extractions)
    rho = [spearmanr(fits[:, j], [i[f"{role}_fit"] for i in items]).statistic
           for j, role in enumerate(model.roles_)]
    return f"{f1:.3f} ({' / '.join(f'{r:.2f}' for r in rho)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-fold", type=int, nargs="+", default=[training.PER_FOLD])
    parser.add_argument("--seeds", type=int, nargs="+", default=[training.SEED, 8])
    parser.add_argument("--binary-too", action="store_true",
                        help="also fit RoleFitClassifier(ordinal=False) on each sample")
    parser.add_argument("--short-jobs", type=float, default=synth.P_SHORT_JOB,
                        help="share of generated jobs lasting under a year (synth.P_SHORT_JOB)")
    parser.add_argument("--central-share", type=float, default=synth.CENTRAL_SHARE,
                        help="three criteria making up this share of the duty lines are a "
                             "good fit (synth.CENTRAL_SHARE; default: off)")
    args = parser.parse_args()
    synth.P_SHORT_JOB = args.short_jobs
    synth.CENTRAL_SHARE = args.central_share
    sets = development_sets()
    ordinal = (True, False) if args.binary_too else (True,)
    print("macro-F1 (Spearman assistant / secretary)")
    print("per fold | seed | model | " + " | ".join(sets))
    for per_fold in args.per_fold:
        for seed in args.seeds:
            for is_ordinal, model in train_role_models(per_fold, seed, ordinal).items():
                cells = [figures(model, items, extractions)
                         for items, extractions in sets.values()]
                kind = "ordinal" if is_ordinal else "binary"
                print(f"{per_fold} | {seed} | {kind} | " + " | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
