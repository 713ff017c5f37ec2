"""Skills from the taxonomy data file, matched with spaCy's PhraseMatcher."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from rolefit.pipeline.view import DocView
from rolefit.taxonomy import Taxonomy, load_taxonomy

SKILL_GROUP = "rolefit_skills"
_SPEED = re.compile(r"\b(\d{2,3})\s?(?:wpm|w\.p\.m\.?|words per minute|words/min)\b", re.I)
_SHORTHAND = re.compile(r"shorthand|steno|pitman|teeline|gregg", re.I)
_LIST_NEIGHBOURS = {",", "/", "•", "(", ")", "and", "&", ";", ":", "|"}


class SkillMatcher:
    """Finds taxonomy skills; a span's label is the skill id, its `id_` the matching source.
    Case-sensitive single words ("Word", "Excel") count only in a list context, so the verb
    "excel" or the noun "word" in a sentence does not fire."""

    def __init__(self, nlp: Language, name: str = "rolefit_skills") -> None:
        self.name = name
        self.nlp = nlp
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.taxonomy: Taxonomy | None = None

    def initialize(self, get_examples=None, *, nlp=None, taxonomy_path: str = "") -> None:
        self.taxonomy = load_taxonomy(taxonomy_path or None)
        self.lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        for skill in self.taxonomy.skills:
            self.lower.add(skill.id, [self.nlp.make_doc(s) for s in skill.synonyms])
            if skill.case_sensitive:
                self.exact.add(skill.id, [self.nlp.make_doc(s) for s in skill.case_sensitive])

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        strings = self.nlp.vocab.strings
        for match_id, start, end in self.lower(doc):
            spans.append(Span(doc, start, end, label=strings[match_id], span_id="taxonomy"))
        for match_id, start, end in self.exact(doc):
            if end - start == 1 and not _in_list(doc, start):
                continue
            spans.append(Span(doc, start, end, label=strings[match_id], span_id="taxonomy:exact"))
        text = DocView(doc).text
        for match in _SPEED.finditer(text):
            before = text[max(0, match.start() - 30):match.start()]
            skill = "skill.shorthand" if _SHORTHAND.search(before) else "skill.typing"
            span = doc.char_span(match.start(), match.end(), label=skill, alignment_mode="expand",
                                 span_id=f"speed:{match.group(1)}")
            if span is not None:
                spans.append(span)
        doc.spans[SKILL_GROUP] = sorted(set(spans),
                                   key=lambda s: (s.start, s.end, s.label_, s.id_))
        return doc


def _in_list(doc: Doc, i: int) -> bool:
    neighbours = [doc[j].lower_ for j in (i - 1, i + 1) if 0 <= j < len(doc)]
    at_edge = i == 0 or doc[i - 1].is_space or i + 1 >= len(doc) or doc[i + 1].is_space
    return at_edge or any(n in _LIST_NEIGHBOURS or n in {"ms", "microsoft"} for n in neighbours)


@Language.factory("rolefit_skills", assigns=["doc.spans"])
def make_skills(nlp: Language, name: str) -> SkillMatcher:
    return SkillMatcher(nlp, name)
