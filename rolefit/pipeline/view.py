"""A read-only view of a processed Doc for the components and the extractor: its text, token
strings and sections, read once. `doc.text` rebuilds the text token by token on every call and
iterating `Token` objects costs an allocation per token; on a 600-word résumé both dominated."""

from __future__ import annotations

from bisect import bisect_right
from functools import cached_property

import numpy
from spacy.attrs import IDX, IS_SPACE, LEMMA, LOWER, ORTH, SENT_START, SPACY
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from rolefit.redact import is_placeholder

_BULLET_ID = get_string_id("•")
SECTION_GROUP = "rolefit_sections"
_TEXT_KEY = "rolefit_text"
LEMMAS_KEY = "rolefit_lemmas"


class SectionIndex:
    """The section label at any character offset of a Doc, by bisection over the section spans
    (read once; `section_at` on one offset walks every span)."""

    def __init__(self, doc: Doc) -> None:
        spans = doc.spans.get(SECTION_GROUP, [])
        self.starts = [span.start_char for span in spans]
        self.labels = [span.label_ for span in spans]
        self.ordered = all(a <= b for a, b in zip(self.starts, self.starts[1:], strict=False))

    def at(self, char: int) -> str:
        if self.ordered:
            index = bisect_right(self.starts, char)
            return self.labels[index - 1] if index else "header"
        label = "header"
        for start, span_label in zip(self.starts, self.labels, strict=True):
            if start > char:
                break
            label = span_label
        return label


class DocView:
    """What components read from a Doc, computed on first use."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    @cached_property
    def text(self) -> str:
        """`doc.text`, kept in the Doc's user data for the components after this one (no
        component changes the tokens, so it stays true)."""
        cached = self.doc.user_data.get(_TEXT_KEY)
        if cached is None or len(cached) != self._length:
            cached = self.doc.user_data[_TEXT_KEY] = self._joined()
        return cached

    def _joined(self) -> str:
        """`doc.text` (each token's text and its trailing space) from arrays, not Tokens."""
        if not len(self.doc):
            return ""
        spaces = self.doc.to_array(SPACY).tolist()
        return "".join([orth + " " if space else orth
                        for orth, space in zip(self.orths, spaces, strict=True)])

    @cached_property
    def sentence_starts(self) -> list[int]:
        """First token of each sentence: where `is_sent_start` is set, and token 0."""
        if not len(self.doc):
            return []
        flags = self.doc.to_array(SENT_START)
        starts = numpy.flatnonzero(flags == 1).tolist()
        return starts if starts and starts[0] == 0 else [0, *starts]

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) tokens of each sentence, as `Doc.sents` yields them."""
        starts = self.sentence_starts
        return list(zip(starts, [*starts[1:], len(self.doc)], strict=True))

    @cached_property
    def token_chars(self) -> list[int]:
        """Each token's character offset (`Token.idx`)."""
        return self.doc.to_array(IDX).tolist() if len(self.doc) else []

    def char_bounds(self, start: int, end: int) -> tuple[int, int]:
        """`(span.start_char, span.end_char)` of the non-empty span of tokens start..end-1."""
        return self.token_chars[start], self.token_chars[end - 1] + len(self.orths[end - 1])

    def sentence_of(self, token: int) -> tuple[int, int]:
        """(start, end) tokens of the sentence holding a token, as `Span.sent` finds it."""
        starts = self.sentence_starts
        k = bisect_right(starts, token) - 1
        return starts[k], starts[k + 1] if k + 1 < len(starts) else len(self.doc)

    @property
    def _length(self) -> int:
        doc = self.doc
        return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0

    @cached_property
    def sections(self) -> SectionIndex:
        return SectionIndex(self.doc)

    @cached_property
    def _prefix(self) -> list[int]:
        """prefix[i]: content tokens (words or punctuation, not whitespace or a bullet glyph)
        before token i."""
        if not len(self.doc):
            return [0]
        columns = self.doc.to_array([ORTH, IS_SPACE])
        content = (columns[:, 1] == 0) & (columns[:, 0] != _BULLET_ID)
        return [0, *numpy.cumsum(content).tolist()]

    @cached_property
    def lemmas(self) -> list[str]:
        return self._strings(LEMMA, LEMMAS_KEY)

    @cached_property
    def lowers(self) -> list[str]:
        return self._strings(LOWER, "rolefit_lowers")

    def _strings(self, attr: int, key: str) -> list[str]:
        """The tokens' strings of one attribute, kept in the Doc's user data for the next
        components (the lemmatizer drops the lemmas it changes)."""
        cached = self.doc.user_data.get(key)
        if cached is not None and len(cached) == len(self.doc):
            return cached
        strings = self.doc.vocab.strings
        values = [strings[k] for k in self.doc.to_array(attr).tolist()] if len(self.doc) else []
        self.doc.user_data[key] = values
        return values

    def n_content(self, start: int, end: int) -> int:
        """Content tokens among tokens start..end-1."""
        return self._prefix[end] - self._prefix[start]

    def span_text(self, span: Span) -> str:
        """`span.text`, sliced from the Doc's text."""
        return self.text[span.start_char:span.end_char]

    def section_at(self, char: int) -> str:
        return self.sections.at(char)

    @cached_property
    def orths(self) -> list[str]:
        return self._strings(ORTH, "rolefit_orths")

    def features_text(self, start: int, end: int) -> tuple[str, str]:
        """(lemma text, lower-case text) of the content tokens start..end-1, leaving out masked
        personal data (`rolefit.redact`), as `classifier.sentence_features_text` does."""
        prefix, lemmas, lowers, orths = self._prefix, self.lemmas, self.lowers, self.orths
        keep = [i for i in range(start, end)
                if prefix[i + 1] != prefix[i] and not is_placeholder(orths[i])]
        return " ".join(lemmas[i] for i in keep), " ".join(lowers[i] for i in keep)
