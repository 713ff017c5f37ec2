"""Lower-case lookup lemmatizer: spaCy's English lookup table, applied to `token.lower_`."""

from __future__ import annotations

import numpy
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.lookups import Lookups, load_lookups
from spacy.tokens import Doc
from spacy.util import load_language_data

from rolefit.pipeline.view import LEMMAS_KEY

_TABLE = "lemma_lookup"


class LowerLemmatizer:
    """Sets `token.lemma_` from the lookup table of `spacy-lookups-data`, case-insensitively.

    spaCy's own lookup lemmatizer looks up the token text as written, so "Kept" or "Minutes" at
    the start of a bullet stays unlemmatised; résumé bullets nearly always start with a capital.
    """

    def __init__(self, nlp: Language, name: str = "rolefit_lemmatizer") -> None:
        self.name = name
        self._lookups: Lookups | None = Lookups()
        # word -> lemma: a plain dict as read from spacy-lookups-data (building spaCy's
        # `Table` of 41,582 entries took 0.1 s of the cold start), or the `Table` itself
        self.table: dict | None = None
        self._ids: dict[int, int] = {}  # lower-case string id -> lemma string id
        self._strings = None

    def initialize(self, get_examples=None, *, nlp=None) -> None:
        try:  # the file spaCy's `load_lookups("en", ...)` reads, read directly
            import spacy_lookups_data

            self.table = dict(load_language_data(spacy_lookups_data.en[_TABLE]))
            self._lookups = None
        except (ImportError, AttributeError, KeyError, OSError, ValueError):
            self._lookups = load_lookups("en", [_TABLE])
            self.table = self._lookups.get_table(_TABLE)
        self._ids = {}

    @property
    def lookups(self) -> Lookups:
        """spaCy's `Lookups` holding the table (built when first asked for)."""
        if self._lookups is None:
            self._lookups = Lookups()
            self._lookups.add_table(_TABLE, self.table or {})
        return self._lookups

    def _table(self):
        if self.table is None:
            self.table = self.lookups.get_table(_TABLE) if self.lookups.has_table(_TABLE) else {}
        return self.table

    def lemma(self, word: str) -> str:
        lower = word.lower()
        return self._table().get(lower, lower)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        table, strings = self._table(), doc.vocab.strings
        if strings is not self._strings:  # ids are valid only in the store they were added to
            self._ids, self._strings = {}, strings
        cache = self._ids
        lemmas = []
        for lower in doc.to_array(LOWER).tolist():
            lemma = cache.get(lower)
            if lemma is None:
                text = strings[lower]
                lemma = cache[lower] = strings.add(table.get(text, text))
            lemmas.append(lemma)
        doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64").reshape(-1, 1))
        doc.user_data.pop(LEMMAS_KEY, None)  # lemma strings read before this are stale
        return doc

    def to_bytes(self, *, exclude=()) -> bytes:
        return self.lookups.to_bytes()

    def from_bytes(self, data: bytes, *, exclude=()) -> LowerLemmatizer:
        self._lookups = Lookups().from_bytes(data)
        self.table, self._ids = None, {}
        return self

    def to_disk(self, path, *, exclude=()) -> None:
        self.lookups.to_disk(path)

    def from_disk(self, path, *, exclude=()) -> LowerLemmatizer:
        self._lookups = Lookups().from_disk(path)
        self.table, self._ids = None, {}
        return self


@Language.factory("rolefit_lemmatizer", assigns=["token.lemma"])
def make_lemmatizer(nlp: Language, name: str) -> LowerLemmatizer:
    return LowerLemmatizer(nlp, name)
