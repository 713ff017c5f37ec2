"""Choose each criterion's rule veto on the development sets and write data/train/duty_veto.json.

The duty classifier drops a cue-rule hit when it gives the hit's criterion a probability under
the veto. One veto for all criteria, chosen on our sentence bank, threw away many real résumés'
routine reports (A3), documents (S7) and decision support (D1), because the bank teaches that
other occupations write reports too. This script tries each veto of a grid on every criterion,
scores the extraction per criterion on real-dev (needs ../shared) and on the written
development sets dev, dev2, dev3, dev4, and keeps for each criterion the veto with the best
mean of the real-dev F1 and the written sets' mean F1 - but moves away from the veto chosen on
the bank only when that gains at least `--min-gain`. No held-out set is read.

    python scripts/tune_veto.py                       # then `rolefit train` uses it
    python scripts/tune_veto.py --output /tmp/veto.json  # only look

Session 7 tried this: better extraction on real résumés, worse role fit on the written
held-out sets, so no veto file is shipped (README, "Measured quality").
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rolefit.evaluation import score_sets
from rolefit.extract import Extractor, default_extractor
from rolefit.model_evaluation import load_labelled
from rolefit.pipeline.train_duties import VETO_FILE
from rolefit.resources import data_path, models_path

GRID = (0.0, 0.02, 0.05, 0.1, 0.15, 0.25)
REAL_SET = "real-dev"
WRITTEN_SETS = ("dev", "dev2", "dev3", "dev4")


def per_criterion_f1(extractor: Extractor, items: list[dict],
                     criteria: list[str]) -> dict[str, float]:
    predicted = [set(extractor.extract(item.get("text") or item["source"]).criteria_found)
                 for item in items]
    gold = [frozenset(item["criteria"]) for item in items]
    report = score_sets(gold, predicted, criteria)["per_criterion"]
    return {c: report[c]["f1"] for c in criteria}


def choose_veto(scores: dict[float, float], bank_veto: float, min_gain: float) -> float:
    """The veto with the best score (ties go to the larger veto), or the bank's veto unless the
    best gains at least `min_gain` over it."""
    best = max(scores, key=lambda v: (scores[v], v))
    return best if scores[best] >= scores[bank_veto] + min_gain else bank_veto


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-gain", type=float, default=0.02,
                        help="least gain in the mean F1 to leave the bank's veto (0.02)")
    parser.add_argument("--bank-veto", type=float, default=None,
                        help="the veto chosen on the sentence bank (default: the shipped "
                             "duty classifier's metadata)")
    parser.add_argument("--output", type=Path, default=None,
                        help="where to write the vetoes (default data/train/duty_veto.json, "
                             "which `rolefit train` reads)")
    args = parser.parse_args()
    try:
        sets = {name: load_labelled(name) for name in (REAL_SET, *WRITTEN_SETS)}
    except FileNotFoundError as exc:
        print(f"tune_veto: {exc}", file=sys.stderr)
        return 2
    extractor = default_extractor()
    classifier = extractor.nlp.get_pipe("rolefit_duty_classifier")
    criteria = list(extractor.criteria.ids)
    bank_veto = args.bank_veto
    if bank_veto is None:
        meta = json.loads(
            models_path("duty_classifier", "meta.json").read_text("utf-8"))
        bank_veto = float(meta["metrics"].get("bank_veto", meta["metrics"]["veto"]))
    grid = sorted({*GRID, bank_veto})
    table: dict[str, dict[str, dict[str, float]]] = {c: {} for c in criteria}
    for veto in grid:
        classifier.model.veto[:] = veto
        f1 = {name: per_criterion_f1(extractor, items, criteria) for name, items in sets.items()}
        for c in criteria:
            written = sum(f1[name][c] for name in WRITTEN_SETS) / len(WRITTEN_SETS)
            table[c][str(veto)] = {"real": f1[REAL_SET][c], "written": round(written, 3),
                                   "score": round((f1[REAL_SET][c] + written) / 2, 3)}
        print(f"veto {veto}: done", flush=True)
    chosen = {}
    for c in criteria:
        scores = {float(v): row["score"] for v, row in table[c].items()}
        chosen[c] = choose_veto(scores, bank_veto, args.min_gain)
        print(f"{c:4} veto {chosen[c]:<5} (score {scores[chosen[c]]:.3f}; bank veto "
              f"{bank_veto}: {scores[bank_veto]:.3f})")
    out = {
        "about": "Each criterion's rule veto for the duty classifier, chosen by "
                 "scripts/tune_veto.py on real-dev and dev, dev2, dev3, dev4 (score = mean of "
                 "the real-dev F1 and the written sets' mean F1; the bank's veto is kept "
                 "unless another gains at least min_gain). Rerun it, then `rolefit train`.",
        "grid": grid,
        "bank_veto": bank_veto,
        "min_gain": args.min_gain,
        "sets": [REAL_SET, *WRITTEN_SETS],
        "veto": chosen,
        "table": table,
    }
    path = args.output or data_path(*VETO_FILE)
    path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {path}")
    if args.output is None:
        print("`rolefit train` now gives the duty classifier these vetoes; delete the file to "
              "go back to the bank's veto for every criterion")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
