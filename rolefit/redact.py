"""Blind scoring: mask personal data in résumé text before any feature is built.

Masking keeps lengths: every masked span is replaced by a placeholder of the same length
(``X``/``x`` for its characters, line breaks kept), so an offset into the masked text is the
same offset into the original and evidence can quote the original. A masked span reads as
one word to the tokenizer whatever its length, so "Emily Walsh" and "Nguyen Thi Lan" look
alike to the model. The vocabularies live in ``data/redaction.yaml``.

Every pattern is linear on adversarial input: runs are bounded or possessive, and patterns
that scan a run (e-mail, URL) may only start where that run starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rolefit.datafile import load_validated
from rolefit.errors import RedactionError
from rolefit.resources import data_path

KINDS = ("name", "email", "phone", "address", "url", "handle", "birth_date", "age", "gender",
         "marital_status", "nationality", "religion", "photo", "institution", "protected")

_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}
_KIND = {"enum": list(KINDS)}
REDACTION_SCHEMA: dict = {
    "type": "object",
    "required": ["schema_version", "fields", "words", "nationality", "institutions",
                 "street_types", "unit_words", "social_domains", "header", "given_names"],
    "additionalProperties": False,
    "properties": {
        "schema_version": {"const": 1},
        "fields": {"type": "array", "items": {
            "type": "object", "required": ["kind", "labels"], "additionalProperties": False,
            "properties": {"kind": _KIND, "labels": {**_STRINGS, "minItems": 1}}}},
        "words": {"type": "array", "items": {
            "type": "object", "required": ["kind"], "additionalProperties": False,
            "properties": {"kind": _KIND, "words": _STRINGS, "cased": _STRINGS}}},
        "nationality": {"type": "object", "required": ["before", "demonyms"],
                        "additionalProperties": False,
                        "properties": {"before": _STRINGS, "demonyms": _STRINGS}},
        "institutions": _STRINGS,
        "street_types": {**_STRINGS, "minItems": 1},
        "unit_words": _STRINGS,
        "social_domains": _STRINGS,
        "header": {"type": "object",
                   "required": ["lines", "honorifics", "particles", "not_name_words"],
                   "additionalProperties": False,
                   "properties": {"lines": {"type": "integer", "minimum": 1, "maximum": 20},
                                  "honorifics": _STRINGS, "particles": _STRINGS,
                                  "not_name_words": _STRINGS, "headings": _STRINGS,
                                  "closings": _STRINGS}},
        "given_names": _STRINGS,
    },
}

_UPPER = "A-ZÀ-ÖØ-Þ"
_CAP_WORD = rf"[{_UPPER}][^\W\d_]*+(?:[-'’][^\W\d_]++)*+"
_PLACE = rf"(?-i:{_CAP_WORD})(?:,?[ \t]+(?-i:{_CAP_WORD})){{0,2}}"
_CAP_NAME = rf"[{_UPPER}][^\W\d_]++(?:[-'’][^\W\d_]++)*+"  # two letters or more
_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATE = (r"(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2}"
         rf"|(?:\d{{1,2}}(?:st|nd|rd|th)?[ \t]+)?{_MONTHS}\.?(?:[ \t]+\d{{1,2}}(?:st|nd|rd|th)?)?"
         r",?[ \t]+\d{4}|(?:19|20)\d\d)(?!\d)")

# Fixed patterns, kind → compiled regex (the whole match is masked), with literals every match
# holds one of (see `_Literals`): a text holding none of them is not scanned.
_PATTERNS: tuple[tuple[str, re.Pattern[str], tuple[str, ...], bool], ...] = (
    ("email", re.compile(r"(?<![\w.+-])[\w.+-]{1,64}+@[\w-]{1,63}+(?:\.[\w-]{1,63}+)++"),
     ("@",), False),
    ("url", re.compile(r"(?i)(?<![\w@/.])(?:https?://|www\.)[^\s<>\"'()\[\]]++"),
     ("http", "www."), True),
    ("handle", re.compile(r"(?<![\w@.])@\w{2,30}+(?![\w@-])"), ("@",), False),
    ("photo", re.compile(r"!\[[^\]\n]{0,300}+\]\([^)\n]{0,500}+\)"), ("![",), False),
    ("photo", re.compile(r"(?i)\[(?:photo|picture|image|headshot|portrait)\b[^\]\n]{0,200}+\]"),
     ("[",), False),
    ("birth_date", re.compile(rf"(?i)(?<!\w)born(?:[ \t]+(?:on|in))?[ \t]+{_DATE}"
                              rf"(?:[ \t]+in[ \t]+{_PLACE})?"), ("born",), True),
    ("nationality", re.compile(
        rf"(?<!\w)(?i:born)[ \t]+(?i:in)[ \t]+{_PLACE}"), ("born",), True),
    ("age", re.compile(r"(?i)(?<!\w)aged?[ \t]*[:\-]?[ \t]*\d{1,3}(?![\d.,])"), ("age",), True),
    ("age", re.compile(r"(?i)(?<![\w.])\d{1,3}[ \t-]*(?:years?|yrs?)[ \t-]*old(?!\w)"),
     ("old",), True),
    ("age", re.compile(r"(?i)(?<![\w.])\d{1,3}[ \t]*y\.[ \t]?o\."), ("y.",), True),
    ("address", re.compile(
        r"(?i)(?<!\w)(?:p\.?[ \t]?o\.?|post[ \t]+office)[ \t]+box[ \t]+\d{1,6}(?!\d)"),
     ("box",), True),
    ("name", re.compile(
        rf"(?<!\w)(?:Dr|Prof|Mr|Mrs|Ms|Mx|Miss)\.?[ \t]+(?P<mask>(?:[{_UPPER}]\.[ \t]?)*+"
        rf"{_CAP_NAME}(?:[ \t]+{_CAP_NAME})?)"), ("Dr", "Prof", "Mr", "Ms", "Mx", "Miss"), False),
)
# Postal codes: only the code itself is masked (group "mask").
_POSTCODES = (
    re.compile(r"(?<!\w)[A-Z]{2}[ \t]+(?P<mask>\d{5}(?:-\d{4})?)(?![\w-])"),          # US
    re.compile(r"(?<!\w)(?P<mask>[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2})(?!\w)"),        # UK
    re.compile(r"(?<!\w)(?P<mask>[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)(?!\w)"),                 # Canada
)
_PHONE = re.compile(r"(?<![\w+])(?:\+[ \t]?\d{1,3}[ .\-]?)?(?:\(\d{1,5}\)[ .\-]?)?"
                    r"\d{2,6}(?:[ .\-]\d{2,8}){1,5}(?!\w)")
_NOT_PHONE = re.compile(r"\d{1,2}[.\-]\d{1,2}[.\-]\d{2,4}|\d{4}[.\-]\d{1,2}[.\-]\d{1,2}"
                        r"|(?:19|20)\d\d[ .\-](?:19|20)\d\d")
_SPLIT_SEGMENTS = re.compile(r"[^|·•,;–—\t]+")
_NAME_TOKEN = re.compile(rf"(?:[{_UPPER}]\.|{_CAP_WORD}\.?)")
_TOKEN = re.compile(r"[^\W_]++(?:['’&-][^\W_]++)*+")
_COLON = re.compile(r"[:：]")
_BLANKS = re.compile(r"[ \t]{0,20}")
_FIELD_SEPARATORS = ("\n", "|", "·", "•", ";", ",", "\t")
_PARENTHESIS = re.compile(r"[ \t]*\([^)\n]{0,30}+\)[ \t]*$")
_LABEL_WORD = re.compile(r"[^\W\d_][\w.&-]*+")
_VALUE_END = re.compile(r"[\n|·•;\t]|[ \t]{2}")
_SURNAME_AFTER = re.compile(rf"(?:[ \t]+[{_UPPER}]\.)?[ \t]+[{_UPPER}][^\W\d_]++"
                            r"(?:[-'’][^\W\d_]++)?(?![\w'’])")
_PLACEHOLDER = re.compile(r"[Xx]x++")
_NICKNAME = re.compile(r"[\"“'‘(][^\"”'’()]{1,20}[\"”'’)]")


@dataclass(frozen=True)
class MaskedSpan:
    """One masked stretch of the text: [start, end) and what it held."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Redaction:
    """The masked text (what the model sees), the original and the masked spans."""

    text: str
    original: str
    spans: tuple[MaskedSpan, ...]

    @property
    def kinds(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for span in self.spans:
            counts[span.kind] = counts.get(span.kind, 0) + 1
        return counts


@dataclass(frozen=True)
class HeaderRules:
    lines: int
    honorifics: frozenset[str]
    particles: frozenset[str]
    not_name_words: frozenset[str]
    headings: frozenset[str]
    closings: re.Pattern[str] | None


@dataclass(frozen=True)
class RedactionRules:
    """The compiled vocabularies of a redaction data file."""

    path: str
    field_kinds: dict[str, str]  # label (lower case) → kind
    label_words: int  # the most words a label has
    phrases: dict[tuple[str, ...], str]  # words and institutions (lower-case tokens) → kind
    phrase_starts: frozenset[str]
    phrase_words: int
    cased: re.Pattern[str] | None
    cased_kinds: dict[str, str]
    nationality: re.Pattern[str]
    street: re.Pattern[str]
    social: re.Pattern[str] | None
    given_names: frozenset[str]
    header: HeaderRules
    # literals every match holds one of (lower case for the case-insensitive ones; None: no
    # such list), so a text without them skips the scan; see `_Literals`
    nationality_literals: tuple[str, ...] | None = None
    social_literals: tuple[str, ...] | None = None
    cased_literals: tuple[str, ...] | None = None


def _alternation(terms: list[str] | tuple[str, ...]) -> str:
    """Longest first, spaces as any run of blanks, either apostrophe."""
    parts = []
    for term in sorted(set(terms), key=lambda t: (-len(t), t)):
        escaped = re.escape(term.strip())
        escaped = escaped.replace(r"\ ", r"[ \t]+").replace("'", "['’]").replace("’", "['’]")
        parts.append(escaped)
    return "|".join(parts)


def _pieces(terms) -> tuple[str, ...]:
    """For each term of an `_alternation`, a piece every match of it holds: its longest run
    without blanks or apostrophes (those match more than themselves there)."""
    return tuple(max(re.split(r"[\s'’]+", term.strip()), key=len) for term in terms)


def _key(term: str) -> str:
    return " ".join(term.lower().replace("’", "'").split())


def load_rules(path: str | Path | None = None) -> RedactionRules:
    """Read and compile a redaction data file (the shipped one by default)."""
    if path is None:
        return _default_rules()
    return _compile(Path(path))


@lru_cache(maxsize=1)
def _default_rules() -> RedactionRules:
    return _compile(data_path("redaction.yaml"))


def _compile(path: Path) -> RedactionRules:
    data = load_validated(path, REDACTION_SCHEMA, RedactionError, "kind")
    field_kinds = {_key(label): f["kind"] for f in data["fields"] for label in f["labels"]}
    phrases = {_tokens_key(w): g["kind"] for g in data["words"] for w in g.get("words", [])}
    phrases.update({_tokens_key(name): "institution" for name in data["institutions"]})
    phrases.pop((), None)
    cased_kinds = {w: g["kind"] for g in data["words"] for w in g.get("cased", [])}
    cased = None
    if cased_kinds:  # an honorific may end with its period: no word boundary needed after it
        cased = re.compile(rf"(?<![\w'’])(?:{_alternation(list(cased_kinds))})"
                           r"(?:(?<=\.)|(?![\w'’]))")
    nat = data["nationality"]
    nationality = re.compile(
        rf"(?<![\w.])(?:{_alternation(nat['demonyms'])})(?:[ \t]*-[ \t]*|[ \t]+)"
        rf"(?i:{_alternation(nat['before'])})(?![\w'’])"
        rf"|(?<!\w)(?i:citizen(?:ship)?[ \t]+of)[ \t]+(?:the[ \t]+)?{_CAP_WORD}"
        rf"(?:[ \t]+{_CAP_WORD}){{0,2}}")
    units = _alternation(data["unit_words"]) if data["unit_words"] else r"(?!)"
    street = re.compile(
        rf"(?<![\w#-])\d{{1,5}}[A-Za-z]?(?:[ \t]+(?:{_CAP_WORD}\.?|of|the|de|la|du)){{1,5}}?"
        rf"[ \t]+(?i:{_alternation(data['street_types'])})\.?(?=[ \t]*(?:[,|·•;\n]|$))"
        rf"(?:[ \t]*,?[ \t]*(?i:{units})\.?[ \t]*#?[\w-]{{1,6}}+)?", re.M)
    social = None
    if data["social_domains"]:
        domains = _alternation(data["social_domains"])
        social = re.compile(rf"(?i)(?<![\w@/.-])(?:www\.)?(?:{domains})/[^\s<>\"'()\[\]]*+")
    head = data["header"]
    closings = head.get("closings")
    header = HeaderRules(
        lines=head["lines"], honorifics=frozenset(_key(h) for h in head["honorifics"]),
        particles=frozenset(_key(p) for p in head["particles"]),
        not_name_words=frozenset(_key(w) for w in head["not_name_words"]),
        headings=frozenset(_key(h) for h in head.get("headings", [])),
        closings=(re.compile(rf"(?im)^[ \t]*(?:{_alternation(closings)})[ \t]*[,.!]?[ \t]*\n"
                             r"(?:[ \t]*\n){0,2}+[ \t]*(?P<line>[^\n]{2,80}+)")
                  if closings else None),
    )
    return RedactionRules(
        path=str(path), field_kinds=field_kinds,
        label_words=max(len(label.split()) for label in field_kinds), phrases=phrases,
        phrase_starts=frozenset(key[0] for key in phrases),
        phrase_words=max((len(key) for key in phrases), default=0), cased=cased,
        cased_kinds=cased_kinds, nationality=nationality, street=street, social=social,
        given_names=frozenset(data["given_names"]), header=header,
        nationality_literals=(*_lower(_pieces(nat["before"])), "citizen"),
        social_literals=_lower(_pieces(data["social_domains"])),
        cased_literals=_pieces(cased_kinds) if cased_kinds else None)


def _lower(literals: tuple[str, ...]) -> tuple[str, ...] | None:
    """Literals for a case-insensitive pattern, or None when one is not ASCII (re also folds
    a few letters beyond ASCII case, such as 'ſ' with 's')."""
    return tuple(x.lower() for x in literals) if all(x.isascii() for x in literals) else None


def folds_into_ascii(char: str) -> bool:
    """Whether a character beyond ASCII changes case to or from an ASCII letter ('ſ', 'ı',
    'İ', the Kelvin sign): `re`'s IGNORECASE may match it with an ASCII letter."""
    return not char.isascii() and any(c.isascii() and c.isalpha()
                                      for c in char.lower() + char.upper())


class _Literals:
    """Whether a text may hold a match of a pattern, from literals every match holds one of.
    Case-sensitive literals are looked up in the text; case-insensitive (ASCII, lower-case)
    ones in the lower-cased text, unless the text holds a character that `folds_into_ascii`
    (then `re`'s IGNORECASE matches more than `str.lower` shows, and the text is scanned)."""

    def __init__(self, text: str) -> None:
        self.text = text
        folds = not text.isascii() and any(folds_into_ascii(c) for c in set(text))
        self.lower = None if folds else text.lower()

    def may_match(self, literals: tuple[str, ...] | None, ignore_case: bool) -> bool:
        if literals is None:
            return True
        if not ignore_case:
            return any(x in self.text for x in literals)
        return self.lower is None or any(x in self.lower for x in literals)


def _tokens_key(term: str) -> tuple[str, ...]:
    return tuple(_key(m.group()) for m in _TOKEN.finditer(term))


# -- finding spans ------------------------------------------------------------------------------
def find_spans(text: str, rules: RedactionRules | None = None,
               header: bool = True) -> list[MaskedSpan]:
    """Every span of personal data in `text`, merged and in order. `header=False` skips the
    positional rules (the name line at the top, signatures) for text that is not a résumé."""
    rules = rules or load_rules()
    spans: list[MaskedSpan] = []
    literals = _Literals(text)
    for kind, pattern, needed, ignore_case in _PATTERNS:
        if literals.may_match(needed, ignore_case):
            spans += [_span(m, kind) for m in pattern.finditer(text)]
    spans += _field_spans(text, rules)
    spans += _phone_spans(text)
    for pattern in _POSTCODES:
        spans += [_span(m, "address") for m in pattern.finditer(text)]
    spans += [_span(m, "address") for m in rules.street.finditer(text)]
    if literals.may_match(rules.nationality_literals, True):
        spans += [_span(m, "nationality") for m in rules.nationality.finditer(text)]
    if rules.social is not None and literals.may_match(rules.social_literals, True):
        spans += [_span(m, "url") for m in rules.social.finditer(text)]
    spans += _token_spans(text, rules)
    if rules.cased is not None and literals.may_match(rules.cased_literals, False):
        spans += [_span(m, rules.cased_kinds.get(m.group(), "gender"))
                  for m in rules.cased.finditer(text)]
    if header:
        names = _header_names(text, rules.header) + _signature_names(text, rules.header)
        spans += names
        spans += _name_mentions(text, [text[s.start:s.end] for s in names], rules.header)
    return _merge(spans, text)


def _span(match: re.Match[str], kind: str) -> MaskedSpan:
    if "mask" in match.re.groupindex and match.group("mask") is not None:
        return MaskedSpan(match.start("mask"), match.end("mask"), kind)
    start, end = match.span()
    if kind == "url":  # a URL does not take the sentence's closing punctuation
        while end > start and match.string[end - 1] in ".,;:!?":
            end -= 1
    return MaskedSpan(start, end, kind)


def _field_spans(text: str, rules: RedactionRules) -> list[MaskedSpan]:
    """"Label: value" fields. A label is the whole stretch between a separator (line start,
    | · • ; , tab or two blanks) and the colon, or the last words before the colon when an
    earlier field on the stretch holds them ("Sex: F Age: 34"); "in his name: ..." is no field.
    """
    fields: list[tuple[int, int, str]] = []  # (label start, value start, kind)
    for colon in _COLON.finditer(text):
        c = colon.start()
        low = max(0, c - 80)
        double = text.rfind("  ", low, c)
        start = max([text.rfind(ch, low, c) + 1 for ch in _FIELD_SEPARATORS]
                    + [double + 2 if double >= 0 else 0])
        if start == 0 and low > 0:
            start = low
        stretch = _PARENTHESIS.sub("", text[start:c])
        label = _key(stretch)
        kind = rules.field_kinds.get(label)
        label_start = start + len(stretch) - len(stretch.lstrip())
        if kind is None and fields and fields[-1][1] >= start:  # chained after another field
            words = list(_LABEL_WORD.finditer(stretch))
            for n in range(min(rules.label_words, len(words)), 0, -1):
                first = words[-n]
                if first.start() + start <= fields[-1][1]:
                    continue
                kind = rules.field_kinds.get(_key(stretch[first.start():]))
                if kind is not None:
                    label_start = start + first.start()
                    break
        if kind is not None and (not label or len(label) <= 40):
            value_start = _BLANKS.match(text, colon.end()).end()
            fields.append((label_start, value_start, kind))
    spans = []
    for i, (_, value_start, kind) in enumerate(fields):
        end = _VALUE_END.search(text, value_start, value_start + 200)
        stop = end.start() if end else min(len(text), value_start + 200)
        if i + 1 < len(fields) and fields[i + 1][0] < stop:
            stop = fields[i + 1][0]
        value = text[value_start:stop].rstrip(" \t,.")
        if value and _plausible(kind, value):
            spans.append(MaskedSpan(value_start, value_start + len(value), kind))
    return spans


def _token_spans(text: str, rules: RedactionRules) -> list[MaskedSpan]:
    """Words and phrases of the vocabulary (case-insensitive, longest first) and
    "<given name> <Surname>" pairs, in one pass over the words of the text."""
    tokens = list(_TOKEN.finditer(text))
    keys = [t.group().lower().replace("’", "'") for t in tokens]
    spans: list[MaskedSpan] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.group() in rules.given_names:
            surname = _SURNAME_AFTER.match(text, token.end())
            if surname:
                spans.append(MaskedSpan(token.start(), surname.end(), "name"))
        if keys[i] in rules.phrase_starts:
            for n in range(min(rules.phrase_words, len(tokens) - i), 0, -1):
                kind = rules.phrases.get(tuple(keys[i:i + n]))
                last = tokens[i + n - 1]
                if kind and n > 1 and _gap_is_not_blank(text, tokens[i:i + n]):
                    kind = None
                if kind:
                    spans.append(MaskedSpan(token.start(), last.end(), kind))
                    i += n - 1
                    break
        i += 1
    return spans


def _gap_is_not_blank(text: str, tokens: list[re.Match[str]]) -> bool:
    return any(text[a.end():b.start()].strip(" \t") for a, b in zip(tokens, tokens[1:],
                                                                      strict=False))


def _plausible(kind: str, value: str) -> bool:
    """Contact fields are masked only when the value looks like contact data ("Phone: answered
    80 calls a day" is a duty, not a number)."""
    if kind == "phone":
        return sum(c.isdigit() for c in value) >= 6
    if kind == "email":
        return "@" in value
    if kind == "handle":
        return bool(re.search(r"[@/.]", value)) or len(value.split()) == 1
    return True


def _phone_spans(text: str) -> list[MaskedSpan]:
    spans = []
    for match in _PHONE.finditer(text):
        candidate = match.group()
        digits = sum(c.isdigit() for c in candidate)
        if 7 <= digits <= 15 and not _NOT_PHONE.fullmatch(candidate):
            spans.append(MaskedSpan(match.start(), match.end(), "phone"))
    return spans


# -- names by position --------------------------------------------------------------------------
def _header_names(text: str, rules: HeaderRules) -> list[MaskedSpan]:
    """The candidate's name: the first name-like segment in the top lines, above any heading."""
    offset, seen = 0, 0
    for line in text.split("\n"):
        start = offset
        offset += len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        seen += 1
        if seen > rules.lines or _is_heading(stripped, rules):
            break
        if len(stripped) > 100:
            continue
        for segment in _SPLIT_SEGMENTS.finditer(line):
            span = _name_in(segment.group(), rules)
            if span is not None:
                return [MaskedSpan(start + segment.start() + span[0],
                                   start + segment.start() + span[1], "name")]
    return []


def _signature_names(text: str, rules: HeaderRules) -> list[MaskedSpan]:
    if rules.closings is None:
        return []
    spans = []
    for match in rules.closings.finditer(text):
        line_start = match.start("line")
        for segment in _SPLIT_SEGMENTS.finditer(match.group("line")):
            span = _name_in(segment.group(), rules)
            if span is not None:
                base = line_start + segment.start()
                spans.append(MaskedSpan(base + span[0], base + span[1], "name"))
                break
    return spans


def _is_heading(line: str, rules: HeaderRules) -> bool:
    words = re.sub(r"[^\w\s]", " ", line.lower()).split()
    return 0 < len(words) <= 4 and any(w in rules.headings for w in words)


def _name_in(segment: str, rules: HeaderRules) -> tuple[int, int] | None:
    """(start, end) of a personal name within a header segment, or None."""
    tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", segment)]
    while tokens and _key(tokens[0][2]) in rules.honorifics:
        tokens = tokens[1:]
    if not 2 <= len(tokens) <= 6:
        return None
    names = 0
    for _, _, token in tokens:
        key = _key(token)
        if key in rules.particles or _NICKNAME.fullmatch(token):
            continue
        if key.strip(".") in rules.not_name_words or not _NAME_TOKEN.fullmatch(token):
            return None
        names += 1
    if not 2 <= names <= 5:
        return None
    return tokens[0][0], tokens[-1][1]


def _name_mentions(text: str, names: list[str], rules: HeaderRules) -> list[MaskedSpan]:
    """Every other mention of the candidate's names (capitalised or in capitals)."""
    parts: set[str] = set()
    for name in names:
        for token in re.findall(r"[^\W\d_][\w'’-]*", name):
            if len(token) >= 2 and _key(token) not in rules.particles | rules.honorifics and \
                    not re.fullmatch(_MONTHS, token, re.I):
                parts |= {token, token.upper(), token[:1].upper() + token[1:].lower()}
    if not parts:
        return []
    pattern = re.compile(rf"(?<![\w'’])(?:{_alternation(sorted(parts))})(?![\w’]|'(?!s\b))")
    return [_span(m, "name") for m in pattern.finditer(text)]


# -- masking ------------------------------------------------------------------------------------
def _merge(spans: list[MaskedSpan], text: str) -> list[MaskedSpan]:
    """Overlapping spans become one (the first one's kind); names separated only by blanks
    become one span, so a name reads as one word whatever its length."""
    merged: list[MaskedSpan] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.end <= span.start:
            continue
        if merged:
            last = merged[-1]
            gap = text[last.end:span.start]
            joined = last.kind == span.kind == "name" and gap and not gap.strip(" \t")
            if span.start < last.end or joined:
                merged[-1] = MaskedSpan(last.start, max(last.end, span.end), last.kind)
                continue
        merged.append(span)
    return merged


def mask(text: str, spans: list[MaskedSpan] | tuple[MaskedSpan, ...]) -> str:
    """Replace each span by a same-length placeholder: its first character becomes ``X`` if it
    was a capital (so sentence splitting does not change), every other one ``x``; line breaks
    stay."""
    chars = list(text)
    for span in spans:
        first = True
        for i in range(span.start, span.end):
            if text[i] in "\n\r":
                first = True
                continue
            chars[i] = ("X" if text[i].isupper() else "x") if first else "x"
            first = False
    return "".join(chars)


def is_placeholder(token: str) -> bool:
    """Whether a token is a masked span (``Xxxx``/``xxxx``, two characters or more)."""
    return _PLACEHOLDER.fullmatch(token) is not None


def redact(text: str, rules: RedactionRules | None = None, header: bool = True) -> Redaction:
    """Mask the personal data in `text`; see `Redaction`."""
    spans = tuple(find_spans(text, rules, header))
    return Redaction(mask(text, spans), text, spans)


def mask_text(text: str, header: bool = True) -> str:
    """The masked text alone (what the model sees)."""
    return redact(text, header=header).text
