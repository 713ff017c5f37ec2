"""Read a rolefit `.skops` artefact without importing skops.

Importing `skops.io` imports every scikit-learn module (to list the estimators it trusts), about
2 s of a 5 s cold start. A rolefit model is made of a handful of types, so this reader builds
the artefact's object tree itself, from the skops format (a zip of `schema.json` and `.npy`
arrays), but only when every node is of a kind and a type listed here; anything else returns
None and `rolefit.scoring.load` falls back to skops, with its audit of untrusted types. Nothing
here builds a type that skops would not also build for a rolefit artefact."""

from __future__ import annotations

import importlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

PROTOCOL = 2
# Classes built with `__new__` and their saved attributes (skops' ObjectNode).
OBJECT_TYPES = frozenset({
    "rolefit.features.ExtractionFeatures",
    "rolefit.model.RoleFitClassifier",
    "rolefit.ordinal.CumulativeLogisticRegression",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.dummy.DummyClassifier",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.model_selection._split.StratifiedKFold",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._data.StandardScaler",
})
_BUILTINS = {"dict": dict, "list": list, "tuple": tuple, "str": str, "int": int,
             "float": float, "bool": bool}
_NUMPY_SCALARS = frozenset({"float64", "float32", "int64", "int32", "bool_"})


class Unsupported(Exception):
    """The artefact holds something this reader does not build: use skops instead."""


@dataclass(frozen=True, eq=False)
class Record:
    """An object of an allowed type, not built: its type's dotted name and its saved state
    (what skops would pass to `__setstate__`), for readers that need only the numbers."""

    type: str
    state: dict


def read_skops(path: Path) -> Any | None:
    """The object saved in a `.skops` file, or None when it holds a node kind or a type outside
    this reader's list (the caller then loads it with skops)."""
    return _read(path, build_objects=True)


def read_skops_records(path: Path) -> Any | None:
    """As `read_skops`, but every object is left as a `Record` and no class is imported (so
    scikit-learn is not imported either); None for anything outside the list."""
    return _read(path, build_objects=False)


def _read(path: Path, build_objects: bool) -> Any | None:
    try:
        with zipfile.ZipFile(path) as archive:
            schema = json.loads(archive.read("schema.json"))
            if schema.get("protocol") != PROTOCOL:
                return None
            return _Builder(archive, build_objects).build(schema)
    except Unsupported:
        return None


class _Builder:
    def __init__(self, archive: zipfile.ZipFile, build_objects: bool = True) -> None:
        self.archive = archive
        self.build_objects = build_objects
        self.memo: dict[int, Any] = {}  # skops saves a shared object once, by its __id__

    def build(self, node: dict) -> Any:
        if not isinstance(node, dict) or "__loader__" not in node:
            raise Unsupported("not a node")
        key = node.get("__id__")
        if key is not None and key in self.memo:
            return self.memo[key]
        value = self._construct(node)
        if key is not None:
            self.memo[key] = value
        return value

    def _construct(self, node: dict) -> Any:
        loader, module, name = node["__loader__"], node["__module__"], node["__class__"]
        content = node.get("content")
        if loader == "JsonNode":
            return json.loads(content)
        if loader == "ListNode" and (module, name) == ("builtins", "list"):
            return [self.build(item) for item in content]
        if loader == "TupleNode" and (module, name) == ("builtins", "tuple"):
            return tuple(self.build(item) for item in content)
        if loader == "DictNode" and (module, name) == ("builtins", "dict"):
            key_types = self.build(node["key_types"])
            return {key_type(key): self.build(value)
                    for key_type, (key, value) in zip(key_types, content.items(), strict=True)}
        if loader == "TypeNode" and module == "builtins" and name in _BUILTINS:
            return _BUILTINS[name]
        if loader == "NdArrayNode" and module == "numpy":
            return self._array(node, name)
        if loader == "ObjectNode" and f"{module}.{name}" in OBJECT_TYPES:
            if not self.build_objects:
                state = self.build(content) if content is not None else {}
                if not isinstance(state, dict):
                    raise Unsupported(f"state of {module}.{name}")
                return Record(f"{module}.{name}", state)
            cls = getattr(importlib.import_module(module), name)
            instance = cls.__new__(cls)
            if content is not None:
                attrs = self.build(content)
                if hasattr(instance, "__setstate__"):
                    instance.__setstate__(attrs)
                else:
                    instance.__dict__.update(attrs)
            return instance
        raise Unsupported(f"{loader} {module}.{name}")

    def _array(self, node: dict, name: str) -> Any:
        if node.get("type") == "numpy" and (name == "ndarray" or name in _NUMPY_SCALARS):
            array = np.load(io.BytesIO(self.archive.read(node["file"])), allow_pickle=False)
            return array if name == "ndarray" else getattr(np, name)(array)
        if node.get("type") == "json" and name == "ndarray":
            items = [self.build(item) for item in node["content"]]
            shape = self.build(node["shape"])
            if len(shape) == 1:
                array = np.empty(len(items), dtype=object)
                for i, item in enumerate(items):
                    array[i] = item
                return array
            return np.array(items, dtype=object)
        raise Unsupported(f"numpy array {name}")
