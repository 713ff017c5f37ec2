"""Ingest: a file, bytes or text → a normalised `Resume`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from rolefit.errors import (
    DocumentTooLarge,
    EmptyDocument,
    IngestError,
    UnreadableDocument,
    UnsupportedType,
)
from rolefit.ingest.language import check_english
from rolefit.ingest.normalize import normalize_text
from rolefit.ingest.readers import Limits, read_docx, read_html, read_pdf, read_text
from rolefit.ingest.sniff import sniff

__all__ = ["Limits", "Resume", "normalize_text", "read_bytes", "read_path", "from_text"]

_READERS = {"pdf": read_pdf, "docx": read_docx, "html": read_html, "text": read_text}


@dataclass(frozen=True)
class Resume:
    """Normalised résumé text and where it came from."""

    text: str
    source: str
    doc_type: str
    sha256: str
    meta: dict = field(default_factory=dict)


def read_path(path: str | Path, limits: Limits | None = None) -> Resume:
    """Read a file from disk; the type is sniffed from its content."""
    limits = limits or Limits()
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(f"cannot open the file ({exc.strerror})", str(path)) from None
    if size > limits.max_bytes:
        raise DocumentTooLarge(f"the file is {size:,} bytes (limit {limits.max_bytes:,})",
                               str(path))
    if path.is_dir():
        raise IngestError("is a folder, not a file", str(path))
    if not path.is_file():
        raise UnsupportedType("is not a regular file (a device, pipe or socket)", str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read the file ({exc.strerror})", str(path)) from None
    return read_bytes(data, str(path), limits)


def read_bytes(data: bytes, source: str = "<bytes>", limits: Limits | None = None) -> Resume:
    """Read a document held in memory."""
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise DocumentTooLarge(f"the document is {len(data):,} bytes (limit {limits.max_bytes:,})",
                               source)
    if not data.strip():
        raise EmptyDocument("the file is empty", source)
    doc_type, description = sniff(data)
    if doc_type is None:
        raise UnsupportedType(f"unsupported content: {description}", source)
    if doc_type == "text" and _is_binary(data):
        raise UnsupportedType("unsupported content: binary data, not text", source)
    try:
        raw, meta = _READERS[doc_type](data, limits)
    except IngestError as exc:
        exc.source = source
        exc.args = (f"{source}: {exc.args[0]}",) if not str(exc).startswith(source) else exc.args
        raise
    except Exception as exc:
        # a reader library failing on hostile input (deep nesting, broken structures) fails
        # this document only
        raise UnreadableDocument(f"the {doc_type} reader failed on this document "
                                 f"({type(exc).__name__}: {exc})", source) from None
    return _finish(raw, source, doc_type, hashlib.sha256(data).hexdigest(), meta, limits)


def from_text(text: str, source: str = "<text>", limits: Limits | None = None) -> Resume:
    """Wrap résumé text already in memory."""
    limits = limits or Limits()
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return _finish(text, source, "text", digest, {}, limits)


def _finish(raw: str, source: str, doc_type: str, digest: str, meta: dict,
            limits: Limits) -> Resume:
    if len(raw) > limits.max_chars:
        raise DocumentTooLarge(
            f"the document holds {len(raw):,} characters (limit {limits.max_chars:,})", source
        )
    text = normalize_text(raw)
    if not text:
        raise EmptyDocument("the document holds no text", source)
    if limits.english_only:
        check_english(text, source)
    return Resume(text=text, source=source, doc_type=doc_type, sha256=digest, meta=meta)


def _is_binary(data: bytes) -> bool:
    """NUL bytes outside UTF-16, or a high share of control bytes, mean binary content."""
    sample = data[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    nuls = sample.count(0)
    if nuls and not (0.3 < nuls / len(sample) < 0.6):
        return True
    if nuls:  # UTF-16 without a BOM has NULs in every other byte
        return False
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls / len(sample) > 0.1
