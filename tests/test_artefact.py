"""`rolefit.artefact`: the skops-free reader builds the shipped model exactly as skops does, and
hands anything outside its list of types back to skops."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from rolefit.artefact import read_skops
from rolefit.resources import models_path
from rolefit.scoring import SKOPS_FILE, TRUSTED_TYPES

skops_io = pytest.importorskip("skops.io")


def _same(a, b, where: str = "model") -> None:
    """Deep equality of two object trees: types, attributes, arrays (dtype and values)."""
    assert type(a) is type(b), where
    if isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape, where
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), where
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            _same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    elif hasattr(a, "__dict__") and not isinstance(a, type):
        _same(vars(a), vars(b), where)
    else:
        assert a == b or (a != a and b != b), where


def test_shipped_artefact_is_built_as_skops_builds_it() -> None:
    artefact = models_path() / SKOPS_FILE
    ours = read_skops(artefact)
    theirs = skops_io.load(artefact, trusted=TRUSTED_TYPES)
    assert ours is not None
    _same(ours, theirs)
    features = np.random.default_rng(0).normal(size=(5, len(ours.feature_names_in_)))
    assert np.array_equal(ours.fits_from_features(features), theirs.fits_from_features(features))


def test_shared_objects_stay_shared(tmp_path: Path) -> None:
    shared = np.arange(4.0)
    path = tmp_path / "x.skops"
    skops_io.dump({"a": shared, "b": [shared, (1, "two", None)], 3: np.float64(2.5)}, path)
    built = read_skops(path)
    assert built["a"] is built["b"][0] and built["b"][1] == (1, "two", None)
    assert built[3] == 2.5 and type(built[3]) is np.float64


@pytest.mark.parametrize("value", [Fraction(1, 3), {1, 2}, np.dtype("float64")])
def test_types_outside_the_list_go_back_to_skops(tmp_path: Path, value) -> None:
    path = tmp_path / "x.skops"
    skops_io.dump({"model": value}, path)
    assert read_skops(path) is None
