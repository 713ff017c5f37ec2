"""One reader per format: bytes → raw text. Readers raise only `rolefit.errors` types."""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from rolefit.errors import (
    DocumentTooLarge,
    EncryptedDocument,
    NoTextLayer,
    UnreadableDocument,
    UnsafeDocument,
)
from rolefit.ingest.decode import decode_text


@dataclass(frozen=True)
class Limits:
    """Work limits for one document; every one is configurable (`rolefit score --max-...`).

    `max_seconds` bounds reading and scoring one document; it is enforced where the work can be
    stopped, in the worker processes of a batch run (`rolefit.batch.run_batch`), and is not
    applied to in-process calls such as `RoleFitModel.score`. `english_only` refuses text that
    is not English (another script, or no common English words) instead of scoring it."""

    max_bytes: int = 20_000_000
    max_pages: int = 50
    max_chars: int = 1_000_000
    max_docx_uncompressed: int = 100_000_000
    max_docx_ratio: float = 200.0
    max_html_depth: int = 500
    max_seconds: float | None = 60.0
    english_only: bool = True


def read_pdf(data: bytes, limits: Limits) -> tuple[str, dict]:
    """Extract the text layer of a PDF with pdfium, page by page."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message or "security" in message:
            raise EncryptedDocument("the PDF is password-protected") from None
        raise UnreadableDocument(f"the PDF is corrupt or truncated ({exc})") from None
    try:
        n_pages = len(pdf)
        if n_pages > limits.max_pages:
            raise DocumentTooLarge(f"the PDF has {n_pages} pages (limit {limits.max_pages})")
        pages: list[str] = []
        total = 0
        for index in range(n_pages):
            page = pdf[index]
            textpage = page.get_textpage()
            text = _page_text(textpage)
            textpage.close()
            page.close()
            pages.append(text.replace("\r\n", "\n").replace("\r", "\n"))
            total += len(text)
            if total > limits.max_chars:
                raise DocumentTooLarge(f"the PDF holds over {limits.max_chars:,} characters")
    except pdfium.PdfiumError as exc:
        raise UnreadableDocument(f"the PDF could not be read ({exc})") from None
    finally:
        pdf.close()
    if n_pages == 0:
        raise UnreadableDocument("the PDF has no pages")
    if not any(p.strip() for p in pages):
        raise NoTextLayer(
            f"the PDF's {n_pages} page(s) have no text layer (a scan or image-only PDF; "
            "run OCR first)"
        )
    return "\f".join(pages), {"pages": n_pages}


def _page_text(textpage, gap: float = 0.03) -> str:
    """The page's text with the spaces that pdfium leaves out restored.

    Many generated PDFs position words without a space character, and pdfium then joins them
    ("ofthe", "CompanyName"). Two characters on the same line whose (loose) boxes stand apart
    by more than `gap` times the line height get a space between them."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count > 0 else ""
    if len(text) != count:
        return textpage.get_text_bounded()
    out: list[str] = []
    previous = None
    rect = pdfium_c.FS_RECTF()  # what `textpage.get_charbox(i, loose=True)` reads, reused
    loose_box, handle = pdfium_c.FPDFText_GetLooseCharBox, textpage.raw
    for index, char in enumerate(text):
        if char.isspace():
            out.append(char)
            previous = None
            continue
        if not loose_box(handle, index, rect):
            raise pdfium.PdfiumError("Failed to get charbox.")
        box = (rect.left, rect.bottom, rect.right, rect.top)
        if previous is not None:
            height = max(box[3] - box[1], previous[3] - previous[1], 1.0)
            same_line = min(box[3], previous[3]) - max(box[1], previous[1]) > 0.3 * height
            if same_line and box[0] - previous[2] > gap * height:
                out.append(" ")
        out.append(char)
        previous = box
    return "".join(out)


