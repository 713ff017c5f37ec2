"""Where criterion evidence lives on a Doc: the span group `rolefit_evidence`, where a span's
label is the criterion id and its `id_` the rule or model that found it (e.g. `rule:A1.file`,
`model:duty_classifier`). Confidences live in `doc._.rolefit_scores`, keyed by span."""

from __future__ import annotations

from spacy.tokens import Doc, Span

EVIDENCE_GROUP = "rolefit_evidence"

if not Doc.has_extension("rolefit_scores"):
    Doc.set_extension("rolefit_scores", default=None)


def add_evidence(doc: Doc, span: Span, criterion: str, source: str, score: float = 1.0) -> None:
    """Record `span` as evidence of `criterion`, found by `source`, with a confidence."""
    evidence = Span(doc, span.start, span.end, label=criterion, span_id=source)
    if doc._.rolefit_scores is None:
        doc._.rolefit_scores = {}
    doc._.rolefit_scores[span_key(evidence)] = float(score)
    group = doc.spans.get(EVIDENCE_GROUP)
    if group is None:
        doc.spans[EVIDENCE_GROUP] = [evidence]
    else:
        group.append(evidence)


def span_key(span: Span) -> str:
    """A string key (Doc user data must survive msgpack when spaCy pipes in processes)."""
    return f"{span.start}:{span.end}:{span.label_}:{span.id_}"


def evidence_score(doc: Doc, span: Span) -> float:
    return (doc._.rolefit_scores or {}).get(span_key(span), 1.0)


def evidence_spans(doc: Doc) -> list[Span]:
    return list(doc.spans.get(EVIDENCE_GROUP, []))
