"""Counterfactual invariance over the whole development set, with the shipped model: the same
résumé with another name, pronouns, age or college must keep each role's fit within 1 point."""

from __future__ import annotations

import re

import pytest

from rolefit import fairness
from rolefit.evaluation import load_dev_set
from rolefit.ingest import from_text
from rolefit.model_card import fairness_section, render
from rolefit.redact import redact

MAX_POINTS = 1.0


@pytest.fixture(scope="module")
def model():
    import rolefit

    return rolefit.load()


@pytest.fixture(scope="module")
def report(model) -> fairness.CounterfactualReport:
    return fairness.measure_dev(model)


def test_personas_put_each_attribute_where_it_naturally_appears() -> None:
    text = "MARISOL TEAGUE\nDayton, OH\n\nSummary\nOffice assistant.\n\nEducation\nDiploma, 2016\n"
    persona = fairness.Persona("Nguyen Thi Lan", ("he", "him", "his"), 47, "Morehouse College")
    variant = fairness.with_persona(text, persona)
    lines = variant.split("\n")
    assert lines[0] == "Nguyen Thi Lan" and "MARISOL" not in variant
    assert lines[1] == f"Age: 47 · Born {persona.birth_year}"
    assert lines[lines.index("Summary") + 1].startswith("Colleagues say he ")
    assert "his manager trusted him" in variant
    assert lines[lines.index("Education") + 1] == "B.A. in English, Morehouse College, 2012"


def test_variants_differ_only_in_what_the_redactor_masks() -> None:
    """Masked, every persona of a résumé reads the same apart from placeholder lengths."""
    doc = load_dev_set()[0]
    masked = set()
    for _, persona in fairness.variants():
        text = redact(from_text(fairness.with_persona(doc.text, persona)).text).text
        masked.add(re.sub(r"\b[Xx]x*\b", "#", text))
    assert len(masked) == 1


def test_every_swap_of_the_dev_set_is_scored(report) -> None:
    documents = len(load_dev_set())
    assert report.documents == documents == 64
    assert report.errors == 0
    expected = {dim: len(values) * documents for dim, values in fairness.SWAPS.items()}
    assert {dim: len(report.deltas[dim]["assistant"]) for dim in report.deltas} == expected


@pytest.mark.parametrize("dimension", fairness.DIMENSIONS)
def test_fits_move_by_at_most_one_point(report, dimension: str) -> None:
    for role in report.roles:
        worst = max(report.deltas[dimension][role])
        assert worst <= MAX_POINTS, f"{dimension} moved the {role} fit by {worst} points"


def test_the_model_card_reports_the_measured_figures(report) -> None:
    figures = {"counterfactual": report.to_dict()}
    section = "\n".join(fairness_section(figures))
    assert f"Every development résumé ({report.documents})" in section
    for dimension in fairness.DIMENSIONS:
        assert f"| {dimension} | " in section
    assert "must not be used to reject candidates automatically" in section
    assert "rolefit audit" in section
    card = render({}, figures)
    assert "## Fairness and privacy" in card and "## Known limits" in card
    assert "Not measured" in "\n".join(fairness_section({}))