def read_docx(data: bytes, limits: Limits) -> tuple[str, dict]:
    """Paragraphs and table rows of a DOCX body, in document order."""
    import docx
    from docx.table import Table

    _check_zip_bomb(data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for broken packages
        raise UnreadableDocument(f"the DOCX is corrupt or not a Word document ({exc})") from None
    lines: list[str] = []
    styles: dict[str | None, str] = {}
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = _unique_cells(cell.text.strip() for cell in row.cells)
                if cells:
                    lines.append(" | ".join(cells))
        else:
            style = _style_name(block, styles)
            text = block.text
            if "list" in style and text.strip():
                text = "• " + text
            lines.append(text)
    return "\n".join(lines), {"paragraphs": len(lines)}


def _style_name(paragraph, names: dict[str | None, str]) -> str:
    """The lower-case name of a paragraph's style. python-docx resolves `paragraph.style` from
    the style id anew each time, scanning every style for the default one (most of the time
    spent reading a DOCX): the name depends on the id alone, so each id is resolved once."""
    element = getattr(paragraph, "_p", None)
    if element is None:  # not the python-docx this was written for: resolve every time
        return (paragraph.style.name or "").lower() if paragraph.style is not None else ""
    style_id = element.style
    if style_id not in names:
        style = paragraph.style
        names[style_id] = (style.name or "").lower() if style is not None else ""
    return names[style_id]


def _unique_cells(cells) -> list[str]:
    """Merged cells repeat their text in python-docx; keep each once."""
    out: list[str] = []
    for cell in cells:
        if cell and (not out or out[-1] != cell):
            out.append(cell)
    return out


# Word never writes a document type declaration; one in any part of a DOCX can only serve an
# external-entity (XXE) or entity-expansion ("billion laughs") attack. Spelled in every encoding
# an XML parser detects on its own.
_DTD_MARKERS = tuple({"<!DOCTYPE".encode(e) for e in (
    "utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp037", "cp500")})


def _check_zip_bomb(data: bytes, limits: Limits) -> None:
    """Refuse a DOCX whose parts unpack too large or too far, or declare a DTD (checked before
    python-docx parses anything; its own parser also leaves entities unresolved)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            uncompressed = sum(info.file_size for info in infos)
            _check_sizes(uncompressed, len(data), limits)
            for info in infos:
                # the declared size bounds what zipfile will unpack, and was checked above
                if _declares_dtd(archive.read(info)):
                    raise UnsafeDocument(
                        f"the DOCX part {info.filename!r} declares an XML DTD, which Word "
                        "documents never hold (a possible external-entity or entity-expansion "
                        "attack); refused")
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise UnreadableDocument(f"the DOCX container is corrupt ({exc})") from None
    except (zlib.error, NotImplementedError, RuntimeError) as exc:
        raise UnreadableDocument(f"the DOCX container cannot be unpacked ({exc})") from None


def _declares_dtd(part: bytes) -> bool:
    return any(marker in part for marker in _DTD_MARKERS)


def _check_sizes(uncompressed: int, size: int, limits: Limits) -> None:
    if uncompressed > limits.max_docx_uncompressed:
        raise DocumentTooLarge(
            f"the DOCX unpacks to {uncompressed:,} bytes (limit {limits.max_docx_uncompressed:,})"
        )
    if size and uncompressed / size > limits.max_docx_ratio:
        raise DocumentTooLarge(
            f"the DOCX compression ratio is {uncompressed / size:.0f}:1 "
            f"(limit {limits.max_docx_ratio:.0f}:1), a likely zip bomb"
        )


_BLOCK_TAGS = ("p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br", "section")


def read_html(data: bytes, limits: Limits) -> tuple[str, dict]:
    """Visible text of an HTML page: scripts and styles dropped, list items as bullets."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_text(data), "html.parser")
    depth = _depth(soup)
    if depth > limits.max_html_depth:
        raise UnreadableDocument(f"the HTML nests elements {depth:,} deep (limit "
                                 f"{limits.max_html_depth:,}); no résumé page does")
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    for item in soup.find_all("li"):
        item.insert(0, "• ")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    return soup.get_text(), {}


def _depth(soup) -> int:
    """How deep elements nest, without recursion (a hostile page nests 100,000 deep)."""
    deepest, stack = 0, [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.contents if hasattr(child, "contents"))
    return deepest


def read_text(data: bytes, limits: Limits) -> tuple[str, dict]:
    """Plain text or Markdown in any common encoding."""
    return decode_text(data), {}
