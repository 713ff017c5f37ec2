"""Makers of real PDF, DOCX and HTML résumés for tests, demos and the shipped examples.

Needs the `test` extra (fpdf2); python-docx is a core dependency."""

from __future__ import annotations

import html
from pathlib import Path

_PDF_REPLACEMENTS = {"•": "-", "—": "-", "–": "-", "’": "'", "‘": "'", "“": '"', "”": '"',
                     "…": "...", "é": "e", "ł": "l", "ń": "n", "ś": "s", "ó": "o", "ą": "a"}


def _latin1(text: str) -> str:
    for old, new in _PDF_REPLACEMENTS.items():
        text = text.replace(old, new)
    return text.encode("latin-1", "replace").decode("latin-1")


def write_pdf(text: str, path: Path, *, password: str | None = None,
              page_footer: bool = True) -> Path:
    """A real text PDF (Helvetica, A4), one line per line of `text`, with "Page n" footers."""
    from fpdf import FPDF

    class _Pdf(FPDF):
        def footer(self) -> None:
            if page_footer:
                self.set_y(-12)
                self.set_font("Helvetica", size=8)
                self.cell(0, 8, f"Page {self.page_no()}", align="C")

    pdf = _Pdf(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    for line in _latin1(text).split("\n"):
        bold = line.isupper() and len(line) < 60
        pdf.set_font("Helvetica", style="B" if bold else "", size=11 if bold else 10)
        pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
    if password:
        pdf.set_encryption(owner_password=password, user_password=password)
    pdf.output(str(path))
    return path


def write_image_only_pdf(path: Path) -> Path:
    """A PDF whose page holds only drawings: no text layer, as a scan would be."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    for i in range(10):
        pdf.rect(20, 20 + i * 12, 150, 8, style="F")
    pdf.output(str(path))
    return path


def write_docx(text: str, path: Path) -> Path:
    """A real DOCX: short upper-case lines become headings, bullet lines list paragraphs."""
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped[0] in "•-*" and len(stripped) > 2:
            document.add_paragraph(stripped[1:].strip(), style="List Bullet")
        elif stripped.isupper() and len(stripped) < 60:
            document.add_heading(stripped.title(), level=2)
        else:
            document.add_paragraph(stripped)
    document.save(str(path))
    return path


def write_html(text: str, path: Path) -> Path:
    """A simple HTML page; all résumé text is escaped."""
    items, body = [], []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped[:1] in "•-*" and len(stripped) > 2:
            items.append(f"<li>{html.escape(stripped[1:].strip())}</li>")
            continue
        if items:
            body.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if stripped:
            body.append(f"<p>{html.escape(stripped)}</p>")
    if items:
        body.append("<ul>" + "".join(items) + "</ul>")
    page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>CV</title>"
            "<style>p{margin:0}</style><script>var x = 'not text';</script></head><body>"
            + "\n".join(body) + "</body></html>")
    path.write_text(page, encoding="utf-8")
    return path
