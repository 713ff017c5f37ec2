"""Notebook plots of scoring results, the model's weights and its evaluation, and displaCy
highlighting of one candidate's evidence.

Every plot takes data (a DataFrame, results, a report dict), draws on `ax` (a new figure when
None) and returns the matplotlib Axes. matplotlib is imported only when a plot is drawn
(`pip install "rolefit[notebook]"`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from rolefit.frames import as_records, scores_frame

ROLE_COLORS = {"assistant": "#3b7dd8", "secretary": "#c2572b", "neither": "#8c8c8c"}
HIGHLIGHT_COLORS = {"assistant": "#cfe0fa", "secretary": "#f9d6c8"}
ROLE_ORDER = ("assistant", "secretary", "neither")


def _axes(ax, figsize: tuple[float, float] = (6.0, 4.5)):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _figure, ax = plt.subplots(figsize=figsize)
    return ax


def _short(identifier: str) -> str:
    return Path(identifier).name or identifier


def _ok(scores) -> pd.DataFrame:
    frame = scores_frame(scores)
    return frame[frame["status"] == "ok"]


# -- fits -------------------------------------------------------------------------------------
def fit_scatter(scores, ax=None):
    """Assistant fit against secretary fit, one point per scored résumé, coloured by best role
    (one scatter collection per role, in `ROLE_ORDER`). Error rows are left out."""
    ax = _axes(ax, (5.5, 5.0))
    frame = _ok(scores)
    for role in ROLE_ORDER:
        rows = frame[frame["best_role"] == role]
        if len(rows):
            ax.scatter(rows["assistant_fit"], rows["secretary_fit"], color=ROLE_COLORS[role],
                       label=f"{role} ({len(rows)})", alpha=0.8, edgecolors="white")
    ax.set(xlim=(-2, 102), ylim=(-2, 102), xlabel="assistant fit (0-100)",
           ylabel="secretary fit (0-100)", title="Fit of each candidate")
    ax.legend(title="best role", loc="best")
    return ax


def fit_histogram(scores, role: str = "assistant", bins: int = 10, ax=None):
    """A role's fit as a histogram over 0-100, stacked by best role (one bar container per
    best role present, in `ROLE_ORDER`)."""
    ax = _axes(ax)
    frame = _ok(scores)
    present = [r for r in ROLE_ORDER if (frame["best_role"] == r).any()]
    values = [frame.loc[frame["best_role"] == r, f"{role}_fit"].to_numpy() for r in present]
    if present:
        ax.hist(values, bins=np.linspace(0, 100, bins + 1), stacked=True,
                color=[ROLE_COLORS[r] for r in present], label=present)
        ax.legend(title="best role")
    ax.set(xlim=(0, 100), xlabel=f"{role} fit (0-100)", ylabel="candidates",
           title=f"Distribution of the {role} fit")
    return ax


# -- criteria ---------------------------------------------------------------------------------
def coverage_heatmap(coverage: pd.DataFrame, vmax: float | None = None, ax=None):
    """Candidates × criteria from `rolefit.coverage_frame`: the cell colour is the number of
    evidence items (counts above `vmax` share the darkest colour; default: the largest count);
    columns keep the frame's order (the criteria file's, by default)."""
    ax = _axes(ax, (9.0, 1.0 + 0.3 * max(len(coverage), 3)))
    values = coverage.to_numpy()
    if vmax is None:
        vmax = max(float(values.max()) if values.size else 0.0, 1.0)
    image = ax.imshow(values, aspect="auto", cmap="Blues", vmin=0, vmax=vmax,
                      interpolation="nearest")
    columns = [str(c) for c in coverage.columns]
    ax.set_xticks(range(len(columns)), columns, rotation=90)
    ax.set_yticks(range(len(coverage)), [_short(str(i)) for i in coverage.index])
    for position in range(1, len(columns)):  # a line where the id letter changes (A | S | D)
        if columns[position][:1] != columns[position - 1][:1]:
            ax.axvline(position - 0.5, color="black", linewidth=0.8)
    ax.set(xlabel="criterion", title="Criteria evidenced per candidate")
    ax.figure.colorbar(image, ax=ax, label="evidence items")
    return ax


def group_weights(weights: pd.DataFrame, role: str, criteria_only: bool = False) -> pd.Series:
    """A role's weights from `RoleFitClassifier.feature_weights()` summed per group (a criterion
    id's count/rule/model/section features together), largest magnitude first."""
    rows = weights[weights["role"] == role]
    if criteria_only:
        rows = rows[rows["group"].str[:1].str.isupper()]
    summed = rows.groupby("group", sort=False)["weight"].sum()
    return summed.reindex(summed.abs().sort_values(ascending=False, kind="stable").index)


def weights_plot(weights: pd.DataFrame, role: str, top: int | None = 12,
                 criteria_only: bool = False, ax=None):
    """What weighs most for a role: `group_weights` as horizontal bars, the largest at the top;
    bars that raise the fit in the role's colour, bars that lower it in grey."""
    summed = group_weights(weights, role, criteria_only)
    if top is not None:
        summed = summed.iloc[:top]
    ax = _axes(ax, (5.5, 1.0 + 0.3 * max(len(summed), 3)))
    positions = np.arange(len(summed))[::-1]
    colors = [ROLE_COLORS.get(role, "#3b7dd8") if w > 0 else ROLE_COLORS["neither"]
              for w in summed]
    ax.barh(positions, summed.to_numpy(), color=colors)
    ax.set_yticks(positions, list(summed.index))
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set(xlabel="weight (log-odds per SD, summed over the group)",
           title=f"What moves the {role} fit")
    return ax


