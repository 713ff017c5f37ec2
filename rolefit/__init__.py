"""rolefit: how well a résumé fits the assistant or the secretary role, with evidence."""

from __future__ import annotations

__version__ = "0.1.0"

from rolefit.errors import RolefitError  # noqa: E402
from rolefit.extract import Extractor, extract  # noqa: E402
from rolefit.extraction import Evidence, Extraction, KnowledgeItem, SkillItem  # noqa: E402

__all__ = ["Evidence", "Extraction", "Extractor", "KnowledgeItem", "RolefitError", "SkillItem",
           "__version__", "extract"]
