"""The knowledge vocabulary (degree levels, fields, certifications, languages): a data file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rolefit.datafile import load_validated
from rolefit.errors import TaxonomyError
from rolefit.resources import data_path

_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}
_ENTRY = {
    "type": "object",
    "required": ["words"],
    "properties": {"words": _STRINGS, "abbreviations": _STRINGS,
                   "specialised": {"type": "boolean"}},
}
KNOWLEDGE_SCHEMA: dict = {
    "type": "object",
    "required": ["schema_version", "degree_levels", "fields", "certifications", "languages"],
    "properties": {
        "schema_version": {"const": 1},
        "degree_levels": {"type": "array", "items": {
            **_ENTRY, "required": ["level", "rank", "words"],
            "properties": {**_ENTRY["properties"], "level": {"type": "string"},
                           "rank": {"type": "integer"}}}},
        "fields": {"type": "array", "items": {
            **_ENTRY, "required": ["field", "words"],
            "properties": {**_ENTRY["properties"], "field": {"type": "string"}}}},
        "certifications": {"type": "array", "items": {
            **_ENTRY, "required": ["id", "label", "words"],
            "properties": {**_ENTRY["properties"], "id": {"type": "string", "pattern": r"^cert\."},
                           "label": {"type": "string"}}}},
        "languages": _STRINGS,
        "language_context": _STRINGS,
    },
}


@dataclass(frozen=True)
class Term:
    """A named entry (degree level, field or certification) and the words that signal it."""

    name: str
    words: tuple[str, ...]
    abbreviations: tuple[str, ...] = ()
    specialised: bool = False
    rank: int = 0
    label: str = ""


@dataclass(frozen=True)
class KnowledgeVocabulary:
    degree_levels: tuple[Term, ...]
    fields: tuple[Term, ...]
    certifications: tuple[Term, ...]
    languages: tuple[str, ...]
    language_context: tuple[str, ...]


def load_knowledge(path: str | Path | None = None) -> KnowledgeVocabulary:
    path = Path(path) if path else data_path("knowledge.yaml")
    data = load_validated(path, KNOWLEDGE_SCHEMA, TaxonomyError, "id")

    def terms(items: list[dict], key: str) -> tuple[Term, ...]:
        return tuple(
            Term(name=item[key], words=tuple(item["words"]),
                 abbreviations=tuple(item.get("abbreviations", ())),
                 specialised=bool(item.get("specialised", False)), rank=item.get("rank", 0),
                 label=item.get("label", item[key]))
            for item in items
        )

    return KnowledgeVocabulary(
        degree_levels=terms(data["degree_levels"], "level"),
        fields=terms(data["fields"], "field"),
        certifications=terms(data["certifications"], "id"),
        languages=tuple(data["languages"]),
        language_context=tuple(data.get("language_context", ())),
    )
