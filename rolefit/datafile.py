"""Load a YAML data file and validate it against a JSON Schema, with precise errors."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import yaml

from rolefit.errors import DataFileError


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
        where = f" at line {mark.line + 1}" if mark else ""
        raise error(str(path), f"not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    validator = jsonschema.Draft202012Validator(schema)
    problems = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if problems:
        problem = problems[0]
        item, field = _locate(data, list(problem.absolute_path), item_key)
        raise error(str(path), problem.message, item=item, field=field)
    return data


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
