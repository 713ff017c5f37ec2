"""Decide what a document is from its bytes, not from its file name."""

from __future__ import annotations

import io
import zipfile
from typing import Literal

DocType = Literal["pdf", "docx", "html", "text"]

_IMAGE_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"II*\x00": "TIFF image",
    b"MM\x00*": "TIFF image",
    b"BM": "BMP image",
}
_ARCHIVE_MAGIC = {
    b"\x1f\x8b": "gzip archive",
    b"Rar!": "RAR archive",
    b"7z\xbc\xaf": "7-Zip archive",
    b"\xd0\xcf\x11\xe0": "legacy Microsoft Office file (.doc/.xls)",
    b"{\\rtf": "RTF document",
}


def sniff(data: bytes) -> tuple[DocType | None, str]:
    """Return (type, description); type is None when rolefit cannot read the content."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf", "PDF document"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    for magic, what in {**_IMAGE_MAGIC, **_ARCHIVE_MAGIC}.items():
        if head.startswith(magic):
            return None, what
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return None, "WebP image"
    if _looks_html(head):
        return "html", "HTML document"
    return "text", "text"


def _sniff_zip(data: bytes) -> tuple[DocType | None, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None, "corrupt ZIP container"
    if "word/document.xml" in names:
        return "docx", "Word document (DOCX)"
    if any(n.startswith("xl/") for n in names):
        return None, "Excel workbook"
    if any(n.startswith("ppt/") for n in names):
        return None, "PowerPoint presentation"
    if "content.xml" in names:
        return None, "OpenDocument file"
    return None, "ZIP archive"


def _looks_html(head: bytes) -> bool:
    for encoding in ("utf-8", "utf-16"):
        try:
            text = head.decode(encoding, errors="ignore").lstrip("\ufeff \t\r\n").lower()
        except LookupError:  # pragma: no cover
            continue
        if text.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text[:2048]:
            return True
        if text.startswith(("<!doctype html", "<html", "<head", "<body")):
            return True
    return False