# -- evaluation -------------------------------------------------------------------------------
def _model_part(report: dict) -> dict:
    return report.get("model", report)


def confusion_plot(report: dict, ax=None):
    """The confusion matrix of `rolefit.model_evaluation.evaluate` (rows: labelled role,
    columns: predicted), with the count in each cell."""
    part = _model_part(report)
    matrix_info = part.get("confusion_matrix", part)
    labels = list(matrix_info["labels"])
    matrix = np.asarray(matrix_info["rows_gold_columns_predicted"])
    ax = _axes(ax, (4.5, 4.0))
    ax.imshow(matrix, cmap="Blues", vmin=0, interpolation="nearest")
    ax.set_xticks(range(len(labels)), labels)
    ax.set_yticks(range(len(labels)), labels)
    threshold = matrix.max() / 2 if matrix.size else 0
    for (i, j), count in np.ndenumerate(matrix):
        ax.text(j, i, str(count), ha="center", va="center",
                color="white" if count > threshold else "black")
    title = "Confusion matrix"
    if "macro_f1" in part:
        title += f" (macro-F1 {part['macro_f1']:.3f})"
    ax.set(xlabel="predicted best role", ylabel="labelled primary role", title=title)
    return ax


def calibration_plot(report: dict, roles: tuple[str, ...] = ("assistant", "secretary"),
                     ax=None):
    """Reliability curves of `rolefit.model_evaluation.evaluate`: per role, the mean predicted
    fit of each bin against the share of résumés labelled a good fit; the diagonal is perfect
    calibration. Lines are the diagonal, then one per role in `roles`; each point is labelled
    with the number of résumés in its bin when the report has it."""
    part = _model_part(report)
    ax = _axes(ax, (5.0, 5.0))
    ax.plot([0, 1], [0, 1], linestyle="--", color="black", linewidth=0.8,
            label="perfectly calibrated")
    for role in roles:
        bins = part[f"{role}_reliability"]
        label = role + (f" (Brier {part[f'{role}_brier']:.3f})" if f"{role}_brier" in part
                        else "")
        line, = ax.plot([b["mean_predicted"] for b in bins],
                        [b["observed_fit_rate"] for b in bins],
                        marker="o", color=ROLE_COLORS.get(role), label=label)
        for b in bins:
            if "n" in b:
                ax.annotate(f"n={b['n']}", (b["mean_predicted"], b["observed_fit_rate"]),
                            textcoords="offset points", xytext=(5, -12), fontsize=8,
                            color=line.get_color())
    ax.set(xlim=(0, 1), ylim=(-0.02, 1.02), xlabel="predicted fit (0-1)",
           ylabel="share labelled a good fit", title="Calibration")
    ax.legend(loc="upper left")
    return ax


# -- displaCy ---------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("en")


def _scored_text(record: dict, text: str | None) -> str:
    from rolefit import ingest

    if text is not None:
        resolved = ingest.from_text(text).text
    elif Path(record["id"]).is_file():
        resolved = ingest.read_path(Path(record["id"])).text
    else:
        raise ValueError(f"{record['id']!r} is not a file: pass the résumé's text as `text`")
    for item in record["evidence"]:
        if resolved[item["start"]:item["end"]] != item["text"]:
            raise ValueError(f"the evidence offsets of {record['id']!r} do not match this text "
                             "(pass the text that was scored)")
    return resolved


def displacy_data(result, text: str | None = None, style: str = "span") -> dict:
    """displaCy manual data highlighting a result's evidence, labelled by criterion id.

    `result` is a `FitResult` or a result record; `text` the résumé's text (default: the file
    named by the result's id is read again). `style="span"` shows every item, overlapping ones
    too (token offsets); `style="ent"` gives character offsets and drops an item that overlaps
    an earlier one. Render with `spacy.displacy.render(data, style=style, manual=True,
    options={"colors": evidence_colors(result)})`, or call `render_evidence`."""
    record = as_records(result)[0]
    resolved = _scored_text(record, text)
    evidence = sorted({(e["start"], e["end"], e["criterion"]) for e in record["evidence"]})
    title = _short(str(record["id"]))
    if style == "ent":
        ents, position = [], 0
        for start, end, criterion in evidence:
            if start >= position:
                ents.append({"start": start, "end": end, "label": criterion})
                position = end
        return {"text": resolved, "ents": ents, "title": title}
    if style != "span":
        raise ValueError(f"style must be 'span' or 'ent', not {style!r}")
    doc = _tokenizer()(resolved)
    spans = []
    for start, end, criterion in evidence:
        span = doc.char_span(start, end, alignment_mode="expand")
        spans.append({"start_token": span.start, "end_token": span.end, "label": criterion})
    return {"text": resolved, "tokens": [t.text for t in doc], "spans": spans, "title": title}


def evidence_colors(result) -> dict[str, str]:
    """displaCy colours: each criterion id in the result's evidence in its role's colour."""
    record = as_records(result)[0]
    return {e["criterion"]: HIGHLIGHT_COLORS.get(e["role"], "#dddddd")
            for e in record["evidence"]}


def render_evidence(result, text: str | None = None, style: str = "span",
                    jupyter: bool | None = None):
    """Show one candidate's evidence with displaCy (in a notebook it displays; elsewhere it
    returns the HTML)."""
    from spacy import displacy

    return displacy.render(displacy_data(result, text, style), style=style, manual=True,
                           jupyter=jupyter, options={"colors": evidence_colors(result)})


__all__ = ["ROLE_COLORS", "calibration_plot", "confusion_plot", "coverage_heatmap",
           "displacy_data", "evidence_colors", "fit_histogram", "fit_scatter", "group_weights",
           "render_evidence", "weights_plot"]
