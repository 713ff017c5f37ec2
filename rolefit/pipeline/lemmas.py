"""Lower-case lookup lemmatizer: spaCy's English lookup table, applied to `token.lower_`."""

from __future__ import annotations

from spacy.language import Language
from spacy.lookups import Lookups, load_lookups
from spacy.tokens import Doc

_TABLE = "lemma_lookup"


class LowerLemmatizer:
    """Sets `token.lemma_` from the lookup table of `spacy-lookups-data`, case-insensitively.

    spaCy's own lookup lemmatizer looks up the token text as written, so "Kept" or "Minutes" at
    the start of a bullet stays unlemmatised; résumé bullets nearly always start with a capital.
    """

    def __init__(self, nlp: Language, name: str = "rolefit_lemmatizer") -> None:
        self.name = name
        self.lookups = Lookups()

    def initialize(self, get_examples=None, *, nlp=None) -> None:
        self.lookups = load_lookups("en", [_TABLE])

    def lemma(self, word: str) -> str:
        table = self.lookups.get_table(_TABLE)
        lower = word.lower()
        return table.get(lower, lower)

    def __call__(self, doc: Doc) -> Doc:
        table = self.lookups.get_table(_TABLE)
        for token in doc:
            lower = token.lower_
            token.lemma_ = table.get(lower, lower)
        return doc

    def to_bytes(self, *, exclude=()) -> bytes:
        return self.lookups.to_bytes()

    def from_bytes(self, data: bytes, *, exclude=()) -> LowerLemmatizer:
        self.lookups.from_bytes(data)
        return self

    def to_disk(self, path, *, exclude=()) -> None:
        self.lookups.to_disk(path)

    def from_disk(self, path, *, exclude=()) -> LowerLemmatizer:
        self.lookups.from_disk(path)
        return self


@Language.factory("rolefit_lemmatizer", assigns=["token.lemma"])
def make_lemmatizer(nlp: Language, name: str) -> LowerLemmatizer:
    return LowerLemmatizer(nlp, name)
