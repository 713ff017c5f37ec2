"""Is this text English? Script shares and function-word counts, no language model.

The vocabulary and thresholds are a data file (`data/language.yaml`)."""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rolefit.datafile import load_validated
from rolefit.errors import TaxonomyError, UnsupportedLanguage
from rolefit.resources import data_path

_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE = 200_000  # characters judged: a résumé's language shows in its first pages
_WORDS = {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": r"^[^\W\d_]+$"}}
_SCHEMA = {
    "type": "object",
    "required": ["schema_version", "min_letters", "min_latin_share", "min_words",
                 "min_other_share", "max_english_ratio", "english_function_words",
                 "other_function_words"],
    "properties": {
        "schema_version": {"const": 1},
        "min_letters": {"type": "integer", "minimum": 1},
        "min_latin_share": {"type": "number", "minimum": 0, "maximum": 1},
        "min_words": {"type": "integer", "minimum": 1},
        "min_other_share": {"type": "number", "minimum": 0, "maximum": 1},
        "max_english_ratio": {"type": "number", "minimum": 0},
        "english_function_words": _WORDS,
        "other_function_words": _WORDS,
    },
}


@dataclass(frozen=True)
class LanguageRules:
    min_letters: int
    min_latin_share: float
    min_words: int
    min_other_share: float
    max_english_ratio: float
    english_words: frozenset[str]
    other_words: frozenset[str]


@dataclass(frozen=True)
class LanguageReport:
    """What the check measured: letters and their Latin share, words and their English share."""

    letters: int
    latin_share: float
    main_script: str
    words: int
    english_share: float
    other_share: float


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> LanguageRules:
    file = Path(path) if path else data_path("language.yaml")
    data = load_validated(file, _SCHEMA, TaxonomyError, "id")
    english, other = set(data["english_function_words"]), set(data["other_function_words"])
    if english & other:
        raise TaxonomyError(str(file), f"words in both lists: {sorted(english & other)}",
                            field="other_function_words")
    return LanguageRules(data["min_letters"], data["min_latin_share"], data["min_words"],
                         data["min_other_share"], data["max_english_ratio"],
                         frozenset(english), frozenset(other))


_DROP_ASCII_LETTERS = dict.fromkeys(map(ord, string.ascii_letters))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def measure(text: str, rules: LanguageRules | None = None) -> LanguageReport:
    rules = rules or load_rules()
    sample = text[:_SAMPLE]
    scripts: Counter[str] = Counter()
    ascii_letters = len(sample) - len(sample.translate(_DROP_ASCII_LETTERS))
    if ascii_letters:  # every ASCII letter is Latin; only the rest need a closer look
        scripts["Latin"] = ascii_letters
    for char in _NON_ASCII.findall(sample):
        if char.isalpha():
            scripts[_script(char)] += 1
    letters = sum(scripts.values())
    latin = scripts.get("Latin", 0)
    others = [(n, s) for s, n in scripts.items() if s != "Latin"]
    main = "Latin" if latin * 2 >= letters or not others else max(others)[1]
    words = _WORD.findall(sample.lower())
    english = sum(1 for w in words if w in rules.english_words)
    other = sum(1 for w in words if w in rules.other_words)
    n = len(words) or 1
    return LanguageReport(letters, latin / letters if letters else 1.0, main, len(words),
                          english / n, other / n)


def check_english(text: str, source: str | None = None,
                  rules: LanguageRules | None = None) -> LanguageReport:
    """Raise `UnsupportedLanguage` unless the text reads as English (short texts pass)."""
    rules = rules or load_rules()
    report = measure(text, rules)
    if report.letters >= rules.min_letters and report.latin_share < rules.min_latin_share:
        raise UnsupportedLanguage(
            f"the text is written mostly in {report.main_script} script "
            f"({1 - report.latin_share:.0%} of its letters); rolefit reads English résumés only",
            source)
    if (report.words >= rules.min_words and report.other_share >= rules.min_other_share
            and report.english_share <= rules.max_english_ratio * report.other_share):
        raise UnsupportedLanguage(
            f"the text does not read as English: {report.other_share:.0%} of its "
            f"{report.words} words are function words of another language ('de', 'und', "
            f"'et', ...) against {report.english_share:.0%} English ones ('the', 'and', "
            "'of', ...); rolefit reads English résumés only", source)
    return report


def _script(char: str) -> str:
    code = ord(char)
    if code < 0x250 or 0x1E00 <= code < 0x1F00 or 0xFF21 <= code <= 0xFF5A:
        return "Latin"
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0] if name else "unknown"
    return {"CJK": "Chinese/Japanese (CJK)", "HIRAGANA": "Japanese", "KATAKANA": "Japanese",
            "HANGUL": "Korean"}.get(first, first.title())
