"""Criteria files: the roles and the criteria (duties, knowledge, decision, latent) with cues."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rolefit.datafile import line_of, load_validated
from rolefit.errors import CriteriaError
from rolefit.resources import data_path

DEFAULT_CRITERIA = "assistant_secretary.yaml"

_WORDS = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
CRITERIA_SCHEMA: dict = {
    "type": "object",
    "required": ["schema_version", "name", "roles", "criteria"],
    "additionalProperties": False,
    "properties": {
        "schema_version": {"const": 1},
        "name": {"type": "string", "minLength": 1},
        "source": {"type": "string"},
        "roles": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "label"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                    "label": {"type": "string"},
                    "description": {"type": "string"},
                },
            },
        },
        "criteria": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "role", "kind", "description", "cues"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[A-Z][A-Za-z]*[0-9]+$"},
                    "role": {"type": "string"},
                    "kind": {"enum": ["duty", "knowledge", "decision", "latent"]},
                    "title": {"type": "string"},
                    "description": {"type": "string", "minLength": 1},
                    "exclude": {"type": "array", "items": {"type": "string"}},
                    "cues": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["id"],
                            "additionalProperties": False,
                            "properties": {
                                "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                                "verbs": _WORDS,
                                "objects": _WORDS,
                                "gap": {"type": "integer", "minimum": 0, "maximum": 12},
                                "phrases": _WORDS,
                            },
                            "oneOf": [
                                {"required": ["verbs", "objects"],
                                 "not": {"required": ["phrases"]}},
                                {"required": ["phrases"], "not": {"required": ["verbs"]}},
                            ],
                        },
                    },
                },
            },
        },
    },
}


@dataclass(frozen=True)
class Cue:
    """One rule: an action word near an object word, or fixed phrases."""

    id: str
    verbs: tuple[str, ...] = ()
    objects: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    gap: int = 5


@dataclass(frozen=True)
class Criterion:
    """One criterion of a role, with the cues that evidence it."""

    id: str
    role: str
    kind: str
    description: str
    title: str
    cues: tuple[Cue, ...]
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Role:
    id: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class CriteriaSet:
    """A validated criteria file."""

    name: str
    roles: tuple[Role, ...]
    criteria: tuple[Criterion, ...]
    path: str
    sha256: str

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.criteria]

    @property
    def role_ids(self) -> list[str]:
        return [r.id for r in self.roles]

    def get(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def for_role(self, role: str) -> list[Criterion]:
        return [c for c in self.criteria if c.role == role]


def load_criteria(path: str | Path | None = None) -> CriteriaSet:
    """Load and validate a criteria file (default: the shipped assistant/secretary criteria).

    A file already loaded is not parsed again while its size and modification time stay the
    same (building the pipeline asks for it several times)."""
    path = Path(path) if path else data_path("criteria", DEFAULT_CRITERIA)
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None
    return _load_criteria(path, stamp)


@lru_cache(maxsize=16)
def _load_criteria(path: Path, stamp: tuple[int, int] | None) -> CriteriaSet:
    data = load_validated(path, CRITERIA_SCHEMA, CriteriaError, "id")
    roles = tuple(Role(r["id"], r["label"], r.get("description", "")) for r in data["roles"])
    role_ids = {r.id for r in roles}
    seen: set[str] = set()
    criteria = []
    for index, raw in enumerate(data["criteria"]):
        where = ["criteria", index]
        if raw["id"] in seen:
            raise CriteriaError(str(path), "duplicate criterion id", raw["id"], "id",
                                line=line_of(path, [*where, "id"]))
        seen.add(raw["id"])
        if raw["role"] not in role_ids:
            raise CriteriaError(
                str(path), f"role {raw['role']!r} is not one of {sorted(role_ids)}",
                raw["id"], "role", line=line_of(path, [*where, "role"]),
            )
        cue_ids = [cue["id"] for cue in raw["cues"]]
        if len(set(cue_ids)) != len(cue_ids):
            raise CriteriaError(str(path), "duplicate cue id", raw["id"], "cues",
                                line=line_of(path, [*where, "cues"]))
        cues = tuple(
            Cue(
                id=cue["id"],
                verbs=tuple(cue.get("verbs", ())),
                objects=tuple(cue.get("objects", ())),
                phrases=tuple(cue.get("phrases", ())),
                gap=cue.get("gap", 5),
            )
            for cue in raw["cues"]
        )
        criteria.append(
            Criterion(
                id=raw["id"],
                role=raw["role"],
                kind=raw["kind"],
                description=" ".join(raw["description"].split()),
                title=raw.get("title", raw["id"]),
                cues=cues,
                exclude=tuple(raw.get("exclude", ())),
            )
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return CriteriaSet(data["name"], roles, tuple(criteria), str(path), digest)
