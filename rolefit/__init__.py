"""rolefit: how well a résumé fits the assistant or the secretary role, with evidence."""

from __future__ import annotations

__version__ = "0.1.0"

from rolefit.errors import RolefitError  # noqa: E402
from rolefit.extract import Extractor, extract  # noqa: E402
from rolefit.extraction import Evidence, Extraction, KnowledgeItem, SkillItem  # noqa: E402
from rolefit.frames import coverage_frame, evidence_frame, scores_frame  # noqa: E402
from rolefit.model import RoleFitClassifier  # noqa: E402
from rolefit.scoring import FitResult, RoleFitModel, load  # noqa: E402

__all__ = ["Evidence", "Extraction", "Extractor", "FitResult", "KnowledgeItem", "RoleFitClassifier",
           "RoleFitModel", "RolefitError", "SkillItem", "__version__", "coverage_frame",
           "evidence_frame", "extract", "load", "scores_frame"]
