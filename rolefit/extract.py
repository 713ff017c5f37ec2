"""`extract(source)`: a résumé (file path or text) → `Extraction`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from rolefit import ingest
from rolefit.criteria import CriteriaSet
from rolefit.extraction import Evidence, Extraction, Job, KnowledgeItem, Section, SkillItem
from rolefit.ingest import Resume
from rolefit.pipeline import build_nlp
from rolefit.pipeline.evidence import evidence_score, evidence_spans
from rolefit.pipeline.knowledge import KnowledgeHit
from rolefit.pipeline.skills import SKILL_GROUP
from rolefit.pipeline.structure import SECTION_GROUP
from rolefit.pipeline.view import DocView
from rolefit.redact import RedactionRules
from rolefit.redact import redact as redact_text
from rolefit.taxonomy import Taxonomy

_NON_DUTY_SECTIONS = {"education", "skills", "certifications", "languages"}


class Extractor:
    """Holds one built pipeline and turns résumés into `Extraction`s.

    With `redact=True` (the default) personal data is masked before the pipeline sees the text
    (`rolefit.redact`): the model reads the masked text, while evidence quotes and `text` come
    from the original (masking keeps every offset). `redact=False` is for debugging."""

    def __init__(self, nlp: Language | None = None, criteria: CriteriaSet | None = None,
                 taxonomy: Taxonomy | None = None, redact: bool = True,
                 redaction: RedactionRules | None = None) -> None:
        self.nlp = nlp or build_nlp(criteria, taxonomy)
        duties = self.nlp.get_pipe("rolefit_duties")
        self.criteria = duties.criteria
        self.taxonomy = self.nlp.get_pipe("rolefit_skills").taxonomy
        self.redact = redact
        self.redaction = redaction

    def read(self, source: str | Path) -> Resume:
        """A `Path` is read as a file; a `str` is the résumé's text (never a file name)."""
        if isinstance(source, Path):
            return ingest.read_path(source)
        if isinstance(source, str):
            return ingest.from_text(source)
        raise TypeError(f"expected pathlib.Path or str, got {type(source).__name__}")

    def model_text(self, text: str) -> str:
        """What the pipeline reads: the masked text, or the text itself with `redact=False`."""
        return redact_text(text, self.redaction).text if self.redact else text

    def extract(self, source: str | Path) -> Extraction:
        return self.from_resume(self.read(source))

    def from_resume(self, resume: Resume) -> Extraction:
        doc = self.nlp(self.model_text(resume.text))
        return self.from_doc(doc, resume.source, resume.sha256, resume.text)

    def extract_many(self, resumes: list[Resume], batch_size: int = 32,
                     n_process: int = 1) -> list[Extraction]:
        docs = self.nlp.pipe((self.model_text(r.text) for r in resumes), batch_size=batch_size,
                             n_process=n_process)
        return [self.from_doc(doc, r.source, r.sha256, r.text)
                for doc, r in zip(docs, resumes, strict=True)]

    def from_doc(self, doc: Doc, source: str = "<text>", sha256: str = "",
                 original: str | None = None) -> Extraction:
        """The typed result of a processed doc. `original` is the unmasked text of the same
        length: quotes are cut from it, so the recruiter sees what the résumé says."""
        view = DocView(doc)
        text = view.text if original is None else original
        if len(text) != len(view.text):
            raise ValueError("the original text must have the masked text's length")
        criteria = {c.id: c for c in self.criteria.criteria}
        duties = []
        for span in sorted(evidence_spans(doc), key=lambda s: (s.start_char, s.label_)):
            criterion = criteria.get(span.label_)
            if criterion is None:
                continue
            sentence_start, sentence_end = view.char_bounds(*view.sentence_of(span.start))
            duties.append(Evidence(
                criterion=criterion.id, role=criterion.role, kind=criterion.kind,
                text=text[span.start_char:span.end_char], start=span.start_char,
                end=span.end_char,
                sentence=text[sentence_start:sentence_end].strip(),
                sentence_start=sentence_start,
                section=view.section_at(span.start_char), source=span.id_,
                score=round(evidence_score(doc, span), 4),
            ))
        knowledge_hits = [KnowledgeHit(**h) for h in doc._.rolefit_knowledge or []]
        knowledge = [
            KnowledgeItem(kind=h.kind, value=h.value, text=text[h.start:h.end],
                          start=h.start, end=h.end, section=view.section_at(h.start),
                          source=h.source, specialised=h.specialised)
            for h in knowledge_hits
        ]
        levels = [h for h in knowledge_hits if h.kind == "education"]
        education = max(levels, key=lambda h: h.rank).value if levels else None
        skills = []
        for span in doc.spans.get(SKILL_GROUP, []):
            skill = self.taxonomy.get(span.label_)
            skills.append(SkillItem(
                id=skill.id, label=skill.label, category=skill.category,
                text=text[span.start_char:span.end_char],
                start=span.start_char, end=span.end_char,
                section=view.section_at(span.start_char), source=span.id_,
            ))
        sections = [
            Section(label=s.label_,
                    heading=text[s.start_char:s.end_char].split("\n", 1)[0].strip()[:80],
                    start=s.start_char, end=s.end_char)
            for s in doc.spans.get(SECTION_GROUP, [])
        ]
        experience = doc._.rolefit_experience or {}
        n_sentences = sum(
            1 for start, end in view.sentences
            if view.n_content(start, end) >= 4
            and view.section_at(view.token_chars[start]) not in _NON_DUTY_SECTIONS)
        return Extraction(
            text=text, source=source, duties=duties, knowledge=knowledge, skills=skills,
            sections=sections, jobs=[Job(**job) for job in experience.get("jobs", [])],
            education_level=education,
            total_years=experience.get("total_years", 0.0),
            relevant_years=experience.get("relevant_years", 0.0), sha256=sha256,
            n_sentences=n_sentences, n_other_duty=int(doc._.get("rolefit_other_duty") or 0),
        )


@lru_cache(maxsize=1)
def default_extractor() -> Extractor:
    return Extractor()


def extract(source: str | Path) -> Extraction:
    """Extract duties, knowledge and skills from a résumé: a `Path` is read as a file, a `str` is
    the résumé's text."""
    return default_extractor().extract(source)
