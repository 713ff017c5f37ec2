"""Notebook plots: each draws exactly the data it is given (points, bars, cells, curves), and the
displaCy data highlights the evidence at its offsets."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

import rolefit  # noqa: E402
from rolefit import model_evaluation, plots  # noqa: E402
from rolefit.criteria import load_criteria  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "data" / "examples").iterdir())
SECRETARY_TEXT = """ANA SOUZA
EXPERIENCE
Secretary to the Board, Norte Energia, 2016 - Present
• Prepare briefing notes setting out options before the CEO decides.
• Organise board meetings, prepare the agenda and papers and take the minutes.
• Manage the CEO's diary and keep custody of the company seal.
"""


@pytest.fixture(scope="module")
def model():
    return rolefit.load()


@pytest.fixture(scope="module")
def results(model):
    return list(model.iter_scores([*EXAMPLES, ("text-1", SECRETARY_TEXT), ("empty", " ")]))


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_fit_scatter_draws_each_scored_candidate_in_its_best_role_colour(results) -> None:
    scores = rolefit.scores_frame(results)
    ax = plots.fit_scatter(scores)
    ok = scores[scores["status"] == "ok"]
    roles = [r for r in plots.ROLE_ORDER if (ok["best_role"] == r).any()]
    assert len(ax.collections) == len(roles) >= 2
    for collection, role in zip(ax.collections, roles, strict=True):
        rows = ok[ok["best_role"] == role]
        assert np.allclose(collection.get_offsets(),
                           rows[["assistant_fit", "secretary_fit"]].to_numpy())
        assert to_hex(collection.get_facecolor()[0]) == plots.ROLE_COLORS[role]
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(results) - 1  # no error row
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [f"{r} ({(ok['best_role'] == r).sum()})" for r in roles]


def test_fit_histogram_stacks_the_counts_by_best_role(results) -> None:
    scores = rolefit.scores_frame(results)
    ok = scores[scores["status"] == "ok"]
    ax = plots.fit_histogram(results, role="secretary", bins=5)
    roles = [r for r in plots.ROLE_ORDER if (ok["best_role"] == r).any()]
    assert len(ax.containers) == len(roles)
    edges = np.linspace(0, 100, 6)
    below = np.zeros(5)
    for container, role in zip(ax.containers, roles, strict=True):
        heights = np.array([bar.get_height() for bar in container])
        expected, _ = np.histogram(ok.loc[ok["best_role"] == role, "secretary_fit"], edges)
        assert np.array_equal(heights, expected)
        assert np.allclose([bar.get_y() for bar in container], below)
        below += heights
    assert below.sum() == len(ok)


def test_coverage_heatmap_shows_the_coverage_matrix_with_criterion_ids_in_order(results) -> None:
    coverage = rolefit.coverage_frame(results)
    ax = plots.coverage_heatmap(coverage)
    assert np.array_equal(ax.images[0].get_array(), coverage.to_numpy())
    assert [t.get_text() for t in ax.get_xticklabels()] == load_criteria().ids
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        Path(i).name for i in coverage.index]
    separators = sorted(line.get_xdata()[0] for line in ax.lines)
    assert separators == [11.5, 21.5]  # A12 | S1 and S10 | D1
    assert ax.images[0].get_clim() == (0, coverage.to_numpy().max())


WEIGHTS = pd.DataFrame([
    ("assistant", "A1:count", "A1", 0.5), ("assistant", "A1:rule", "A1", 0.25),
    ("assistant", "S1:count", "S1", -1.0), ("assistant", "skills:finance", "skills", 2.0),
    ("assistant", "D1:rule", "D1", 0.1), ("secretary", "S1:count", "S1", 3.0),
], columns=["role", "feature", "group", "weight"])


def test_weights_plot_ranks_groups_by_summed_weight() -> None:
    ax = plots.weights_plot(WEIGHTS, "assistant")
    bars = sorted(ax.patches, key=lambda p: -p.get_y())  # top bar first
    assert [b.get_width() for b in bars] == [2.0, -1.0, 0.75, 0.1]
    labels = {round(t.get_position()[1]): t.get_text() for t in ax.get_yticklabels()}
    assert [labels[round(b.get_y() + b.get_height() / 2)] for b in bars] == [
        "skills", "S1", "A1", "D1"]
    assert [to_hex(b.get_facecolor()) for b in bars] == [
        plots.ROLE_COLORS["assistant"], plots.ROLE_COLORS["neither"],
        plots.ROLE_COLORS["assistant"], plots.ROLE_COLORS["assistant"]]
    criteria_only = plots.weights_plot(WEIGHTS, "assistant", top=2, criteria_only=True)
    assert [t.get_text() for t in criteria_only.get_yticklabels()] == ["S1", "A1"]  # top first


def test_weights_plot_of_the_shipped_model(model) -> None:
    weights = model.classifier.feature_weights()
    ax = plots.weights_plot(weights, "secretary", top=5, criteria_only=True)
    top = plots.group_weights(weights, "secretary", criteria_only=True).iloc[:5]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(top.index)
    assert all(label[:1] in "ASD" for label in top.index)


@pytest.fixture(scope="module")
def report(model):
    items = model_evaluation.load_labelled("dev")[:12]
    return model_evaluation.evaluate(model, items)


def test_confusion_plot_shows_the_evaluation_matrix(report) -> None:
    ax = plots.confusion_plot(report)
    info = report["model"]["confusion_matrix"]
    matrix = np.array(info["rows_gold_columns_predicted"])
    assert np.array_equal(ax.images[0].get_array(), matrix)
    assert matrix.sum() == 12
    assert [t.get_text() for t in ax.get_xticklabels()] == info["labels"]
    assert [t.get_text() for t in ax.get_yticklabels()] == info["labels"]
    cells = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text()
             for t in ax.texts}
    assert cells == {(i, j): str(v) for (i, j), v in np.ndenumerate(matrix)}
    assert f"{report['model']['macro_f1']:.3f}" in ax.get_title()


def test_calibration_plot_draws_the_reliability_bins(report) -> None:
    ax = plots.calibration_plot(report)
    diagonal, *curves = ax.lines
    assert list(diagonal.get_xdata()) == [0, 1] == list(diagonal.get_ydata())
    assert len(curves) == 2
    for line, role in zip(curves, ("assistant", "secretary"), strict=True):
        bins = report["model"][f"{role}_reliability"]
        assert list(line.get_xdata()) == [b["mean_predicted"] for b in bins]
        assert list(line.get_ydata()) == [b["observed_fit_rate"] for b in bins]
        assert line.get_label() == f"{role} (Brier {report['model'][role + '_brier']:.3f})"
    sizes = [t.get_text() for t in ax.texts]
    assert sizes == [f"n={b['n']}" for role in ("assistant", "secretary")
                     for b in report["model"][f"{role}_reliability"]]
    assert sum(b["n"] for b in report["model"]["assistant_reliability"]) == 12


def test_displacy_span_data_covers_each_evidence_item_exactly(results) -> None:
    import spacy

    result = max(results, key=lambda r: len(r.evidence))
    data = plots.displacy_data(result)
    doc = spacy.blank("en")(data["text"])
    assert data["tokens"] == [t.text for t in doc]
    found = {(doc[s["start_token"]:s["end_token"]].start_char,
              doc[s["start_token"]:s["end_token"]].end_char, s["label"]) for s in data["spans"]}
    assert found == {(e.start, e.end, e.criterion) for e in result.evidence}
    assert len(data["spans"]) == len(found)
    assert data["title"] == Path(result.id).name


def test_displacy_ent_data_uses_character_offsets_without_overlaps(results) -> None:
    result = max(results, key=lambda r: len(r.evidence))
    data = plots.displacy_data(result, style="ent")
    items = {(e.start, e.end, e.criterion): e.text for e in result.evidence}
    ends = [0]
    for ent in data["ents"]:
        key = (ent["start"], ent["end"], ent["label"])
        assert data["text"][ent["start"]:ent["end"]] == items[key]
        assert ent["start"] >= ends[-1]
        ends.append(ent["end"])
    shown = [(ent["start"], ent["end"]) for ent in data["ents"]]
    for start, end, _criterion in items:  # an item left out overlaps one that is shown
        assert any(start < e and s < end for s, e in shown)


def test_displacy_needs_the_text_of_text_inputs(results) -> None:
    result = next(r for r in results if r.id == "text-1")
    assert result.evidence
    with pytest.raises(ValueError, match="not a file"):
        plots.displacy_data(result)
    with pytest.raises(ValueError, match="do not match"):
        plots.displacy_data(result, text="Some other résumé text entirely, much longer " * 9)
    data = plots.displacy_data(result, text=SECRETARY_TEXT, style="ent")
    assert {ent["label"] for ent in data["ents"]} <= set(result.criteria)
    html = plots.render_evidence(result, text=SECRETARY_TEXT, jupyter=False)
    for criterion in result.criteria:
        assert re.search(rf">\s*{criterion}\s*</span>", html)
    assert plots.evidence_colors(result)["S1"] == plots.HIGHLIGHT_COLORS["secretary"]
