"""Sections and sentence/bullet boundaries of a résumé."""

from __future__ import annotations

import re

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from rolefit.pipeline.view import SECTION_GROUP, DocView, SectionIndex
from rolefit.taxonomy import load_sections

_NON_WORD = re.compile(r"[^a-z ]+")
_END = {".", "!", "?"}


class BulletSegmenter:
    """Sentence boundaries for résumés: every line and bullet starts a unit, and so does a new
    sentence after `.`/`!`/`?` inside a line."""

    def __init__(self, nlp: Language, name: str = "rolefit_segmenter") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        starts = numpy.full(len(doc), -1, dtype="int32")
        start_next = True
        previous = ""
        orths = DocView(doc).orths
        for i, text in enumerate(orths):
            if text == "•" or text.isspace():
                if start_next:
                    starts[i] = 1
                if "\n" in text or text == "•":
                    start_next = True
                previous = text
                continue
            if start_next or previous == "•":
                starts[i] = 1
            start_next = text in _END and _next_is_capital(orths, i)
            previous = text
        if len(doc):
            starts[0] = 1
            doc.from_array([SENT_START], starts.astype("uint64"))
        return doc


def _next_is_capital(orths: list[str], i: int) -> bool:
    if i + 1 >= len(orths):
        return True
    nxt = orths[i + 1]
    return nxt.isspace() or nxt[:1].isupper() or nxt[:1].isdigit()


class SectionSegmenter:
    """Finds section headings ("Work history", "EDUCATION:", ...) from a vocabulary data file
    and stores one span per section in `doc.spans["rolefit_sections"]`, labelled with the
    section (summary, experience, education, skills, certifications, languages, other; the text
    before the first heading is "header")."""

    def __init__(self, nlp: Language, name: str = "rolefit_sections",
                 max_heading_words: int = 6) -> None:
        self.name = name
        self.max_heading_words = max_heading_words
        self.headings: dict[str, str] = {}

    def initialize(self, get_examples=None, *, nlp=None, sections_path: str = "") -> None:
        self.headings = {
            " ".join(_NON_WORD.sub(" ", term.lower()).split()): label
            for label, terms in load_sections(sections_path or None).items()
            for term in terms
        }

    def heading_label(self, line: str) -> str | None:
        """The section a line opens, or None when it is not a heading."""
        head, sep, rest = line.partition(":")
        words = _NON_WORD.sub(" ", head.lower()).split()
        if not words or len(words) > self.max_heading_words or len(head) > 60:
            return None
        key = " ".join(words)
        if key in self.headings:
            return self.headings[key]
        if sep and len(words) <= 3 or head.isupper() and len(words) <= 4:
            for n in range(len(words), 0, -1):
                label = self.headings.get(" ".join(words[:n]))
                if label and n >= len(words) - 1:
                    return label
        return None

    def __call__(self, doc: Doc) -> Doc:
        text = DocView(doc).text
        bounds: list[tuple[int, str]] = [(0, "header")]
        offset = 0
        for line in text.split("\n"):
            stripped = line.strip().lstrip("•").strip()
            label = self.heading_label(stripped) if stripped else None
            if label:
                bounds.append((offset + line.find(stripped[:1]), label))
            offset += len(line) + 1
        spans = []
        for (start, label), (end, _) in zip(bounds, bounds[1:] + [(len(text), "")], strict=True):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
        doc.spans[SECTION_GROUP] = spans
        return doc


__all__ = ["SECTION_GROUP", "BulletSegmenter", "SectionSegmenter", "section_at"]


def section_at(doc: Doc, char: int) -> str:
    """The section label holding a character offset."""
    return SectionIndex(doc).at(char)


@Language.factory("rolefit_segmenter", assigns=["token.is_sent_start"])
def make_segmenter(nlp: Language, name: str) -> BulletSegmenter:
    return BulletSegmenter(nlp, name)


@Language.factory("rolefit_sections", default_config={"max_heading_words": 6},
                  assigns=["doc.spans"])
def make_sections(nlp: Language, name: str, max_heading_words: int) -> SectionSegmenter:
    return SectionSegmenter(nlp, name, max_heading_words)
