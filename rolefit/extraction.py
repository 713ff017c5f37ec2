"""The typed, JSON-able result of the extraction pipeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class Evidence:
    """A piece of text evidencing a criterion, with its provenance."""

    criterion: str
    role: str
    kind: str
    text: str
    start: int
    end: int
    sentence: str
    sentence_start: int
    section: str
    source: str
    score: float = 1.0


@dataclass(frozen=True)
class KnowledgeItem:
    """A knowledge signal: education level, field, certification, language or a date range."""

    kind: str
    value: str
    text: str
    start: int
    end: int
    section: str
    source: str
    specialised: bool = False


@dataclass(frozen=True)
class SkillItem:
    """A skill of the taxonomy found in the text."""

    id: str
    label: str
    category: str
    text: str
    start: int
    end: int
    section: str
    source: str


@dataclass(frozen=True)
class Section:
    label: str
    heading: str
    start: int
    end: int


@dataclass(frozen=True)
class Job:
    """A job block: from a date range to the next one. `months_before_latest` is how long
    before the résumé's latest date the job ended (0: the most recent job, or current)."""

    start: int
    end: int
    months: int
    months_before_latest: int


@dataclass(frozen=True)
class Extraction:
    """Everything the pipeline found in one résumé. Offsets index into `text`."""

    text: str
    source: str
    duties: list[Evidence] = field(default_factory=list)
    knowledge: list[KnowledgeItem] = field(default_factory=list)
    skills: list[SkillItem] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    education_level: str | None = None
    total_years: float = 0.0
    relevant_years: float = 0.0
    sha256: str = ""
    n_sentences: int = 0  # sentences of four words or more outside education/skills sections
    n_other_duty: int = 0  # sentences the duty classifier reads as another occupation's work

    @property
    def criteria_found(self) -> list[str]:
        """Criterion ids with at least one piece of evidence, in order of first appearance."""
        return list(dict.fromkeys(e.criterion for e in self.duties))

    @property
    def skill_ids(self) -> list[str]:
        return list(dict.fromkeys(s.id for s in self.skills))

    def evidence_for(self, criterion: str) -> list[Evidence]:
        return [e for e in self.duties if e.criterion == criterion]

    def to_dict(self, include_text: bool = True) -> dict:
        data = {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "sha256": self.sha256,
            "criteria_found": self.criteria_found,
            "education_level": self.education_level,
            "total_years": self.total_years,
            "relevant_years": self.relevant_years,
            "n_sentences": self.n_sentences,
            "n_other_duty": self.n_other_duty,
            "duties": [asdict(e) for e in self.duties],
            "knowledge": [asdict(k) for k in self.knowledge],
            "skills": [asdict(s) for s in self.skills],
            "sections": [asdict(s) for s in self.sections],
            "jobs": [asdict(j) for j in self.jobs],
        }
        if include_text:
            data["text"] = self.text
        return data
