"""MODEL_CARD.md, generated from the model's metadata and its measured figures."""

from __future__ import annotations

import json
from pathlib import Path

from rolefit.resources import models_path

SETS = (("dev", "development set (64 résumés written apart from the cues; also used for "
                "error analysis while building the extractor)"),
        ("dev2", "second development set (60 résumés in job-board styles by a fourth writer; "
                 "used for error analysis and model choices in session 2)"),
        ("dev3", "third development set (80 résumés as an applicant pool sends them: layout "
                 "noise, careers outside the office with office words, near-miss office jobs; "
                 "two writers; used for model choices in session 4)"),
        ("dev4", "fourth development set (60 résumés as an applicant pool sends them, half of "
                 "them near-miss office jobs, by an eighth writer; written in session 5, first "
                 "used to compare the binary and the ordinal role model)"),
        ("heldout", "held-out set (60 résumés in other styles by another writer; never trained "
                    "or tuned on)"),
        ("heldout2", "second held-out set (60 résumés in British/Commonwealth CV styles by a "
                     "fifth writer, written in session 3 apart from the model choices)"),
        ("heldout3", "third held-out set (60 long job-board-style résumés, careers mixing office "
                     "and other work, by a sixth writer; written in session 3 apart from the model "
                     "choices)"),
        ("heldout4", "fourth held-out set (60 résumés as an applicant pool sends them, by a "
                     "seventh writer; written in session 4 apart from the model choices)"),
        ("heldout5", "fifth held-out set (60 résumés as an applicant pool sends them, by a "
                     "ninth writer following the brief's conventions for borderline cases as "
                     "they stood in session 5; written before that session's model changes)"),
        ("heldout6", "sixth held-out set (60 résumés as an applicant pool sends them, a third "
                     "of them anonymised as on a public résumé site, by a tenth writer following "
                     "the brief as revised in session 6; written before that session's model "
                     "change)"),
        ("heldout7", "seventh held-out set (60 résumés as an applicant pool sends them, many "
                     "near-miss office jobs and mixed careers, by an eleventh writer following "
                     "the brief as revised in session 6; written before session 7's experiments, "
                     "which it helped reject)"),
        ("real", "real public résumés (120 from ../shared/data/livecareer, labelled by us)"),
        ("real-dev", "the half of the real set used for error analysis (by a hash of the id)"),
        ("real-test", "the other half of the real set, only ever scored in aggregate"))


def measure(model) -> dict:
    """Evaluate the model on every labelled set that is present."""
    from rolefit import model_evaluation

    figures = {}
    for name, _ in SETS:
        try:
            items = model_evaluation.load_labelled(name)
        except FileNotFoundError:
            continue
        report = model_evaluation.evaluate(model, items)
        report.pop("predictions", None)
        figures[name] = report
    from rolefit import fairness

    figures["counterfactual"] = fairness.measure_dev(model).to_dict()
    return figures


MASKED = ("names (the header name line, \"Name:\" fields, signatures, honorific + name, common "
          "given names followed by a surname, and every later mention of the candidate's name), "
          "e-mail addresses, phone numbers, street addresses and postal codes, URLs and social "
          "profiles or handles, date of birth and age, gender words, pronouns and honorifics, "
          "marital and family status, nationality, citizenship and ethnicity, religion, photo "
          "captions (image alt text is never read), other protected fields (disability, "
          "health, veteran status, sexual orientation, political affiliation), and the names of "
          "women's, men's and historically Black colleges")


