"""Load a YAML data file and validate it against a JSON Schema, with precise errors.

The shipped data files are validated when they are written (`python scripts/validate_data.py`
records the digest of each file's content with its schema in `data/validated.json`; a test
checks the record is current), so loading one of them skips the validation and the import of
jsonschema, which are a tenth of rolefit's cold start. Any other content is validated."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import yaml

from rolefit.errors import DataFileError
from rolefit.resources import data_path

VALIDATED = "validated.json"
# the shipped files read through `load_validated`, with the schema each is read with
SHIPPED = (("criteria/assistant_secretary.yaml", "rolefit.criteria", "CRITERIA_SCHEMA"),
           ("knowledge.yaml", "rolefit.knowledge_data", "KNOWLEDGE_SCHEMA"),
           ("language.yaml", "rolefit.ingest.language", "_SCHEMA"),
           ("redaction.yaml", "rolefit.redact", "REDACTION_SCHEMA"),
           ("skills/skills.yaml", "rolefit.taxonomy", "SKILLS_SCHEMA"),
           ("sections.yaml", "rolefit.taxonomy", "SECTIONS_SCHEMA"))


def content_digest(raw: str, schema: dict) -> str:
    """SHA-256 of a schema and a file's text: what a validation result depends on."""
    canonical = json.dumps(schema, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{canonical}\0{raw}".encode()).hexdigest()


@lru_cache(maxsize=1)
def validated_digests() -> frozenset[str]:
    """Digests of the contents validated when the shipped data files were written."""
    try:
        record = json.loads(data_path(VALIDATED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    return frozenset(record.get("sha256", []))


def load_validated(path: Path, schema: dict, error: type[DataFileError], item_key: str) -> dict:
    """Parse `path` and validate it; errors name the file, line, item and field."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise error(str(path), f"cannot read the file ({exc.strerror})") from None
    try:
        data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise error(str(path), f"not valid YAML: {getattr(exc, 'problem', exc)}",
                    line=mark.line + 1 if mark else None) from None
    if content_digest(raw, schema) in validated_digests():
        return data
    validate(data, raw, path, schema, error, item_key)
    return data


def validate(data: object, raw: str, path: Path, schema: dict, error: type[DataFileError],
             item_key: str) -> None:
    """Raise `error` for the first place where `data` breaks `schema`."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    problems = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if problems:
        problem = problems[0]
        item, field = _locate(data, list(problem.absolute_path), item_key)
        raise error(str(path), problem.message, item=item, field=field,
                    line=line_in(raw, list(problem.absolute_path)))


def line_of(path: Path, json_path: list) -> int | None:
    """The 1-based line where the value at `json_path` (keys and list indexes) starts in a
    YAML file, or None when it cannot be found."""
    try:
        return line_in(path.read_text(encoding="utf-8"), json_path)
    except OSError:
        return None


def line_in(raw: str, json_path: list) -> int | None:
    """The 1-based line of the node at `json_path` in YAML text (the deepest node found)."""
    try:
        node = yaml.compose(raw, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line = node.start_mark.line + 1
    for step in json_path:
        child = _child(node, step)
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def _child(node: yaml.Node, step: object) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(step):
                return value
    elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and \
            0 <= step < len(node.value):
        return node.value[step]
    return None


def _locate(data: object, path: list, item_key: str) -> tuple[str | None, str | None]:
    """Turn a JSON path such as ['criteria', 3, 'cues'] into (item id, field name)."""
    item = None
    node = data
    field_parts: list[str] = []
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and item is None and item_key in node:
            item = str(node[item_key])
            field_parts = []
            continue
        field_parts.append(str(step))
    return item, ".".join(field_parts) or None


def shipped_digests() -> list[str]:
    """Validate every shipped data file against its schema (raising on the first problem) and
    return the digests of their contents."""
    import importlib

    digests = []
    for name, module, attribute in SHIPPED:
        path = data_path(*name.split("/"))
        schema = getattr(importlib.import_module(module), attribute)
        raw = path.read_text(encoding="utf-8")
        data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        validate(data, raw, path, schema, DataFileError, "id")
        digests.append(content_digest(raw, schema))
    return sorted(digests)

