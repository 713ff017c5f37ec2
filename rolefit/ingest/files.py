"""Expand command-line inputs (files and folders) into the documents to read."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def collect_paths(inputs: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders recursively (hidden files and folders skipped), sorted, each once.

    A missing input is kept in the list so that reading it yields its own error record."""
    seen: set[Path] = set()
    out: list[Path] = []
    for item in inputs:
        path = Path(item)
        found = _walk(path) if path.is_dir() else [path]
        for file in found:
            key = file.resolve() if file.exists() else file
            if key not in seen:
                seen.add(key)
                out.append(file)
    return out


def _walk(folder: Path) -> list[Path]:
    files = [
        p for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]
    return sorted(files)
