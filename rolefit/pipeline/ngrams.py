"""Sentence n-gram features for the duty classifier, in numpy alone (no scipy or scikit-learn
at scoring time, which keeps them out of the cold start).

A sparse matrix is held as `Rows` (CSR arrays). Every operation repeats the arithmetic of the
scikit-learn and scipy calls it stands for, in the same order: `NgramCounter` gives the counts
of `CountVectorizer(vocabulary=...)`, `tfidf` those of `TfidfTransformer(sublinear_tf=True)`,
`l2_normalise` those of `sklearn.preprocessing.normalize` (its compiled loop sums each row's
squares one entry after another), `hstack` those of `scipy.sparse.hstack`, and `dot` those of
a CSR matrix times a dense one (each row's products added in column order), so the weights
and the probabilities come out the same to the bit (`tests/test_fast_scoring.py`)."""

from __future__ import annotations

import itertools
import re
from array import array
from dataclasses import dataclass

import numpy as np

WORD_TOKEN = r"(?u)\b\w[\w'-]*\b"
_WHITE_SPACES = re.compile(r"\s\s+")
# words whose char n-gram columns are cached (packed, about 150 bytes each) before the cache
# starts afresh: a bound on memory however many distinct words a batch holds
_CACHE_WORDS = 100_000


@dataclass
class Rows:
    """A sparse matrix in CSR form: row i's entries are `values[indptr[i]:indptr[i + 1]]` in
    the columns `columns[...]`, sorted within the row."""

    values: np.ndarray
    columns: np.ndarray
    indptr: np.ndarray
    n_columns: int

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    def to_dense(self) -> np.ndarray:
        dense = np.zeros((self.n_rows, self.n_columns))
        rows = np.repeat(np.arange(self.n_rows), np.diff(self.indptr))
        dense[rows, self.columns] = self.values
        return dense


