"""Job-header lines: a job title says what someone was called and an employer's line where
they worked, not what they did, so no duty evidence is taken from either (the brief: roles are
judged by duties, never by job title)."""

from __future__ import annotations

import re
from functools import lru_cache

from rolefit.taxonomy import load_title_nouns

MAX_TITLE_WORDS = 8
MAX_TITLE_CHARS = 80
# words a title may hold in lower case ("Assistant to the Director of Finance")
_CONNECTORS = frozenset({"of", "to", "the", "and", "for", "at", "in", "&", "a", "an", "on"})
_WORD = re.compile(r"[^\W\d_][\w'’.]*")
_VERB_FORM = re.compile(r"ed$", re.I)
# an employer's line ends with its place: "Maison Caillou New Orleans , LA", "Company Name City ,
# State"
_PLACE_END = re.compile(r",\s*(?:[A-Z]{2}|State)\s*$")
# past participles that open titles ("Certified Nurse Assistant"), not duties
_TITLE_PARTICIPLES = frozenset({"certified", "licensed", "registered", "chartered", "qualified",
                                "accredited", "retired", "seconded", "appointed", "elected"})


@lru_cache(maxsize=1)
def _nouns() -> frozenset[str]:
    return frozenset(n.lower() for n in load_title_nouns())


def is_title_line(text: str) -> bool:
    """True for a short line that reads as a job title: every word capitalised (or a connector),
    one of them a title noun, no sentence punctuation, and not opening with a past tense
    ("Managed Office Supplies" is a duty)."""
    text = text.strip().rstrip(".")
    if not text or len(text) > MAX_TITLE_CHARS or any(c in text for c in ".;:!?"):
        return False
    words = _WORD.findall(text)
    if not words or len(words) > MAX_TITLE_WORDS:
        return False
    nouns = _nouns()
    has_noun = False
    first = words[0].lower()
    if _VERB_FORM.search(first) and first not in _TITLE_PARTICIPLES:
        return False
    for word in words:
        lower = word.lower()
        if lower in _CONNECTORS:
            continue
        if not word[0].isupper():
            return False
        has_noun = has_noun or lower.rstrip("s") in nouns or lower in nouns
    return has_noun


def is_place_line(text: str) -> bool:
    """True for a short line of capitalised words ending in a place (", LA", "City , State"):
    an employer and its town, as job headers give them ("New" in "New Orleans" is no new
    starter)."""
    text = text.strip()
    if len(text) > MAX_TITLE_CHARS or any(c in text for c in ".;:!?"):
        return False
    if not _PLACE_END.search(text):
        return False
    words = _WORD.findall(text)
    return bool(words) and all(w[0].isupper() or w.lower() in _CONNECTORS for w in words)


def is_job_header_line(text: str) -> bool:
    """A job title or an employer's line: never duty evidence."""
    return is_title_line(text) or is_place_line(text)
