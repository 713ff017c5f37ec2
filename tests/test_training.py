"""`rolefit train` is reproducible, and its training data is what the README says."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from rolefit import model_card, synth, training
from rolefit.scoring import load

ROOT = Path(__file__).resolve().parents[1]


def test_generator_is_deterministic_and_labels_follow_the_rule() -> None:
    bank = synth.load_bank()
    first = synth.Generator(bank, seed=11).many(40, 0)
    second = synth.Generator(bank, seed=11).many(40, 0)
    assert [g.text for g in first] == [g.text for g in second]
    for item in first:
        a, s, primary = synth.label(set(item.criteria))
        assert item.assistant_fit <= a and item.secretary_fit <= s  # incidental caps only lower
    four_a = {"A1", "A2", "A3", "A4"}
    assert synth.label(four_a | {"S1"}) == (2, 1, "assistant")
    assert synth.label(four_a | {"S1", "S2", "S3", "D1"}) == (2, 2, "secretary")
    assert synth.label(four_a | {"S1", "S2", "S3", "S4"}) == (2, 2, "assistant")
    assert synth.label(four_a | {"A5", "A6", "A7"}) == (3, 0, "assistant")
    assert synth.label({"A1"}) == (1, 0, "neither")
    # a receptionist who logs calls, routes the post and greets visitors is a near miss: weak
    # on both roles, as our writers grade one (data/dev: three criteria are a weak fit)
    assert synth.label({"A2", "A5", "S2"}) == (1, 1, "neither")
    # a degree (D2) with no secretarial work is no secretary fit; with some, it counts
    assert synth.label({"A1", "D2"}) == (1, 0, "neither")
    assert synth.label({"S1", "S2", "S3", "D2"}) == (0, 2, "secretary")


def _lines(*criteria_per_line: set[str]) -> list[synth.Line]:
    return [synth.Line(f"line {i}", sorted(c), "duty" if c else "other_duty", None, 0)
            for i, c in enumerate(criteria_per_line)]


def test_central_share_lifts_three_criteria_only_when_set(monkeypatch) -> None:
    """`synth.CENTRAL_SHARE` (session 7's experiment, off as shipped): three of a role's
    criteria making up that share of the duty lines are good, beside another career weak."""
    three, other = ({"A1"}, {"A2"}, {"A5"}), (set(),)
    assert synth.CENTRAL_SHARE is None
    assert synth.label({"A1", "A2", "A5"}, _lines(*three)) == (1, 0, "neither")
    monkeypatch.setattr(synth, "CENTRAL_SHARE", 0.5)
    assert synth.label({"A1", "A2", "A5"}, _lines(*three)) == (2, 0, "assistant")
    assert synth.label({"A1", "A2", "A5"}, _lines(*three, *other * 3)) == (2, 0, "assistant")
    assert synth.label({"A1", "A2", "A5"}, _lines(*three, *other * 4)) == (1, 0, "neither")
    assert synth.label({"A1", "S1", "S3", "D1"},
                       _lines({"S1"}, {"S3"}, {"D1"}, {"A1"})) == (1, 2, "secretary")
    # two criteria stay weak however central; under 30% of the lines is incidental
    assert synth.label({"A1", "A2"}, _lines({"A1"}, {"A2"})) == (1, 0, "neither")
    assert synth.label({"A1", "A2", "A3", "A4", "A5"},
                       _lines({"A1", "A2", "A3", "A4", "A5"}, *other * 4)) == (1, 0, "neither")


def test_short_jobs_are_generated_and_their_duties_count_fully(monkeypatch) -> None:
    """The brief: a role's duties count however briefly they were held. Generated résumés
    have jobs of a few months, and with every job short and dated their labels are still the
    ones the duty lines give."""
    bank = synth.load_bank()
    generator = synth.Generator(bank, seed=5)
    assert 0.05 < synth.P_SHORT_JOB < 0.3
    monkeypatch.setattr(synth, "P_SHORT_JOB", 1.0)
    monkeypatch.setattr(synth, "P_UNDATED", 0.0)
    lines_of, lengths = [], []
    deal, months = generator._jobs, generator._job_months

    def spy_jobs(lines):
        lines_of.append(list(lines))
        return deal(lines)

    monkeypatch.setattr(generator, "_jobs", spy_jobs)
    monkeypatch.setattr(generator, "_job_months", lambda: lengths.append(months()) or lengths[-1])
    items = generator.many(200, 0)
    assert len(lines_of) == len(items) and lengths
    assert max(lengths) < synth.SHORT_JOB_MONTHS  # every job a few months long
    for item, lines in zip(items, lines_of, strict=True):
        assert (item.assistant_fit, item.secretary_fit) == synth.label(
            set(item.criteria), lines)[:2]
    assert sum(max(i.assistant_fit, i.secretary_fit) >= 2 for i in items) >= 30


def test_generated_job_dates_read_as_as_long_as_the_job() -> None:
    from rolefit.extract import default_extractor

    generator = synth.Generator(synth.load_bank(), seed=2)
    extractor = default_extractor()
    for years in (1, 2, 5):
        for _ in range(8):
            dates = generator._dates(2020, years)  # before 2025: never "Present"
            text = f"EXPERIENCE\nOffice Clerk, Oak Foods, {dates}\n• Filed the invoices.\n"
            months = [j.months for j in extractor.extract(text).jobs]
            if re.fullmatch(r"\d{4} \S+ \d{4}", dates):
                assert months == [12 * years + 12], dates  # years alone: January to December
            else:
                assert months == [12 * years], dates
    year_first = "EXPERIENCE\nClerk, Oak Foods, 2019.11 - 2020.10\n• Filed the invoices.\n"
    assert [j.months for j in extractor.extract(year_first).jobs] == [12]
    for months in (3, 7, 11):
        dates, _ = generator._month_dates(2020, months)
        text = f"EXPERIENCE\nOffice Clerk, Oak Foods, {dates}\n• Filed the invoices.\n"
        assert [j.months for j in extractor.extract(text).jobs] == [months], dates


def test_generated_careers_are_sometimes_in_two_parts() -> None:
    """Office work in some jobs and another occupation's in others, so that how recent and how
    long held a duty is varies in training as it does in real careers."""
    bank = synth.load_bank()
    office = [x for lines in bank.duties.values() for x in lines][:6]
    other = [x for lines in bank.negatives.values() for x in lines][:5]
    generator = synth.Generator(bank, seed=3)
    split = spread = 0
    for _ in range(40):
        jobs = generator._jobs(office + other)
        assert sorted(id(x) for job in jobs for x in job) == sorted(id(x) for x in office + other)
        homogeneous = all(len({bool(x.criteria) for x in job}) == 1 for job in jobs)
        split += homogeneous
        spread += not homogeneous
    assert split >= 10 and spread >= 5


def test_shipped_training_data_covers_what_the_issue_asks() -> None:
    items = [json.loads(x) for x in training.generated_path().read_text().splitlines()]
    assert len(items) >= 1500
    assert {i["fold"] for i in items} == {0, 1}
    roles = Counter(i["primary_role"] for i in items)
    assert min(roles.values()) > 0.2 * len(items)
    traps = Counter(t for i in items for t in i["traps"])
    assert traps["title_trap"] > 150 and traps["keyword_trap"] > 100
    assert traps["near_miss"] > 100 and traps["pdf_noise"] > 200
    occupations = {line.occupation for lines in synth.load_bank().negatives.values()
                   for line in lines if line.occupation}
    assert len(occupations) >= 30
    assert len(training.hand_written()) >= 40


def test_training_is_reproducible(tmp_path: Path) -> None:
    meta = training.train(tmp_path, log=lambda _m: None, card=False)
    shipped = json.loads((ROOT / "models" / "rolefit_model.json").read_text())
    assert meta["training_data_sha256"] == shipped["training_data_sha256"]
    assert meta["threshold"] == shipped["threshold"]
    retrained, original = load(tmp_path), load()
    paths = sorted((ROOT / "data" / "examples").iterdir())
    a, b = retrained.score_many(paths), original.score_many(paths)
    assert list(a["assistant_fit"]) == list(b["assistant_fit"])
    assert list(a["secretary_fit"]) == list(b["secretary_fit"])
    assert list(a["best_role"]) == list(b["best_role"])


def test_model_card_states_intended_use_and_figures() -> None:
    figures = json.loads((ROOT / "models" / "metrics.json").read_text())
    meta = json.loads((ROOT / "models" / "rolefit_model.json").read_text())
    card = model_card.render(meta, figures)
    assert "must not be used to reject candidates automatically" in card
    assert f"{figures['heldout']['model']['macro_f1']:.3f}" in card
    assert "rolefit train" in card and "Known limits" in card
    shipped = (ROOT / "models" / "MODEL_CARD.md").read_text()
    assert shipped == card  # the committed card is the one the shipped model generates
    held_out = [k for k in figures if k.startswith("heldout")]
    assert all(f"Gap between cross-validation and {k} macro-F1" in card for k in held_out)
    assert f"Pooled over the {len(held_out)} held-out sets" in card


def test_reliability_curves_pool_by_bin_weighted_by_size() -> None:
    one = [{"mean_predicted": 0.1, "observed_fit_rate": 0.0, "n": 3, "bin": 0},
           {"mean_predicted": 0.4, "observed_fit_rate": 1.0, "n": 1, "bin": 1},
           {"mean_predicted": 0.9, "observed_fit_rate": 1.0, "n": 1, "bin": 4}]
    two = [{"mean_predicted": 0.14, "observed_fit_rate": 1.0, "n": 1, "bin": 0},
           {"mean_predicted": 0.3, "observed_fit_rate": 0.0, "n": 1, "bin": 1},
           {"mean_predicted": 0.5, "observed_fit_rate": 0.5, "n": 2, "bin": 2}]
    pooled = model_card.pooled_reliability([one, two])
    assert [(b["bin"], b["n"]) for b in pooled] == [(0, 4), (1, 2), (2, 2), (4, 1)]
    assert pooled[0] == {"mean_predicted": 0.11, "observed_fit_rate": 0.25, "n": 4, "bin": 0}
    # a bin's mean on an edge (0.4) stays in the bin calibration_curve put it in
    assert pooled[1]["mean_predicted"] == 0.35 and pooled[1]["observed_fit_rate"] == 0.5


def test_reliability_bins_are_the_ones_calibration_curve_uses() -> None:
    import numpy as np
    from sklearn.calibration import calibration_curve

    from rolefit import model_evaluation

    fits = np.array([0.0, 0.05, 0.2, 0.4, 0.41, 0.6, 0.6000001, 0.8, 0.99, 1.0])
    good = np.array([0, 0, 1, 0, 1, 1, 0, 1, 1, 1])
    _observed, predicted = calibration_curve(good, fits, n_bins=model_evaluation.RELIABILITY_BINS,
                                             strategy="uniform")
    bins = model_evaluation._bins(fits)
    assert len(bins) == len(predicted) and sum(n for _, n in bins) == len(fits)
    edges = np.linspace(0, 1, model_evaluation.RELIABILITY_BINS + 1)
    for (k, _n), p in zip(bins, predicted, strict=True):
        assert (edges[k] < p <= edges[k + 1]) or (k == 0 and p <= edges[1])
