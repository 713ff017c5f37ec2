"""`rolefit evaluate`: the role-fit model's figures on a labelled set, beside a keyword-counting
baseline and a title-only baseline on the same résumés."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, classification_report, confusion_matrix, f1_score

from rolefit import evaluation
from rolefit.resources import data_path

CLASSES = ["assistant", "neither", "secretary"]
RELIABILITY_BINS = 5
SUBGROUPS = ("title_trap", "keyword_trap", "near_miss", "mixed", "non_native", "pdf_noise")
_SECRETARY_TITLE = re.compile(r"secretar", re.I)
_ASSISTANT_TITLE = re.compile(r"\bassistant\b|\bPA\b|administrat|\badmin\b", re.I)


def load_labelled(name: str) -> list[dict]:
    """A labelled set by name (dev, dev2, dev3, dev4, heldout, heldout2, ..., heldout8, real,
    real-dev, real-test, train) or a CSV/JSONL file path.

    A row has `primary_role`, `assistant_fit`, `secretary_fit` (0-3) and either `text`, `path`
    or `file` (relative to the labels file's folder or its `resumes/` folder)."""
    if name in {"real", "real-dev", "real-test"}:
        docs = evaluation.load_real_set()
        items = [{**d.label, "text": d.text} for d in docs]
        if name == "real":
            return items
        half = 0 if name == "real-dev" else 1
        return [x for x in items if evaluation.real_half(x["id"]) == half]
    named = {"dev": data_path("dev", "labels.jsonl"),
             "dev2": data_path("dev2", "labels.jsonl"),
             "dev3": data_path("dev3", "labels.jsonl"),
             "dev4": data_path("dev4", "labels.jsonl"),
             "heldout": data_path("heldout", "labels.jsonl"),
             "heldout2": data_path("heldout2", "labels.jsonl"),
             "heldout3": data_path("heldout3", "labels.jsonl"),
             "heldout4": data_path("heldout4", "labels.jsonl"),
             "heldout5": data_path("heldout5", "labels.jsonl"),
             "heldout6": data_path("heldout6", "labels.jsonl"),
             "heldout7": data_path("heldout7", "labels.jsonl"),
             "heldout8": data_path("heldout8", "labels.jsonl"),
             "train": data_path("train", "resumes", "labels.jsonl")}
    path = named.get(name) or Path(name)
    if not path.exists():
        raise FileNotFoundError(f"no labelled set {name!r} (looked for {path})")
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    else:
        rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    items = []
    for row in rows:
        item = dict(row)
        if not item.get("text"):
            ref = item.get("path") or item.get("file")
            if not ref:
                raise ValueError(f"{path}: a row has neither text nor path/file")
            for candidate in (Path(ref), path.parent / ref, path.parent / "resumes" / ref):
                if candidate.exists():
                    item["source"] = candidate
                    break
            else:
                raise FileNotFoundError(f"{path}: cannot find {ref}")
        for key in ("assistant_fit", "secretary_fit"):
            item[key] = int(item[key])
        if isinstance(item.get("traps"), str):
            item["traps"] = [t for t in item["traps"].split(";") if t]
        items.append(item)
    return items


def title_of(item: dict) -> str:
    if item.get("title"):
        return str(item["title"])
    text = item.get("text") or ""
    lines = [x.strip() for x in text.splitlines() if x.strip()][:3]
    return " ".join(lines)


def title_baseline(item: dict) -> str:
    """Title only: "secretary" in the title → secretary; "assistant"/"PA"/"admin" → assistant."""
    title = title_of(item)
    if _SECRETARY_TITLE.search(title):
        return "secretary"
    if _ASSISTANT_TITLE.search(title):
        return "assistant"
    return "neither"


def keyword_counts(text: str) -> tuple[int, int]:
    found = evaluation.keyword_baseline(text)
    assistant = sum(1 for c in found if c.startswith("A"))
    return assistant, len(found) - assistant


def keyword_role_baseline(text: str, minimum: int = 3) -> str:
    """Counts of document keywords per role; the larger count wins when it reaches `minimum`."""
    a, s = keyword_counts(text)
    if max(a, s) < minimum:
        return "neither"
    return "assistant" if a > s else "secretary"


def _metrics(gold: list[str], pred: list[str], items: list[dict]) -> dict:
    report = {
        "macro_f1": round(float(f1_score(gold, pred, labels=CLASSES, average="macro",
                                         zero_division=0)), 3),
        "accuracy": round(float(np.mean([g == p for g, p in zip(gold, pred, strict=True)])), 3),
    }
    for group in SUBGROUPS:
        idx = [i for i, it in enumerate(items) if group in (it.get("traps") or [])]
        if idx:
            report[f"{group}_accuracy"] = round(float(np.mean([gold[i] == pred[i] for i in idx])),
                                                3)
            report[f"{group}_n"] = len(idx)
    return report


def _bins(fits: np.ndarray) -> list[tuple[int, int]]:
    """(bin index, résumés) of each non-empty bin of `calibration_curve(...,
    strategy="uniform")`, assigned as it assigns them."""
    edges = np.linspace(0.0, 1.0, RELIABILITY_BINS + 1)
    sizes = np.bincount(np.searchsorted(edges[1:-1], fits), minlength=RELIABILITY_BINS)
    return [(k, int(n)) for k, n in enumerate(sizes) if n]


def evaluate(model, items: list[dict]) -> dict:
    """All figures for one labelled set."""
    sources = [it.get("source") or it["text"] for it in items]
    results = [model.score(s) for s in sources]
    texts = [r_text(it) for it in items]
    gold = [it["primary_role"] for it in items]
    pred = [r.best_role for r in results]
    report: dict = {"documents": len(items), "model": _metrics(gold, pred, items)}
    report["model"]["per_class"] = classification_report(
        gold, pred, labels=CLASSES, output_dict=True, zero_division=0)
    report["model"]["confusion_matrix"] = {
        "labels": CLASSES, "rows_gold_columns_predicted":
            confusion_matrix(gold, pred, labels=CLASSES).tolist()}
    for role in ("assistant", "secretary"):
        fits = np.array([getattr(r, f"{role}_fit") for r in results]) / 100
        graded = np.array([it[f"{role}_fit"] for it in items])
        good = (graded >= 2).astype(int)
        report["model"][f"{role}_spearman"] = round(float(spearmanr(fits, graded).statistic), 3)
        report["model"][f"{role}_brier"] = round(float(brier_score_loss(good, fits)), 3)
        observed, predicted = calibration_curve(good, fits, n_bins=RELIABILITY_BINS,
                                                strategy="uniform")
        report["model"][f"{role}_reliability"] = [
            {"mean_predicted": round(float(p), 3), "observed_fit_rate": round(float(o), 3),
             "n": n, "bin": k}
            for p, o, (k, n) in zip(predicted, observed, _bins(fits), strict=True)]
    keyword_pred = [keyword_role_baseline(t) for t in texts]
    report["keyword_baseline"] = _metrics(gold, keyword_pred, items)
    counts = [keyword_counts(t) for t in texts]
    for j, role in enumerate(("assistant", "secretary")):
        report["keyword_baseline"][f"{role}_spearman"] = round(float(spearmanr(
            [c[j] for c in counts], [it[f"{role}_fit"] for it in items]).statistic), 3)
    report["title_baseline"] = _metrics(gold, [title_baseline(it) for it in items], items)
    report["predictions"] = [
        {"id": str(it.get("file") or it.get("id")), "gold": g, "predicted": p,
         "assistant_fit": r.assistant_fit, "secretary_fit": r.secretary_fit}
        for it, g, p, r in zip(items, gold, pred, results, strict=True)]
    return report


def r_text(item: dict) -> str:
    if item.get("text"):
        return item["text"]
    from rolefit.ingest import read_path

    return read_path(item["source"]).text


def format_report(name: str, report: dict) -> str:
    m, k, t = report["model"], report["keyword_baseline"], report["title_baseline"]
    keys = ["macro_f1", "accuracy"] + [f"{g}_accuracy" for g in SUBGROUPS if f"{g}_n" in m]
    labels = {key: key if not key.endswith("_accuracy") or key == "accuracy" else
              f"{key} (n={m[key.replace('_accuracy', '_n')]})" for key in keys}
    width = max(len(x) for x in [*labels.values(), "secretary Spearman"]) + 2
    lines = [f"set: {name} ({report['documents']} résumés)",
             f"{'':{width}}{'model':>8}{'keywords':>10}{'title':>8}"]
    for key in keys:
        label = labels[key]
        lines.append(f"{label:{width}}{m[key]:>8.3f}{k.get(key, float('nan')):>10.3f}"
                     f"{t.get(key, float('nan')):>8.3f}")
    for role in ("assistant", "secretary"):
        lines.append(f"{role + ' Spearman':{width}}{m[role + '_spearman']:>8.3f}"
                     f"{k[role + '_spearman']:>10.3f}{'':>8}")
        lines.append(f"{role + ' Brier':{width}}{m[role + '_brier']:>8.3f}")
        bins = ", ".join(f"{b['mean_predicted']:.2f}→{b['observed_fit_rate']:.2f}"
                         for b in m[role + "_reliability"])
        lines.append(f"  reliability (predicted→observed): {bins}")
    cm = m["confusion_matrix"]
    lines.append("confusion (rows gold, columns predicted; " + ", ".join(cm["labels"]) + "):")
    lines += ["  " + " ".join(f"{v:4d}" for v in row) for row in
              cm["rows_gold_columns_predicted"]]
    return "\n".join(lines)
