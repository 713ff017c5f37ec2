"""Knowledge signals: education level and field, certifications, languages, years of experience.
Specialised knowledge is also recorded as evidence of the knowledge-level criterion (D2)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from rolefit.knowledge_data import KnowledgeVocabulary, Term, load_knowledge
from rolefit.pipeline.evidence import EVIDENCE_GROUP, add_evidence
from rolefit.pipeline.view import DocView

if not Doc.has_extension("rolefit_knowledge"):
    Doc.set_extension("rolefit_knowledge", default=None)
if not Doc.has_extension("rolefit_experience"):
    Doc.set_extension("rolefit_experience", default=None)

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"  # noqa: E501
# "Mar 2019", "03/2019", "3.2019", "2019" and year-first "2019.03"
_DATE = (rf"(?:(?P<{{p}}m>{_MONTH})\.?,?\s{{{{0,2}}}}|(?P<{{p}}n>\d{{{{1,2}}}})\s?[/.\-]\s?)?"
         r"(?P<{p}y>(?:19|20)\d{{2}})(?:\.(?P<{p}s>0[1-9]|1[0-2])(?!\d))?")
_RANGE = re.compile(
    r"\b" + _DATE.format(p="a") + r"\s{0,3}(?:-|–|—|to|until|till|through)\s{0,3}"
    + r"(?:(?P<now>present|current|now|date|today|ongoing|till date|to date)\b|"
    + _DATE.format(p="b") + r")",
    re.IGNORECASE,
)
# `_RANGE` for lower-cased text (see `_foldable`): its literals are lower-case already, and
# matching case-sensitively is faster than case-folding every character
_RANGE_LOWER = re.compile(_RANGE.pattern)
_EXCLUDED_LABELS = {"D2"}


@dataclass(frozen=True)
class KnowledgeHit:
    """One knowledge signal found in the text."""

    kind: str  # education | field | certification | language | experience
    value: str
    start: int
    end: int
    source: str
    specialised: bool = False
    rank: int = 0
    months: int = 0


def _alternation(words: tuple[str, ...]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


class _Alternatives:
    """A case-insensitive pattern `prefix(?:word|word...)suffix` over a vocabulary, narrowed
    for one text to the words whose literal parts (between spaces) the lower-cased text holds.
    A word lacking a part cannot match anywhere, and the alternation keeps its order, so the
    narrowed pattern finds exactly what the whole one finds, scanning fewer alternatives. When
    every word is ASCII, the narrowed pattern is lower-case and matches the lower-cased text
    case-sensitively: the same spans (`_foldable`), found faster."""

    def __init__(self, prefix: str, words: tuple[str, ...], suffix: str) -> None:
        self.prefix, self.words, self.suffix = prefix, words, suffix
        self.full = self._compile(words, re.I)
        self.ascii = all(word.isascii() for word in words)
        # None: the word is kept whatever the text (empty, or beyond ASCII)
        self.parts = [tuple(part.lower() for part in word.split(" ") if part)
                      if word.strip() and word.isascii() else None for word in words]
        self._narrowed: dict[tuple[str, ...], re.Pattern[str]] = {}

    def _compile(self, words: tuple[str, ...], flags: int) -> re.Pattern[str]:
        return re.compile(f"{self.prefix}(?:{_alternation(words)}){self.suffix}", flags)

    def for_text(self, lowered: str | None) -> tuple[re.Pattern[str] | None, bool]:
        """(pattern, whether it reads the lower-cased text) for a text; `lowered` is the text
        lower-cased, or None when that cannot stand in for case-insensitive matching. The
        pattern is None when nothing in the text can match."""
        if lowered is None or not self.words or not self.ascii:
            return self.full, False
        present = tuple(word for word, parts in zip(self.words, self.parts, strict=True)
                        if parts is None or all(part in lowered for part in parts))
        if not present:
            return None, False
        pattern = self._narrowed.get(present)
        if pattern is None:
            if len(self._narrowed) >= 256:
                self._narrowed.clear()
            lower = tuple(word.lower() for word in present)
            pattern = self._narrowed[present] = self._compile(lower, 0)
        return pattern, True


def _foldable(text: str) -> bool:
    """Whether `text.lower()` finds what a case-insensitive ASCII pattern could match: every
    character beyond ASCII is caseless (bullets, dashes, most symbols), so none of them can
    match an ASCII letter (as `ſ` matches `s`) and lower-casing keeps every offset."""
    return text.isascii() or all(c.lower() == c == c.upper()
                                 for c in set(text) if not c.isascii())


def _abbreviations(abbrevs: tuple[str, ...]) -> str:
    # "BA" also matches "B.A." and "B. A."
    return "|".join(r"\.?\s?".join(map(re.escape, a)) + r"\.?" for a in abbrevs)


class KnowledgeExtractor:
    """Regular expressions compiled from `data/knowledge.yaml`, each bounded (no nested
    quantifiers), so that long adversarial lines stay linear."""

    def __init__(self, nlp: Language, name: str = "rolefit_knowledge",
                 reference_year: int = 0, relevant_min_criteria: int = 2) -> None:
        self.name = name
        self.reference_year = reference_year
        self.relevant_min_criteria = relevant_min_criteria
        self.vocab: KnowledgeVocabulary | None = None
        self.patterns: list[tuple[str, Term, re.Pattern[str]]] = []
        self.alternatives: list[_Alternatives | None] = []  # per pattern, None: always whole
        self.languages: _Alternatives | None = None
        self.language_re: re.Pattern[str] | None = None
        self.language_context_re: re.Pattern[str] | None = None

    def initialize(self, get_examples=None, *, nlp=None, knowledge_path: str = "") -> None:
        self.vocab = load_knowledge(knowledge_path or None)
        self.patterns = []
        self.alternatives = []
        for kind, terms in (("education", self.vocab.degree_levels),
                            ("field", self.vocab.fields),
                            ("certification", self.vocab.certifications)):
            for term in terms:
                words = _Alternatives(r"(?<![\w.])", tuple(term.words), r"(?![\w])")
                self.patterns.append((kind, term, words.full))
                self.alternatives.append(words)
                if term.abbreviations:
                    abbrev = re.compile(
                        rf"(?<![\w.])(?:{_abbreviations(term.abbreviations)})(?![\w])"
                        r"(?!\s+(?:Office|Word|Excel|Outlook|Access|Teams|PowerPoint|Project))"
                    )
                    self.patterns.append((f"{kind}_abbrev", term, abbrev))
                    self.alternatives.append(None)
        self.languages = _Alternatives(r"\b", tuple(self.vocab.languages), r"\b")
        self.language_re = self.languages.full
        self.language_context_re = re.compile(
            rf"\b(?:{_alternation(self.vocab.language_context)})\b", re.I)

    def __call__(self, doc: Doc) -> Doc:
        view = DocView(doc)
        text = view.text
        hits: list[KnowledgeHit] = []
        lowered = text.lower() if _foldable(text) else None
        for (kind, term, whole), words in zip(self.patterns, self.alternatives, strict=True):
            pattern, reads_lowered = (whole, False) if words is None else \
                words.for_text(lowered)
            if pattern is None:
                continue  # none of its words is in the text
            for match in pattern.finditer(lowered if reads_lowered else text):
                base = kind.removesuffix("_abbrev")
                section = view.section_at(match.start())
                if kind.endswith("_abbrev") and not self._degree_context(text, match, section):
                    continue
                if base == "field" and not self._field_context(text, match, section):
                    continue
                if base == "education" and term.rank == 1 and re.search(
                        r"(?:high|secondary)\s+school\W{0,3}$",
                        text[max(0, match.start() - 25):match.start()], re.I):
                    continue  # "High School Diploma" is a secondary-school diploma
                hits.append(KnowledgeHit(base, term.name, match.start(), match.end(),
                                         f"knowledge:{base}", term.specialised, term.rank))
        hits += self._languages(view, lowered)
        experience = self._experience(view, lowered)
        hits += experience["ranges"]
        # plain dicts: Doc user data must survive msgpack when spaCy pipes in processes
        doc._.rolefit_knowledge = [asdict(h) for h in sorted(hits, key=lambda h: (h.start,
                                                                                 h.kind))]
        doc._.rolefit_experience = {k: v for k, v in experience.items() if k != "ranges"}
        for hit in hits:
            if hit.specialised:
                span = doc.char_span(hit.start, hit.end, alignment_mode="expand")
                if span is not None:
                    add_evidence(doc, span, "D2", hit.source)
        return doc

    @staticmethod
    def _line(text: str, match: re.Match[str], reach: int = 1000) -> str:
        """The match's line, at most `reach` characters either side of it: a bounded window
        keeps one very long line from costing its whole length for every match on it."""
        low, high = max(0, match.start() - reach), min(len(text), match.end() + reach)
        start = text.rfind("\n", low, match.start()) + 1 or low
        end = text.find("\n", match.end(), high)
        return text[start:end if end >= 0 else high]

    def _degree_context(self, text: str, match: re.Match[str], section: str) -> bool:
        """A bare abbreviation ("BA", "MS") counts only as a degree, not as a word in capitals."""
        line = self._line(text, match)
        in_education = section in {"education", "certifications"}
        if line.isupper():
            return in_education and len(line.split()) <= 8
        after = text[match.end():match.end() + 12]
        if re.match(r"\s*(?:\(|,|in\b|of\b|degree|hons|honours|\-)", after, re.I):
            return True
        return in_education

    def _field_context(self, text: str, match: re.Match[str], section: str) -> bool:
        """A field counts when it is studied: in the education section or after a degree word."""
        if section in {"education", "certifications"}:
            return True
        before = text[max(0, match.start() - 40):match.start()].lower()
        return bool(re.search(r"(?:degree|bachelor|master|diploma|major|studies|studied|"
                              r"ba|bsc|ma|msc|mba|llb|phd)\W{1,3}(?:\w+\W{1,3}){0,3}$", before))

    def _languages(self, view: DocView, lowered: str | None = None) -> list[KnowledgeHit]:
        assert self.languages is not None and self.language_context_re is not None
        text = view.text
        out: list[KnowledgeHit] = []
        pattern, reads_lowered = self.languages.for_text(lowered)
        if pattern is None:
            return out
        for match in pattern.finditer(lowered if reads_lowered else text):  # type: ignore[arg-type]
            section = view.section_at(match.start())
            line = self._line(text, match)
            if section == "languages" or self.language_context_re.search(line):
                out.append(KnowledgeHit("language", text[match.start():match.end()].lower(),
                                        match.start(), match.end(), "knowledge:language"))
        return out

    def _experience(self, view: DocView, lowered: str | None = None) -> dict:
        """Date ranges → months worked (overlaps counted once), the months of ranges whose
        job block holds evidence of at least `relevant_min_criteria` distinct criteria, and the
        job blocks (a date range up to the next one) with their length and how many months
        before the résumé's latest date each ended."""
        today = date.today()
        ref_year = self.reference_year or today.year
        ref_month = today.month if not self.reference_year else 12
        text = view.text
        matches = list(_RANGE.finditer(text) if lowered is None else
                       _RANGE_LOWER.finditer(lowered))  # the same spans and (lower-case) groups
        evidence = [(s.start_char, s.label_) for s in view.doc.spans.get(EVIDENCE_GROUP, [])
                    if s.label_ not in _EXCLUDED_LABELS]
        ranges, jobs, all_months, relevant_months = [], [], set(), set()
        for i, match in enumerate(matches):
            start = _month_index(match.group("ay"), match.group("am"),
                                 match.group("an") or match.group("as"), 1)
            if match.group("now"):
                end = ref_year * 12 + ref_month - 1
            else:
                end = _month_index(match.group("by"), match.group("bm"),
                                   match.group("bn") or match.group("bs"), 12)
            if end < start or end - start > 50 * 12:
                continue
            months = set(range(start, end + 1))
            block_end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            criteria = {label for char, label in evidence if match.start() <= char < block_end}
            all_months |= months
            if len(criteria) >= self.relevant_min_criteria:
                relevant_months |= months
            ranges.append(KnowledgeHit("experience", f"{len(months)} months", match.start(),
                                       match.end(), "knowledge:date_range", months=len(months)))
            jobs.append({"start": match.start(), "end": block_end, "months": len(months),
                         "last_month": end})
        latest = max((job["last_month"] for job in jobs), default=0)
        for job in jobs:
            job["months_before_latest"] = latest - job.pop("last_month")
        return {
            "ranges": ranges,
            "jobs": jobs,
            "total_years": round(len(all_months) / 12, 1),
            "relevant_years": round(len(relevant_months) / 12, 1),
        }


def _month_index(year: str, month_name: str | None, month_number: str | None,
                 default: int) -> int:
    month = default
    if month_name:
        month = _MONTHS.get(month_name[:3].lower(), default)
    elif month_number and 1 <= int(month_number) <= 12:
        month = int(month_number)
    return int(year) * 12 + month - 1


@Language.factory("rolefit_knowledge",
                  default_config={"reference_year": 0, "relevant_min_criteria": 2},
                  assigns=["doc._.rolefit_knowledge", "doc._.rolefit_experience", "doc.spans"])
def make_knowledge(nlp: Language, name: str, reference_year: int,
                   relevant_min_criteria: int) -> KnowledgeExtractor:
    return KnowledgeExtractor(nlp, name, reference_year, relevant_min_criteria)
