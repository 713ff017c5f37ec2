"""Job-title lines: a title says what someone was called, not what they did, so no duty
evidence is taken from one (the brief: roles are judged by duties, never by job title)."""

from __future__ import annotations

import re
from functools import lru_cache

from rolefit.taxonomy import load_title_nouns

MAX_TITLE_WORDS = 8
MAX_TITLE_CHARS = 80
# words a title may hold in lower case ("Assistant to the Director of Finance")
_CONNECTORS = frozenset({"of", "to", "the", "and", "for", "at", "in", "&", "a", "an", "on"})
_WORD = re.compile(r"[^\W\d_][\w'’.]*")
_VERB_FORM = re.compile(r"(?:ed|ing)$", re.I)


@lru_cache(maxsize=1)
def _nouns() -> frozenset[str]:
    return frozenset(n.lower() for n in load_title_nouns())


def is_title_line(text: str) -> bool:
    """True for a short line that reads as a job title: every word capitalised (or a connector),
    one of them a title noun, none a past tense or -ing form, no sentence punctuation."""
    text = text.strip().rstrip(".")
    if not text or len(text) > MAX_TITLE_CHARS or any(c in text for c in ".;:!?"):
        return False
    words = _WORD.findall(text)
    if not words or len(words) > MAX_TITLE_WORDS:
        return False
    nouns = _nouns()
    has_noun = False
    for word in words:
        lower = word.lower()
        if lower in _CONNECTORS:
            continue
        if not word[0].isupper() or (_VERB_FORM.search(word) and lower not in nouns):
            return False
        has_noun = has_noun or lower.rstrip("s") in nouns or lower in nouns
    return has_noun
