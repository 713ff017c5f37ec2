"""Rule-based criterion evidence: cues of the criteria file compiled to spaCy Matcher patterns."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from rolefit.criteria import CriteriaSet, Cue, load_criteria  # noqa: F401
from rolefit.pipeline.evidence import add_evidence

_GAP_STOP = [".", ";", "•", "|", "!", "?"]


class DutyMatcher:
    """Finds evidence of every criterion from its cues. A match inside a sentence holding one
    of the criterion's `exclude` words is dropped. Every hit is stored in
    `doc.spans["rolefit_evidence"]` with label = criterion id and source = `rule:<id>.<cue>`."""

    def __init__(self, nlp: Language, name: str = "rolefit_duties",
                 max_hits_per_sentence: int = 1) -> None:
        self.name = name
        self.nlp = nlp
        self.max_hits_per_sentence = max_hits_per_sentence
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.excludes: dict[str, list[tuple[str, ...]]] = {}
        self.criteria: CriteriaSet | None = None

    def initialize(self, get_examples=None, *, nlp=None, criteria_path: str = "") -> None:
        self.criteria = load_criteria(criteria_path or None)
        self.matcher = Matcher(self.nlp.vocab, validate=True)
        self.excludes = {}
        for criterion in self.criteria.criteria:
            for cue in criterion.cues:
                patterns = self._patterns(cue)
                if patterns:
                    self.matcher.add(f"{criterion.id}.{cue.id}", patterns)
            self.excludes[criterion.id] = [self._lemmas(term) for term in criterion.exclude]

    def _lemmas(self, term: str) -> tuple[str, ...]:
        lemmatize = self._lemma_function()
        return tuple(lemmatize(t.text) for t in self.nlp.make_doc(term) if not t.is_space)

    def _lemma_function(self):
        if "rolefit_lemmatizer" in self.nlp.pipe_names:
            return self.nlp.get_pipe("rolefit_lemmatizer").lemma
        return str.lower

    def _sequence(self, words: tuple[str, ...]) -> tuple[list[str], list[tuple[str, ...]]]:
        """Split cue words into single lemmas and multi-token lemma sequences."""
        singles, multis = [], []
        for word in words:
            lemmas = self._lemmas(word)
            if len(lemmas) == 1:
                singles.append(lemmas[0])
            elif lemmas:
                multis.append(lemmas)
        return singles, multis

    def _patterns(self, cue: Cue) -> list[list[dict]]:
        if cue.phrases:
            singles, multis = self._sequence(cue.phrases)
            patterns = [[{"LEMMA": {"IN": singles}}]] if singles else []
            patterns += [_seq(lemmas, first_free=True) for lemmas in multis]
            return patterns
        verb_singles, verb_multis = self._sequence(cue.verbs)
        obj_singles, obj_multis = self._sequence(cue.objects)
        verbs = ([[{"LEMMA": {"IN": verb_singles}}]] if verb_singles else []) + [
            _seq(m) for m in verb_multis
        ]
        objects = ([[{"LEMMA": {"IN": obj_singles}}]] if obj_singles else []) + [
            _seq(m) for m in obj_multis
        ]
        gap = {"OP": f"{{0,{cue.gap}}}", "IS_SENT_START": False, "TEXT": {"NOT_IN": _GAP_STOP}}
        patterns = []
        for first, second in [(v, o) for v in verbs for o in objects] + [
            (o, v) for v in verbs for o in objects
        ]:
            tail = [dict(t, IS_SENT_START=False) for t in second]
            patterns.append(first + [gap] + tail)
        return patterns

    def _excluded(self, sentence: Span, criterion: str) -> bool:
        terms = self.excludes.get(criterion)
        if not terms:
            return False
        padded = " " + " ".join(t.lemma_ for t in sentence) + " "
        return any(f" {' '.join(term)} " in padded for term in terms)

    def __call__(self, doc: Doc) -> Doc:
        per_sentence: dict[tuple[int, str], int] = {}
        for match_id, start, end in sorted(self.matcher(doc), key=lambda m: (m[1], m[1] - m[2])):
            key = self.nlp.vocab.strings[match_id]
            criterion = key.split(".", 1)[0]
            span = doc[start:end]
            sentence = span.sent
            slot = (sentence.start, criterion)
            if per_sentence.get(slot, 0) >= self.max_hits_per_sentence:
                continue
            if self._excluded(sentence, criterion):
                continue
            per_sentence[slot] = per_sentence.get(slot, 0) + 1
            add_evidence(doc, span, criterion, f"rule:{key}")
        return doc


def _seq(lemmas: tuple[str, ...], first_free: bool = True) -> list[dict]:
    """A token sequence; tokens after the first may not start a new sentence."""
    out = []
    for i, lemma in enumerate(lemmas):
        token = {"LEMMA": lemma}
        if i or not first_free:
            token["IS_SENT_START"] = False
        out.append(token)
    return out


@Language.factory("rolefit_duties", default_config={"max_hits_per_sentence": 1},
                  assigns=["doc.spans"],
                  requires=["token.lemma", "token.is_sent_start"])
def make_duty_matcher(nlp: Language, name: str, max_hits_per_sentence: int) -> DutyMatcher:
    return DutyMatcher(nlp, name, max_hits_per_sentence)