def fairness_section(figures: dict) -> list[str]:
    """The model card's fairness section; counterfactual figures come from `figures`."""
    lines = [
        "## Fairness and privacy",
        "",
        "**The scores support a human decision; they must not be used to reject candidates "
        "automatically.** A person reads the evidence and decides.",
        "",
        "### Blind scoring",
        "",
        f"Before any feature is built, rolefit masks {MASKED} (`rolefit/redact.py`, vocabularies "
        "in `data/redaction.yaml`). Masking keeps lengths, so the model reads the masked text "
        "while the evidence shown to the recruiter quotes the original; a masked span reads as "
        "one word whatever its length. `rolefit redact FILE` prints what the model sees.",
        "",
        "Not masked: town and region, employer names, graduation and employment years (which "
        "hint at age), languages spoken (evidence for the roles), gendered job titles such as "
        "\"chairwoman\", and names the heuristics miss (a name that is not at the top, not in "
        "a field and not a common given name). The college list is partial.",
        "",
        "### Counterfactual invariance",
        "",
    ]
    cf = figures.get("counterfactual")
    if not cf:
        lines += ["Not measured for this card (run `rolefit model-card` or "
                  "`rolefit counterfactual`).", ""]
    else:
        base = cf["base"]
        lines += [
            f"Every development résumé ({cf['documents']}) was scored as a base persona "
            f"({base['name']}, {base['pronouns']}, age {base['age']}, {base['college']}) and "
            "with one attribute swapped at a time, written where it naturally appears (header "
            "line, \"Age: … · Born …\", a sentence about the candidate, the education line). "
            "Absolute change of each role's fit, in points out of 100 "
            "(`rolefit counterfactual`):",
            "",
            "| swapped | values | " + " | ".join(f"{r} max | {r} mean" for r in cf["roles"])
            + " |",
            "|---|---|" + "---|---|" * len(cf["roles"]),
        ]
        for dimension, by_role in sorted(cf["per_dimension"].items()):
            values = ", ".join(str(v) for v in cf["swaps"].get(dimension, []))
            lines.append(f"| {dimension} | {values} | " + " | ".join(
                f"{by_role[r]['max']:.2f} | {by_role[r]['mean']:.3f}" for r in cf["roles"])
                + " |")
        worst = ", ".join(f"{r} {v:.2f}" for r, v in cf["max_delta"].items())
        lines += ["", f"Largest change: {worst} points; the best role changed in "
                  f"{cf['best_role_changes']} variant(s). The test suite requires every change "
                  "to stay within 1 point.", ""]
    lines += [
        "### Bias audit",
        "",
        "rolefit never sees demographic data. To audit a hiring round, score the résumés, join "
        "the results with the demographic columns the hiring system holds, and run:",
        "",
        "```bash",
        "rolefit score resumes/ -o scored.csv",
        "# join scored.csv with the applicants' demographic columns (e.g. sex, race) by id",
        "rolefit audit joined.csv --group sex --group race --top 20 -o audit.csv",
        "```",
        "",
        "Per role and per category (and intersectional category) it reports the count, the "
        "scoring rate (share scoring above the median fit of the whole set, as the NYC DCWP "
        "rules define it for scores), the selection rate at `--threshold` or `--top N`, and the "
        "impact ratio (rate / highest rate); ratios under 0.8 are flagged. Categories under 2% "
        "of the rows are reported as excluded, rows missing a demographic value are counted. "
        "No such audit has been run on real applicants: an employer using rolefit must run one "
        "on its own data (NYC Local Law 144 asks for an independent auditor).",
        "",
    ]
    return lines


