"""Measured quality of the extractor: per-criterion precision/recall against labelled sets,
beside a plain keyword baseline (`data/baselines/keywords.yaml`)."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from rolefit.resources import data_path

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@dataclass(frozen=True)
class LabelledDoc:
    id: str
    text: str
    criteria: frozenset[str]
    label: dict


def load_dev_set() -> list[LabelledDoc]:
    """The development set: résumés written apart from the cues, with their criterion ids."""
    folder = data_path("dev")
    docs = []
    for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        label = json.loads(line)
        text = (folder / "resumes" / label["file"]).read_text(encoding="utf-8")
        docs.append(LabelledDoc(label["file"], text, frozenset(label["criteria"]), label))
    return docs


def load_paraphrases() -> list[LabelledDoc]:
    """The held-out paraphrase lines: one criterion each, or none for the negative lines."""
    path = data_path("heldout", "paraphrases.jsonl")
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            criteria = frozenset([item["criterion"]] if item["criterion"] else [])
            docs.append(LabelledDoc(item["id"], item["text"], criteria, item))
    return docs


def shared_resumes_csv(shared: Path | None = None) -> Path:
    return (shared or SHARED_DATA) / "livecareer" / "resumes.csv"


def load_real_set(pass_name: str = "pass1", shared: Path | None = None) -> list[LabelledDoc]:
    """Real résumés from ../shared (texts) with our labels from data/real (by id)."""
    csv_path = shared_resumes_csv(shared)
    if not csv_path.exists():
        raise FileNotFoundError(f"{csv_path} is absent: the real-résumé set needs ../shared/data")
    texts = _read_csv_texts(csv_path)
    docs = []
    for label in load_real_labels(pass_name):
        docs.append(LabelledDoc(label["id"], texts[label["id"]], frozenset(label["criteria"]),
                                label))
    return docs


def load_real_labels(pass_name: str = "pass1") -> list[dict]:
    folder = data_path("real")
    labels = []
    for path in sorted(folder.glob(f"labels_{pass_name}*.jsonl")):
        labels += [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()
                   if x.strip()]
    return labels


def _read_csv_texts(path: Path) -> dict[str, str]:
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row["text"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def _keyword_patterns() -> dict[str, re.Pattern[str]]:
    data = yaml.safe_load(data_path("baselines", "keywords.yaml").read_text(encoding="utf-8"))
    patterns = {}
    for criterion, words in data["keywords"].items():
        alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        patterns[criterion] = re.compile(rf"\b(?:{alternation})(?:s|es|ed|d|ing)?\b", re.I)
    return patterns


def keyword_baseline(text: str) -> set[str]:
    """Criteria whose document keywords appear anywhere in the text."""
    return {c for c, pattern in _keyword_patterns().items() if pattern.search(text)}


def score_sets(gold: list[frozenset[str]], predicted: list[set[str]],
               criteria: Iterable[str]) -> dict:
    """Micro and per-criterion precision/recall/F1 over (document, criterion) pairs."""
    per = {}
    tp_all = fp_all = fn_all = 0
    for criterion in criteria:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True)
                 if criterion in g and criterion in p)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True)
                 if criterion not in g and criterion in p)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True)
                 if criterion in g and criterion not in p)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        per[criterion] = {**_prf(tp, fp, fn), "support": tp + fn}
    return {"micro": _prf(tp_all, fp_all, fn_all), "per_criterion": per}


def _prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "tp": tp, "fp": fp, "fn": fn}


def real_half(doc_id: str) -> int:
    """Which half of the labelled real résumés an id belongs to: 0 is `real-dev` (used for
    error analysis), 1 is `real-test` (only ever scored in aggregate)."""
    return hashlib.sha1(f"real:{doc_id}".encode()).digest()[0] % 2


def _real_half(half: int) -> Callable[[], list[LabelledDoc]]:
    def load() -> list[LabelledDoc]:
        return [d for d in load_real_set() if real_half(d.id) == half]
    return load


def evaluate_extraction(dataset: str = "dev",
                        extract: Callable[[str], set[str]] | None = None,
                        duty_model: Path | None = None) -> dict:
    """Score the extractor (with another duty classifier folder when given) and the keyword
    baseline on a labelled set."""
    from rolefit.extract import Extractor, default_extractor
    from rolefit.pipeline import build_nlp

    loaders = {"dev": load_dev_set, "paraphrases": load_paraphrases, "real": load_real_set,
               "real-dev": _real_half(0), "real-test": _real_half(1)}
    if dataset not in loaders:
        raise ValueError(f"unknown dataset {dataset!r}; choose one of {sorted(loaders)}")
    docs = loaders[dataset]()
    extractor = (Extractor(build_nlp(duty_model=str(duty_model))) if duty_model
                 else default_extractor())
    criteria = extractor.criteria.ids
    if extract is None:
        def extract(text: str) -> set[str]:
            return set(extractor.extract(text).criteria_found)
    predicted = [extract(d.text) for d in docs]
    baseline = [keyword_baseline(d.text) for d in docs]
    gold = [d.criteria for d in docs]
    report = {
        "dataset": dataset,
        "documents": len(docs),
        "rolefit": score_sets(gold, predicted, criteria),
        "keyword_baseline": score_sets(gold, baseline, criteria),
    }
    if dataset == "paraphrases":
        report["paraphrase_found_share"] = _found_share(docs, predicted)
        negatives = [p for d, p in zip(docs, predicted, strict=True) if not d.criteria]
        report["negatives_with_any_hit"] = {
            "rolefit": sum(1 for p in negatives if p),
            "keyword_baseline": sum(1 for d, b in zip(docs, baseline, strict=True)
                                    if not d.criteria and b),
            "negatives": len(negatives),
        }
    return report


def _found_share(docs: list[LabelledDoc], predicted: list[set[str]]) -> dict:
    positives = [(d, p) for d, p in zip(docs, predicted, strict=True) if d.criteria]
    found = sum(1 for d, p in positives if d.criteria <= p)
    per: dict[str, list[int]] = {}
    for d, p in positives:
        (criterion,) = d.criteria
        per.setdefault(criterion, []).append(int(criterion in p))
    return {"overall": round(found / len(positives), 3),
            "per_criterion": {c: round(sum(v) / len(v), 3) for c, v in per.items()}}


def format_extraction_report(report: dict) -> str:
    """A plain-text table of the report."""
    ours, base = report["rolefit"], report["keyword_baseline"]
    lines = [f"dataset: {report['dataset']} ({report['documents']} documents)",
             f"{'criterion':<10}{'support':>8}  {'P':>6}{'R':>6}{'F1':>6}   "
             f"{'base P':>6}{'base R':>7}{'base F1':>8}"]
    for criterion, row in ours["per_criterion"].items():
        b = base["per_criterion"][criterion]
        lines.append(f"{criterion:<10}{row['support']:>8}  {row['precision']:>6.2f}"
                     f"{row['recall']:>6.2f}{row['f1']:>6.2f}   {b['precision']:>6.2f}"
                     f"{b['recall']:>7.2f}{b['f1']:>8.2f}")
    m, bm = ours["micro"], base["micro"]
    lines.append(f"{'micro':<10}{'':>8}  {m['precision']:>6.2f}{m['recall']:>6.2f}{m['f1']:>6.2f}"
                 f"   {bm['precision']:>6.2f}{bm['recall']:>7.2f}{bm['f1']:>8.2f}")
    if "paraphrase_found_share" in report:
        lines.append(f"paraphrases found: {report['paraphrase_found_share']['overall']:.1%}")
        neg = report["negatives_with_any_hit"]
        lines.append(f"negative lines with any hit: rolefit {neg['rolefit']}/{neg['negatives']}, "
                     f"baseline {neg['keyword_baseline']}/{neg['negatives']}")
    return "\n".join(lines)


def annotator_agreement() -> dict:
    """How far the two independent labelling passes of the real résumés agree (pass 2 labels a
    subset of pass 1): criterion ids, primary role and graded fits."""
    from scipy.stats import spearmanr
    from sklearn.metrics import cohen_kappa_score

    first = {x["id"]: x for x in load_real_labels("pass1")}
    second = [x for x in load_real_labels("pass2") if x["id"] in first]
    if not second:
        raise FileNotFoundError("no overlapping labels between pass1 and pass2")
    ids = [f"A{i}" for i in range(1, 13)] + [f"S{i}" for i in range(1, 11)] + ["D1", "D2", "D3"]
    gold = [frozenset(first[x["id"]]["criteria"]) for x in second]
    other = [set(x["criteria"]) for x in second]
    flat_a = [int(c in g) for g in gold for c in ids]
    flat_b = [int(c in o) for o in other for c in ids]
    roles_a = [first[x["id"]]["primary_role"] for x in second]
    roles_b = [x["primary_role"] for x in second]
    report = {
        "documents": len(second),
        "criteria_micro": score_sets(gold, other, ids)["micro"],
        "criteria_kappa": round(float(cohen_kappa_score(flat_a, flat_b)), 3),
        "primary_role_agreement": round(sum(a == b for a, b in zip(roles_a, roles_b,
                                                                   strict=True)) / len(second), 3),
        "primary_role_kappa": round(float(cohen_kappa_score(roles_a, roles_b)), 3),
    }
    for role in ("assistant", "secretary"):
        a = [first[x["id"]][f"{role}_fit"] for x in second]
        b = [x[f"{role}_fit"] for x in second]
        report[f"{role}_fit_spearman"] = round(float(spearmanr(a, b).statistic), 3)
    return report
