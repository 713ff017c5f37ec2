"""Rule-based criterion evidence: the cues of the criteria file, matched on lemmas.

Every cue word and phrase is loaded into one spaCy `PhraseMatcher` (on `LEMMA`); a verb/object
cue fires when one of its action words and one of its object words stand within `gap` tokens of
each other, in either order, inside one sentence or bullet. One hash lookup per token, however
many cues the criteria file holds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from rolefit.criteria import CriteriaSet, load_criteria
from rolefit.pipeline.evidence import add_evidence
from rolefit.pipeline.titles import is_job_header_line
from rolefit.pipeline.view import DocView
from rolefit.redact import mask_text

_GAP_STOP = {".", ";", "•", "|", "!", "?"}


def _with_masked(terms, known: dict[str, str] | None = None) -> list[str]:
    """The cue terms plus their masked forms: "in his name" also matches the masked text
    ("in xxx name"), so blind scoring keeps the cues that hold a gendered word.
    `known` holds masked forms already computed (masking is the slow part)."""
    known = {} if known is None else known
    out = list(terms)
    for term in terms:
        if term not in known:
            known[term] = mask_text(term, header=False)
        masked = known[term]
        if masked != term and masked not in out:
            out.append(masked)
    return out


def masked_forms_of(criteria: CriteriaSet) -> dict[str, str]:
    """The masked form of every cue and exclude term of the criteria."""
    terms = [term for criterion in criteria.criteria
             for cue in criterion.cues for words in (cue.verbs, cue.objects, cue.phrases)
             for term in words]
    return masked_forms(terms + [t for c in criteria.criteria for t in c.exclude])


def masked_forms(terms: list[str]) -> dict[str, str]:
    """Each term's masked form, from one masking call over the terms a blank line apart
    (masking keeps lengths); a term is masked on its own when the joined text's length
    changed."""
    unique = list(dict.fromkeys(terms))
    joined = "\n\n".join(unique)
    masked = mask_text(joined, header=False)
    if len(masked) != len(joined):
        return {term: mask_text(term, header=False) for term in unique}
    forms, start = {}, 0
    for term in unique:
        forms[term] = masked[start:start + len(term)]
        start += len(term) + 2
    return forms


@dataclass(frozen=True)
class _Use:
    """How one matched term serves one cue."""

    cue: str  # "<criterion>.<cue id>"
    part: str  # "verb" | "object" | "phrase"
    gap: int


class DutyMatcher:
    """Finds evidence of every criterion from its cues. A match inside a sentence holding one
    of the criterion's `exclude` words is dropped. Every hit is stored in
    `doc.spans["rolefit_evidence"]` with label = criterion id and id = `rule:<criterion>.<cue>`."""

    def __init__(self, nlp: Language, name: str = "rolefit_duties",
                 max_hits_per_sentence: int = 1) -> None:
        self.name = name
        self.nlp = nlp
        self.max_hits_per_sentence = max_hits_per_sentence
        self.matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.uses: dict[str, list[_Use]] = {}
        self.excludes: dict[str, list[str]] = {}
        self.criteria: CriteriaSet | None = None

    def initialize(self, get_examples=None, *, nlp=None, criteria_path: str = "") -> None:
        self.criteria = load_criteria(criteria_path or None)
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        uses: dict[str, list[_Use]] = defaultdict(list)
        patterns: dict[str, Doc] = {}
        forms = masked_forms_of(self.criteria)
        lemmatize = self.nlp.get_pipe("rolefit_lemmatizer") \
            if "rolefit_lemmatizer" in self.nlp.pipe_names else None
        pattern_of: dict[str, Doc | None] = {}
        for criterion in self.criteria.criteria:
            for cue in criterion.cues:
                key = f"{criterion.id}.{cue.id}"
                for part, words in (("verb", cue.verbs), ("object", cue.objects),
                                    ("phrase", cue.phrases)):
                    for word in _with_masked(words, forms):
                        if word not in pattern_of:
                            pattern_of[word] = self._pattern(word, lemmatize)
                        pattern = pattern_of[word]
                        if pattern is None:
                            continue
                        term = pattern.text.lower()
                        patterns.setdefault(term, pattern)
                        uses[term].append(_Use(key, part, cue.gap))
            self.excludes[criterion.id] = [
                f" {' '.join(t.lemma_ for t in p)} "
                for term in _with_masked(criterion.exclude, forms)
                if (p := self._pattern(term, lemmatize)) is not None
            ]
        for term, pattern in patterns.items():
            self.matcher.add(term, [pattern])
        self.uses = dict(uses)

    def _pattern(self, words: str, lemmatize=None) -> Doc | None:
        doc = self.nlp.make_doc(words)
        if lemmatize is not None:
            doc = lemmatize(doc)
        return doc if len(doc) else None

    def _excluded(self, view: DocView, sentence: Span, criterion: str) -> bool:
        terms = self.excludes.get(criterion)
        if not terms:
            return False
        padded = " " + " ".join(view.lemmas[sentence.start:sentence.end]) + " "
        return any(term in padded for term in terms)

    def __call__(self, doc: Doc) -> Doc:
        strings = self.nlp.vocab.strings
        view = DocView(doc)
        by_sentence: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        sentence_end: dict[int, int] = {}
        for match_id, start, end in self.matcher(doc):
            sent_start, sent_end = view.sentence_of(start)
            if end > sent_end:
                continue
            by_sentence[sent_start].append((start, end, strings[match_id]))
            sentence_end[sent_start] = sent_end
        for sent_start, hits in sorted(by_sentence.items()):
            self._sentence(view, doc[sent_start:sentence_end[sent_start]], sorted(hits))
        return doc

    def _sentence(self, view: DocView, sentence: Span, hits: list[tuple[int, int, str]]) -> None:
        doc = view.doc
        if is_job_header_line(view.span_text(sentence)):
            return
        found: dict[str, list[tuple[int, int, str]]] = {}
        parts: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
        gaps: dict[str, int] = {}
        for start, end, term in hits:
            for use in self.uses.get(term, ()):
                if use.part == "phrase":
                    found.setdefault(use.cue.split(".", 1)[0], []).append((start, end, use.cue))
                else:
                    parts[use.cue][use.part].append((start, end))
                    gaps[use.cue] = use.gap
        for cue, by_part in parts.items():
            pair = self._pair(view.orths, by_part.get("verb", []), by_part.get("object", []),
                              gaps[cue])
            if pair:
                found.setdefault(cue.split(".", 1)[0], []).append((*pair, cue))
        for criterion, spans in found.items():
            if self._excluded(view, sentence, criterion):
                continue
            for start, end, cue in sorted(spans, key=lambda s: (s[0], s[0] - s[1]))[
                    : self.max_hits_per_sentence]:
                add_evidence(doc, doc[start:end], criterion, f"rule:{cue}")

    @staticmethod
    def _pair(orths: list[str], verbs: list[tuple[int, int]], objects: list[tuple[int, int]],
              gap: int) -> tuple[int, int] | None:
        """The first (earliest, shortest) verb…object or object…verb pair within `gap` tokens."""
        best = None
        for v_start, v_end in verbs:
            for o_start, o_end in objects:
                first, second = ((v_start, v_end), (o_start, o_end)) if v_start <= o_start \
                    else ((o_start, o_end), (v_start, v_end))
                between = second[0] - first[1]
                if between < 0 or between > gap:
                    continue
                if any(orths[i] in _GAP_STOP for i in range(first[1], second[0])):
                    continue
                candidate = (first[0], second[1])
                if best is None or (candidate[0], candidate[1]) < best:
                    best = candidate
        return best


@Language.factory("rolefit_duties", default_config={"max_hits_per_sentence": 1},
                  assigns=["doc.spans"], requires=["token.lemma", "token.is_sent_start"])
def make_duty_matcher(nlp: Language, name: str, max_hits_per_sentence: int) -> DutyMatcher:
    return DutyMatcher(nlp, name, max_hits_per_sentence)
