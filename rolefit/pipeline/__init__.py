"""The spaCy pipeline: `spacy.blank("en")` plus rolefit's registered components."""

from __future__ import annotations

import spacy
from spacy.language import Language

from rolefit.criteria import CriteriaSet, load_criteria
from rolefit.pipeline import (  # noqa: F401  (registers the factories)
    classifier,
    duties,
    knowledge,
    lemmas,
    skills,
    structure,
)
from rolefit.taxonomy import Taxonomy, load_taxonomy


def build_nlp(criteria: CriteriaSet | None = None, taxonomy: Taxonomy | None = None,
              *, duty_model: str | None = "") -> Language:
    """Build and initialise the extraction pipeline for a criteria set and skills taxonomy.

    `duty_model` is the folder of the learned duty classifier ("" = the shipped one); None
    leaves the classifier out (rules only)."""
    criteria = criteria or load_criteria()
    taxonomy = taxonomy or load_taxonomy()
    nlp = spacy.blank("en")
    nlp.add_pipe("rolefit_lemmatizer")
    nlp.add_pipe("rolefit_segmenter")
    nlp.add_pipe("rolefit_sections")
    nlp.add_pipe("rolefit_duties")
    if duty_model is not None:
        nlp.add_pipe("rolefit_duty_classifier")
    nlp.add_pipe("rolefit_knowledge")
    nlp.add_pipe("rolefit_skills")
    nlp.config["initialize"]["components"] = {
        "rolefit_duties": {"criteria_path": criteria.path},
        "rolefit_skills": {"taxonomy_path": taxonomy.path},
    }
    if duty_model is not None:
        nlp.config["initialize"]["components"]["rolefit_duty_classifier"] = {
            "model_dir": duty_model, "criteria_path": criteria.path}
    nlp.initialize()
    return nlp
