"""The skills taxonomy and the section-heading vocabulary: data files, validated on load."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rolefit.datafile import line_of, load_validated
from rolefit.errors import TaxonomyError
from rolefit.resources import data_path

DEFAULT_SKILLS = "skills.yaml"

_TERMS = {"type": "array", "items": {"type": "string", "minLength": 2}}
SKILLS_SCHEMA: dict = {
    "type": "object",
    "required": ["schema_version", "name", "skills"],
    "additionalProperties": False,
    "properties": {
        "schema_version": {"const": 1},
        "name": {"type": "string"},
        "skills": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "label", "category", "synonyms"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": r"^skill\.[a-z][a-z0-9_]*$"},
                    "label": {"type": "string"},
                    "category": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                    "synonyms": {**_TERMS, "minItems": 1},
                    "case_sensitive": _TERMS,
                },
            },
        },
    },
}

SECTIONS_SCHEMA: dict = {
    "type": "object",
    "required": ["schema_version", "sections"],
    "properties": {
        "schema_version": {"const": 1},
        "sections": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        },
        "title_nouns": {"type": "array", "items": {"type": "string"}},
    },
}


@dataclass(frozen=True)
class Skill:
    id: str
    label: str
    category: str
    synonyms: tuple[str, ...]
    case_sensitive: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    name: str
    skills: tuple[Skill, ...]
    path: str
    sha256: str

    def get(self, skill_id: str) -> Skill:
        for skill in self.skills:
            if skill.id == skill_id:
                return skill
        raise KeyError(skill_id)


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load and validate a skills taxonomy (default: the shipped one)."""
    path = Path(path) if path else data_path("skills", DEFAULT_SKILLS)
    data = load_validated(path, SKILLS_SCHEMA, TaxonomyError, "id")
    seen: set[str] = set()
    skills = []
    for index, raw in enumerate(data["skills"]):
        if raw["id"] in seen:
            raise TaxonomyError(str(path), "duplicate skill id", raw["id"], "id",
                                line=line_of(path, ["skills", index, "id"]))
        seen.add(raw["id"])
        skills.append(
            Skill(raw["id"], raw["label"], raw["category"], tuple(raw["synonyms"]),
                  tuple(raw.get("case_sensitive", ())))
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Taxonomy(data["name"], tuple(skills), str(path), digest)


def _sections_file(path: str | Path | None) -> dict:
    """sections.yaml (or the file at `path`), validated."""
    path = Path(path) if path else data_path("sections.yaml")
    return load_validated(path, SECTIONS_SCHEMA, TaxonomyError, "id")


def load_sections(path: str | Path | None = None) -> dict[str, list[str]]:
    """Heading vocabulary: section label → heading words."""
    return _sections_file(path)["sections"]


def load_title_nouns(path: str | Path | None = None) -> list[str]:
    """Nouns that make a short Title Case line a job title (`title_nouns` of sections.yaml)."""
    return _sections_file(path).get("title_nouns", [])