def render(meta: dict, figures: dict) -> str:
    cv = meta.get("cv_scores", {})
    lines = [
        "# rolefit role-fit model card",
        "",
        "Generated by `rolefit train` (or `rolefit model-card`) from the model's metadata and "
        "`rolefit evaluate`; rerun either to reproduce every figure below.",
        "",
        "## Intended use",
        "",
        "Decision support for a human recruiter: rolefit says how well a résumé evidences the "
        "duties and knowledge of the **assistant** and the **secretary** roles of the source "
        "document, and shows the evidence. **It must not be used to reject candidates "
        "automatically.** A low score means the résumé does not show the evidence, not that the "
        "person cannot do the job. Roles are judged by duties and knowledge (criteria A1–A12, "
        "S1–S10, D1–D3), never by job title.",
        "",
        "## Model",
        "",
        "* Extraction: spaCy pipeline on `spacy.blank(\"en\")` (cue rules from "
        "`data/criteria/assistant_secretary.yaml`, a sentence-level duty classifier, knowledge "
        "and skills extractors).",
        "* Features: per-criterion evidence strength (distinct sentences, rule/model source, in "
        "experience sections, in a job that ended within three years of the résumé's latest "
        "date, years of the jobs holding it), criteria per role, the longest job holding each "
        "role's duties, whether jobs are dated, education level, specialised "
        "knowledge, certifications, languages, total and relevant years, skill categories. No "
        "title words.",
        f"* Per role: standardised linear model (C={meta.get('role_model_C', 1.0)}) fitted on "
        "the whole graded fit (`CumulativeLogisticRegression`: one weight vector shared by the "
        "cut-points none < weak < good < strong), calibrated with `CalibratedClassifierCV` "
        "(sigmoid). A fit is 100 × the calibrated probability that the role fits (graded good "
        "or strong). Best role: `neither` when no fit reaches the threshold "
        f"**{meta.get('threshold', float('nan')):.3f}** (chosen on out-of-fold predictions), "
        "the fitting role, or when both fit, the role a preference model trained on such "
        "résumés picks (D1–D3 evidence decides, as the brief says).",
        f"* Versions: rolefit {meta.get('rolefit_version')}, scikit-learn "
        f"{meta.get('sklearn_version')}, spaCy {meta.get('spacy_version')}. "
        f"Artefact SHA-256 `{meta.get('artefact_sha256', '')[:16]}…`, criteria SHA-256 "
        f"`{meta.get('criteria_sha256', '')[:16]}…`, training data SHA-256 "
        f"`{meta.get('training_data_sha256', '')[:16]}…`.",
        "",
        "## Training data",
        "",
        f"* {meta.get('training_resumes', {}).get('generated', 0)} generated résumés assembled "
        "from our hand-written sentence bank (`data/train/bank*/`): clear cases of both roles, "
        "mixed profiles, near-miss office jobs, keyword traps from over 30 other occupations, "
        "title traps, PDF damage and non-native English; labels follow from the lines each "
        "résumé contains, graded as our labellers grade: one to three criteria of a role are "
        "a weak fit, four to six good, seven or more strong, and a role's lines that make up "
        "under 30% of a résumé's duties (another career's incidental office work) weak at "
        "most; duties count fully however long ago and however briefly they were held. "
        "Lines are split in two folds and each résumé is extracted by a duty "
        "classifier that never saw its lines.",
        f"* {meta.get('training_resumes', {}).get('hand_written', 0)} hand-written labelled "
        "résumés (`data/train/resumes/`).",
        "",
        "## Measured figures",
        "",
        f"Cross-validation on the training résumés (out-of-fold): macro-F1 "
        f"{cv.get('macro_f1', float('nan')):.3f}, accuracy {cv.get('accuracy', float('nan')):.3f}.",
        "",
        "| set | macro-F1 | keyword baseline | title-only baseline | title-trap accuracy | "
        "Spearman assistant | Spearman secretary | Brier assistant | Brier secretary |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, description in SETS:
        if name not in figures:
            lines.append(f"| {name} | not measured (set absent) | | | | | | | |")
            continue
        m = figures[name]["model"]
        k, t = figures[name]["keyword_baseline"], figures[name]["title_baseline"]
        trap = (f"{m['title_trap_accuracy']:.2f} (n={m['title_trap_n']}; title-only "
                f"{t['title_trap_accuracy']:.2f})" if "title_trap_n" in m else "n/a")
        lines.append(
            f"| {name}: {description} | {m['macro_f1']:.3f} | {k['macro_f1']:.3f} | "
            f"{t['macro_f1']:.3f} | {trap} | {m['assistant_spearman']:.3f} | "
            f"{m['secretary_spearman']:.3f} | {m['assistant_brier']:.3f} | "
            f"{m['secretary_brier']:.3f} |")
    held_out = [name for name, _ in SETS if name.startswith("heldout") and name in figures]
    for held in held_out:
        if cv:
            gap = cv["macro_f1"] - figures[held]["model"]["macro_f1"]
            lines += ["", f"Gap between cross-validation and {held} macro-F1: {gap:+.3f}."]
    from rolefit.model_evaluation import RELIABILITY_BINS

    lines += ["", "Reliability (mean predicted fit → observed share judged fit, "
              f"{RELIABILITY_BINS} bins):", ""]
    for name, _ in SETS:
        if name in figures:
            for role in ("assistant", "secretary"):
                bins = ", ".join(f"{b['mean_predicted']:.2f}→{b['observed_fit_rate']:.2f}"
                                 for b in figures[name]["model"][f"{role}_reliability"])
                lines.append(f"* {name}, {role}: {bins}")
    if held_out:
        n = sum(figures[name]["documents"] for name in held_out)
        lines += ["", f"Pooled over the {len(held_out)} held-out sets ({n} résumés; mean "
                  "predicted fit → observed share judged fit (number of résumés)):", ""]
        for role in ("assistant", "secretary"):
            pooled = pooled_reliability([figures[name]["model"][f"{role}_reliability"]
                                         for name in held_out])
            bins = ", ".join(f"{b['mean_predicted']:.2f}→{b['observed_fit_rate']:.2f} "
                             f"({b['n']})" for b in pooled)
            lines.append(f"* {role}: {bins}")
    lines += ["", *fairness_section(figures)]
    lines += [
        "## Known limits",
        "",
        "* English résumés only; other languages are not supported.",
        "* Scanned PDFs without a text layer are refused (run OCR first).",
        "* Training résumés are generated or hand-written to order; real résumés are harder "
        "(see the `real` row). The evaluation sets were written and labelled by separate "
        "writers working from the source document, not by recruiters; on 40 real résumés two "
        "independent labelling passes agreed on the primary role 90% of the time.",
        "* Small sets: the dev and held-out figures rest on about 60 résumés each.",
        "",
        "## How to retrain",
        "",
        "```bash",
        "rolefit train            # duty classifier, cross-fitted extraction, role model, card",
        "rolefit evaluate heldout # figures on a labelled set",
        "```",
    ]
    return "\n".join(lines) + "\n"


def pooled_reliability(curves: list[list[dict]]) -> list[dict]:
    """Several sets' reliability curves (the same uniform bins of predicted fit, each bin
    carrying its index) pooled into one: each bin's mean predicted fit and observed share,
    weighted by its number of résumés."""
    totals: dict[int, list[float]] = {}
    for curve in curves:
        for b in curve:
            total = totals.setdefault(b["bin"], [0, 0.0, 0.0])
            total[0] += b["n"]
            total[1] += b["n"] * b["mean_predicted"]
            total[2] += b["n"] * b["observed_fit_rate"]
    return [{"mean_predicted": round(p / n, 3), "observed_fit_rate": round(o / n, 3),
             "n": int(n), "bin": k} for k, (n, p, o) in sorted(totals.items())]


def write(meta: dict, figures: dict, folder: Path | None = None) -> Path:
    folder = folder or models_path()
    path = folder / "MODEL_CARD.md"
    path.write_text(render(meta, figures), encoding="utf-8")
    (folder / "metrics.json").write_text(json.dumps(figures, indent=2, sort_keys=True),
                                         encoding="utf-8")
    return path
