"""PDF and DOCX text extraction alone: our readers beside the alternatives that are installed
(pypdf and pdfminer.six are measured only when present; they are not rolefit dependencies).

Speed is files per second on the corpus files; correctness is word recall, the share of the
source text's words (lower-case, letters and digits) found in order in the extracted text."""

from __future__ import annotations

import difflib
import io
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from corpus import Spec

_WORD = re.compile(r"[a-z0-9]+")
BUDGET_S = 30.0  # stop a slow reader after this long and report the rate it reached


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def recall(source: str, extracted: str) -> float:
    a, b = words(source), words(extracted)
    if not a:
        return 1.0
    blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks) / len(a)


def pdf_rolefit(data: bytes) -> str:
    from rolefit.ingest.readers import Limits, read_pdf

    return read_pdf(data, Limits())[0]


def pdf_pdfium_plain(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\f".join(pages)
    finally:
        pdf.close()


def pdf_pypdf(data: bytes) -> str:
    from pypdf import PdfReader

    return "\f".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def pdf_pdfminer(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


def docx_rolefit(data: bytes) -> str:
    from rolefit.ingest.readers import Limits, read_docx

    return read_docx(data, Limits())[0]


def docx_python_docx(data: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_xml(data: bytes) -> str:
    """The body's paragraphs straight from word/document.xml (defusedxml), as docx2txt does."""
    from defusedxml import ElementTree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    return "\n".join("".join(t.text or "" for t in p.iter(f"{_W}t"))
                     for p in root.iter(f"{_W}p"))


def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


READERS: list[tuple[str, str, Callable[[bytes], str], str]] = [
    ("pdf", "rolefit: pypdfium2 + word spaces restored", pdf_rolefit, "pypdfium2"),
    ("pdf", "pypdfium2 get_text_range (plain)", pdf_pdfium_plain, "pypdfium2"),
    ("pdf", "pypdf extract_text", pdf_pypdf, "pypdf"),
    ("pdf", "pdfminer.six extract_text", pdf_pdfminer, "pdfminer"),
    ("docx", "rolefit read_docx", docx_rolefit, "docx"),
    ("docx", "python-docx paragraphs", docx_python_docx, "docx"),
    ("docx", "word/document.xml with defusedxml", docx_xml, "defusedxml"),
]


def compare(folder: Path, specs: list[Spec]) -> list[dict]:
    """Each installed reader over the corpus files of its format."""
    rows = []
    for fmt, label, reader, module in READERS:
        if not _installed(module):
            print(f"  {label}: not installed, skipped")
            continue
        files = [(folder / fmt / f"{s.name}.{fmt}", s.text) for s in specs if s.fmt == fmt]
        blobs = [(path.read_bytes(), text) for path, text in files]
        if not blobs:
            continue
        reader(blobs[0][0])  # imports and first-call set-up are not per-file costs
        outputs, started = [], time.perf_counter()
        for data, _ in blobs:
            outputs.append(reader(data))
            if time.perf_counter() - started > BUDGET_S:
                break
        elapsed = time.perf_counter() - started
        scores = [recall(text, out) for (_, text), out in zip(blobs, outputs, strict=False)]
        row = {"format": fmt, "reader": label, "files": len(outputs),
               "rate": len(outputs) / elapsed, "recall": sum(scores) / len(scores)}
        print(f"  {label}: {row['rate']:.0f} files/s over {row['files']} files, "
              f"word recall {row['recall']:.3f}", flush=True)
        rows.append(row)
    return rows
