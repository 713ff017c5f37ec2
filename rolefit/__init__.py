"""rolefit: how well a résumé fits the assistant or the secretary role, with evidence."""

from __future__ import annotations

__version__ = "0.1.0"

from rolefit.errors import RolefitError  # noqa: E402
from rolefit.extract import Extractor, extract  # noqa: E402
from rolefit.extraction import Evidence, Extraction, KnowledgeItem, SkillItem  # noqa: E402
from rolefit.scoring import FitResult, RoleFitModel, load  # noqa: E402

# imported on first use: scikit-learn (the estimator) and pandas (the frames) are not needed
# to load the model and score
_LAZY = {"RoleFitClassifier": "rolefit.model", "coverage_frame": "rolefit.frames",
         "evidence_frame": "rolefit.frames", "scores_frame": "rolefit.frames"}

__all__ = ["Evidence", "Extraction", "Extractor", "FitResult", "KnowledgeItem", "RoleFitClassifier",
           "RoleFitModel", "RolefitError", "SkillItem", "__version__", "coverage_frame",
           "evidence_frame", "extract", "load", "scores_frame"]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'rolefit' has no attribute {name!r}")
