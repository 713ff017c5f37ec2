"""The learned duty classifier: a linear model over each sentence's words and character n-grams,
for paraphrases the cue rules do not cover. Its weights are plain arrays (`.npz` + JSON), loaded
without pickle."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from rolefit.criteria import load_criteria
from rolefit.errors import ModelError
from rolefit.pipeline.evidence import EVIDENCE_GROUP, add_evidence, evidence_spans
from rolefit.pipeline.ngrams import NgramCounter, Rows, dot, hstack, l2_normalise, tfidf
from rolefit.pipeline.titles import is_job_header_line
from rolefit.pipeline.view import DocView
from rolefit.redact import is_placeholder
from rolefit.resources import models_path

DEFAULT_DIR = "duty_classifier"
SOURCE = "model:duty_classifier"
# sentences about another occupation's work (clinical, technical, trade...): not evidence, but
# counted in `doc._.rolefit_other_duty`, so a few office words in a nurse's career read as such
OTHER_DUTY = "OTHER_DUTY"
if not Doc.has_extension("rolefit_other_duty"):
    Doc.set_extension("rolefit_other_duty", default=0)
MIN_TOKENS = 4
_SKIP_SECTIONS = {"header"}
_FIELD_LINE = re.compile(r"^[^:]{1,30}:\s*\S")
_DATE_RANGE = re.compile(r"(?:19|20)\d\d\s*(?:-|–|—|to)\s*(?:(?:19|20)\d\d|present|current|now)",
                         re.I)


def sentence_features_text(sentence: Span | Doc) -> tuple[str, str]:
    """(lemma text, lower-case surface text) of a sentence: what the vectorizers read. Masked
    personal data (`rolefit.redact`) is left out, so its length cannot count."""
    tokens = [t for t in sentence
              if not (t.is_space or t.text == "•" or is_placeholder(t.text))]
    return " ".join(t.lemma_ for t in tokens), " ".join(t.lower_ for t in tokens)


class LinearDutyModel:
    """Word and character n-gram TF-IDF features and one logistic model per criterion,
    rebuilt from arrays. `fit` lives in `rolefit.pipeline.train_duties`."""

    def __init__(self, labels: list[str], word_vocab: dict[str, int], char_vocab: dict[str, int],
                 word_idf: np.ndarray, char_idf: np.ndarray, coef: np.ndarray,
                 intercept: np.ndarray, thresholds: np.ndarray,
                 veto: float | np.ndarray = 0.0) -> None:
        self.labels = labels
        # per label: the probability under which a rule hit of that label is dropped
        self.veto = np.broadcast_to(np.asarray(veto, dtype=np.float64), (len(labels),)).copy()
        self.word_vocab = word_vocab
        self.char_vocab = char_vocab
        self.word_counter = NgramCounter(word_vocab, "word", (1, 2))
        self.char_counter = NgramCounter(char_vocab, "char_wb", (3, 5))
        self.word_idf = np.asarray(word_idf, dtype=np.float64)
        self.char_idf = np.asarray(char_idf, dtype=np.float64)
        self.coef = coef
        self.weights = np.ascontiguousarray(coef.T)  # one row per feature column
        self.intercept = intercept
        self.thresholds = thresholds

    def features(self, lemma_texts: list[str], surface_texts: list[str]) -> Rows:
        """Word TF-IDF beside character TF-IDF, each row of unit length (CSR arrays)."""
        word = tfidf(self.word_counter.transform(lemma_texts), self.word_idf)
        char = tfidf(self.char_counter.transform(surface_texts), self.char_idf)
        return l2_normalise(hstack(word, char))

    def predict_proba(self, lemma_texts: list[str], surface_texts: list[str]) -> np.ndarray:
        if not lemma_texts:
            return np.zeros((0, len(self.labels)))
        scores = dot(self.features(lemma_texts, surface_texts), self.weights) + self.intercept
        return 1.0 / (1.0 + np.exp(-scores))

    def save(self, folder: Path, meta: dict) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            folder / "weights.npz", word_idf=self.word_idf, char_idf=self.char_idf,
            coef=self.coef.astype(np.float32), intercept=self.intercept,
            thresholds=self.thresholds, veto=self.veto,
        )
        vocab = {"labels": self.labels, "word": self.word_vocab, "char": self.char_vocab}
        (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, sort_keys=True),
                                           encoding="utf-8")
        (folder / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True),
                                          encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LinearDutyModel:
        try:
            vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
            with np.load(folder / "weights.npz", allow_pickle=False) as arrays:
                return cls(vocab["labels"], vocab["word"], vocab["char"], arrays["word_idf"],
                           arrays["char_idf"], arrays["coef"].astype(np.float64),
                           arrays["intercept"], arrays["thresholds"],
                           arrays.get("veto", 0.0))
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"cannot load the duty classifier from {folder}: {exc}") from None


class DutyClassifier:
    """Adds `model:duty_classifier` evidence for sentences the model scores above its threshold
    for a criterion that no rule already found in that sentence."""

    def __init__(self, nlp: Language, name: str = "rolefit_duty_classifier",
                 threshold_offset: float = 0.0) -> None:
        self.name = name
        self.threshold_offset = threshold_offset
        self.model: LinearDutyModel | None = None
        self.skip_labels: set[str] = set()

    def initialize(self, get_examples=None, *, nlp=None, model_dir: str = "",
                   criteria_path: str = "") -> None:
        folder = Path(model_dir) if model_dir else models_path(DEFAULT_DIR)
        self.model = LinearDutyModel.load(folder)
        # Knowledge criteria come from the knowledge extractor, which reads degree levels and
        # fields precisely; the sentence model would take any education line for one.
        criteria = load_criteria(criteria_path or None)
        self.skip_labels = {c.id for c in criteria.criteria if c.kind == "knowledge"}

    def _candidate(self, view: DocView, start: int, end: int) -> bool:
        """Sentences worth classifying: not the contact header, a job-title line (with dates
        or without), or a "Field: value" personal-details line."""
        if view.n_content(start, end) < MIN_TOKENS:
            return False
        start_char, end_char = view.char_bounds(start, end)
        if view.section_at(start_char) in _SKIP_SECTIONS:
            return False
        text = view.text[start_char:end_char].strip()
        return not (_DATE_RANGE.search(text) and len(text) < 120) and not (
            _FIELD_LINE.match(text) and len(text) < 60) and not is_job_header_line(text)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 64):
        """Classify the sentences of many documents in one vectorised call per batch."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._process(batch)
                batch = []
        if batch:
            yield from self._process(batch)

    def _process(self, docs: list[Doc]) -> list[Doc]:
        if self.model is None:
            return docs
        plans = []
        texts: list[tuple[str, str]] = []
        for doc in docs:
            view = DocView(doc)
            rule_spans = evidence_spans(doc)
            candidates = [(start, end) for start, end in view.sentences
                          if self._candidate(view, start, end)]
            rule_sentences = (view.sentence_of(span.start) for span in rule_spans)
            sentences = dict(candidates) | {
                start: end for start, end in rule_sentences
                if view.n_content(start, end) >= MIN_TOKENS}
            starts = sorted(sentences)
            plans.append((view, rule_spans, candidates, starts, len(texts)))
            texts.extend(view.features_text(i, sentences[i]) for i in starts)
        probabilities = self.model.predict_proba([t[0] for t in texts], [t[1] for t in texts])
        for view, rule_spans, candidates, starts, offset in plans:
            rows = dict(zip(starts, probabilities[offset:offset + len(starts)], strict=True))
            self._apply(view, rule_spans, candidates, rows)
        return docs

    def _apply(self, view: DocView, rule_spans: list[Span],
               candidates: list[tuple[int, int]], probabilities: dict) -> None:
        doc = view.doc
        self._veto(view, rule_spans, probabilities)
        found = {(view.sentence_of(s.start)[0], s.label_) for s in evidence_spans(doc)}
        thresholds = self.model.thresholds + self.threshold_offset
        other_duty = 0
        for start, end in candidates:
            row = probabilities[start]
            for index in np.flatnonzero(row >= thresholds):
                criterion = self.model.labels[index]
                if criterion == OTHER_DUTY:
                    other_duty += 1
                    continue
                if (start, criterion) in found or criterion in self.skip_labels:
                    continue
                add_evidence(doc, _trim(view, start, end), criterion, SOURCE, float(row[index]))
        doc._.rolefit_other_duty = other_duty

    def _veto(self, view: DocView, rule_spans: list[Span], probabilities: dict) -> None:
        """Drop a rule hit when the model gives its criterion almost no chance in that sentence
        (a cue word used in another sense: "post-op patients", "reception area"); each
        criterion has its own veto probability."""
        if not self.model.veto.any():
            return
        index = {label: i for i, label in enumerate(self.model.labels)}
        kept = []
        for span in rule_spans:
            row = probabilities.get(view.sentence_of(span.start)[0])
            i = index.get(span.label_)
            if (row is not None and i is not None and span.label_ not in self.skip_labels
                    and row[i] < self.model.veto[i]):
                continue
            kept.append(span)
        if len(kept) != len(rule_spans):
            view.doc.spans[EVIDENCE_GROUP] = kept


def _trim(view: DocView, start: int, end: int) -> Span:
    """The sentence without its leading bullet and surrounding whitespace tokens."""
    orths = view.orths
    while start < end and (orths[start].isspace() or orths[start] == "•"):
        start += 1
    while end > start and orths[end - 1].isspace():
        end -= 1
    return view.doc[start:end]


@Language.factory("rolefit_duty_classifier", default_config={"threshold_offset": 0.0},
                  assigns=["doc.spans"], requires=["token.lemma", "token.is_sent_start"])
def make_duty_classifier(nlp: Language, name: str, threshold_offset: float) -> DutyClassifier:
    return DutyClassifier(nlp, name, threshold_offset)