class NgramCounter:
    """The count matrix of `CountVectorizer(vocabulary=...)` for our two analyzers: word
    1-2-grams over `WORD_TOKEN` tokens, or `char_wb` n-grams, whose columns for each word depend
    on that word alone and are cached (a résumé corpus repeats its words)."""

    def __init__(self, vocabulary: dict[str, int], analyzer: str,
                 ngram_range: tuple[int, int]) -> None:
        self.vocabulary = vocabulary
        self.analyzer = analyzer
        self.ngram_range = ngram_range
        self._token = re.compile(WORD_TOKEN)
        self._word_columns: dict[str, array] = {}

    def transform(self, documents: list[str]) -> Rows:
        columns_of = self._char_columns if self.analyzer == "char_wb" else self._word_doc
        columns = [columns_of(document) for document in documents]
        lengths = np.fromiter((len(c) for c in columns), dtype=np.int64, count=len(columns))
        flat = np.fromiter(itertools.chain.from_iterable(columns), dtype=np.int64,
                           count=int(lengths.sum()))
        rows = np.repeat(np.arange(len(documents), dtype=np.int64), lengths)
        width = max(len(self.vocabulary), 1)
        # one key per (row, column): unique sorts them by row, then column, and counts them
        keys, counts = np.unique(rows * width + flat, return_counts=True)
        indptr = np.searchsorted(keys // width, np.arange(len(documents) + 1))
        return Rows(counts.astype(np.int64), (keys % width).astype(np.int64),
                    indptr.astype(np.int64), len(self.vocabulary))

    def _word_doc(self, document: str) -> list[int]:
        vocabulary = self.vocabulary
        tokens = self._token.findall(document)
        grams = list(tokens)
        low, high = self.ngram_range
        for n in range(max(low, 2), min(high + 1, len(tokens) + 1)):
            grams += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
        if low > 1:
            grams = grams[len(tokens):]
        return [vocabulary[g] for g in grams if g in vocabulary]

    def _char_columns(self, document: str) -> list[int]:
        cache = self._word_columns
        out: list[int] = []
        for word in _WHITE_SPACES.sub(" ", document).split():
            columns = cache.get(word)
            if columns is None:
                if len(cache) >= _CACHE_WORDS:
                    cache.clear()
                columns = cache[word] = array("i", self._char_word(word))
            out += columns
        return out

    def _char_word(self, word: str) -> list[int]:
        """Columns of one word's n-grams, padded with a space each side; a word shorter than
        n gives one (short) n-gram, as scikit-learn's `char_wb` analyzer does."""
        padded = f" {word} "
        grams = []
        for n in range(self.ngram_range[0], self.ngram_range[1] + 1):
            grams += [padded[i:i + n] for i in range(max(1, len(padded) - n + 1))]
            if len(padded) <= n:
                break
        vocabulary = self.vocabulary
        return [vocabulary[g] for g in grams if g in vocabulary]


def tfidf(counts: Rows, idf: np.ndarray) -> Rows:
    """Sublinear TF-IDF weights, each row scaled to unit length."""
    values = counts.values.astype(np.float64)
    np.log(values, values)
    values += 1.0
    values *= idf[counts.columns]
    return l2_normalise(Rows(values, counts.columns, counts.indptr, counts.n_columns))


def hstack(left: Rows, right: Rows) -> Rows:
    """The two matrices side by side: each row's left entries, then its right ones."""
    left_lengths, right_lengths = np.diff(left.indptr), np.diff(right.indptr)
    indptr = np.concatenate([[0], np.cumsum(left_lengths + right_lengths)])
    from_left = np.repeat(indptr[:-1], left_lengths) + _positions(left.indptr)
    from_right = np.repeat(indptr[:-1] + left_lengths, right_lengths) + _positions(right.indptr)
    values = np.empty(indptr[-1])
    columns = np.empty(indptr[-1], dtype=np.int64)
    values[from_left], values[from_right] = left.values, right.values
    columns[from_left], columns[from_right] = left.columns, right.columns + left.n_columns
    return Rows(values, columns, indptr.astype(np.int64), left.n_columns + right.n_columns)


def l2_normalise(rows: Rows) -> Rows:
    """Each row divided by its Euclidean length (rows of zeros stay as they are)."""
    norms = np.sqrt(_row_sums(rows, lambda values, _columns: values * values))
    norms[norms == 0.0] = 1.0
    values = rows.values / np.repeat(norms, np.diff(rows.indptr))
    return Rows(values, rows.columns, rows.indptr, rows.n_columns)


def dot(rows: Rows, dense: np.ndarray) -> np.ndarray:
    """`rows @ dense`, each output row summed over the row's entries in order."""
    def terms(values: np.ndarray, columns: np.ndarray) -> np.ndarray:
        products = np.take(dense, columns, axis=0)
        products *= values[:, None]
        return products

    return _row_sums(rows, terms, dense.shape[1:])


def _positions(indptr: np.ndarray) -> np.ndarray:
    """Each entry's position within its row."""
    lengths = np.diff(indptr)
    return np.arange(int(indptr[-1])) - np.repeat(indptr[:-1], lengths)


_BLOCK = 1 << 18  # elements of the zero-padded (position, row) block summed at once


def _row_sums(rows: Rows, terms, shape: tuple = ()) -> np.ndarray:
    """Per row, the sum of `terms(values, columns)` over its entries added one after another,
    as a compiled loop over the row (scipy's) adds them. Rows of similar length are laid into a
    zero-padded block, position by position, and summed with `np.cumsum` along the positions:
    an accumulation is always sequential (a plain `sum` may add pairwise), and adding the
    padding's zeros changes nothing."""
    lengths = np.diff(rows.indptr)
    out = np.zeros((len(lengths), *shape))
    width = int(np.prod(shape, dtype=np.int64)) if shape else 1
    order = np.argsort(lengths, kind="stable")
    order = order[lengths[order] > 0]
    start = 0
    while start < len(order):
        stop = start + 1
        while stop < len(order) and (stop + 1 - start) * int(lengths[order[stop]]) * width \
                <= _BLOCK:
            stop += 1
        group = order[start:stop]
        longest = int(lengths[group[-1]])
        counts = lengths[group]
        first = np.repeat(np.cumsum(counts) - counts, counts)
        position = np.arange(int(counts.sum())) - first
        entries = np.repeat(rows.indptr[group], counts) + position
        block = np.zeros((longest, len(group), *shape))
        block[position, np.repeat(np.arange(len(group)), counts)] = terms(
            np.take(rows.values, entries), np.take(rows.columns, entries))
        out[group] = np.cumsum(block, axis=0)[-1]
        start = stop
    return out
