"""Ingest: formats sniffed by content, encodings, normalisation, and typed errors."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest

from rolefit import errors
from rolefit.ingest import Limits, from_text, normalize_text, read_bytes, read_path
from rolefit.ingest.files import collect_paths
from rolefit.testing import write_docx, write_html, write_image_only_pdf, write_pdf

RESUME = """JANE ROE
EXPERIENCE
Personal Assistant, Omega Ltd, 2018 - Present
• Managed the director's diary and travel.
• Took minutes at monthly board meetings.
EDUCATION
BA in Law, 2017
"""


def test_pdf_is_read_with_its_text(tmp_path: Path) -> None:
    resume = read_path(write_pdf(RESUME, tmp_path / "cv.pdf"))
    assert resume.doc_type == "pdf"
    assert "Took minutes at monthly board meetings." in resume.text
    assert "Page 1" not in resume.text  # page footers are dropped


def test_multi_page_pdf_drops_page_footers_and_keeps_all_pages(tmp_path: Path) -> None:
    long_text = RESUME + "\n".join(f"• Duty number {i} done well." for i in range(120))
    resume = read_path(write_pdf(long_text, tmp_path / "long.pdf"))
    assert resume.meta["pages"] >= 2
    assert "Duty number 119 done well." in resume.text
    assert "Page 2" not in resume.text


def test_docx_is_read_in_order_with_bullets(tmp_path: Path) -> None:
    resume = read_path(write_docx(RESUME, tmp_path / "cv.docx"))
    assert resume.doc_type == "docx"
    assert resume.text.index("Managed the director") < resume.text.index("BA in Law")
    assert "• Took minutes at monthly board meetings." in resume.text


def test_docx_tables_are_read(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "2019 - 2023"
    table.rows[0].cells[1].text = "Kept the board's minutes"
    path = tmp_path / "table.docx"
    document.save(str(path))
    assert "2019 - 2023 | Kept the board's minutes" in read_path(path).text


def test_html_drops_scripts_and_keeps_list_items(tmp_path: Path) -> None:
    resume = read_path(write_html(RESUME, tmp_path / "cv.html"))
    assert resume.doc_type == "html"
    assert "not text" not in resume.text
    assert "• Managed the director's diary and travel." in resume.text


def test_type_is_sniffed_from_content_not_extension(tmp_path: Path) -> None:
    pdf = write_pdf(RESUME, tmp_path / "cv.pdf")
    misnamed = tmp_path / "really_a_pdf.docx"
    misnamed.write_bytes(pdf.read_bytes())
    resume = read_path(misnamed)
    assert resume.doc_type == "pdf"
    assert "board meetings" in resume.text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1",
                                      "cp1252"])
def test_text_encodings(encoding: str) -> None:
    text = "Résumé of José Müller\n• Organised the CEO’s diary" if encoding != "latin-1" else \
        "Résumé of José Müller\n• Organised the CEO's diary"
    if encoding == "latin-1":
        text = text.replace("•", "-")
    data = text.encode(encoding)
    resume = read_bytes(data, "cv.txt")
    assert "José Müller" in resume.text
    assert "Organised the CEO" in resume.text


def test_utf16_with_bom_is_decoded() -> None:
    data = codecs.BOM_UTF16_LE + "Secretary to the Board".encode("utf-16-le")
    assert read_bytes(data).text == "Secretary to the Board"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", errors.EmptyDocument),
        (b"   \n\t  \n", errors.EmptyDocument),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, errors.UnsupportedType),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 50, errors.UnsupportedType),
        (bytes(range(256)) * 20, errors.UnsupportedType),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nendobj\n", errors.UnreadableDocument),
    ],
    ids=["empty", "whitespace", "png", "jpeg", "binary", "corrupt-pdf"],
)
def test_unreadable_inputs_raise_typed_errors(data: bytes, error: type) -> None:
    with pytest.raises(error) as info:
        read_bytes(data, "bad.file")
    assert "bad.file" in str(info.value)


def test_truncated_pdf_is_an_unreadable_document(tmp_path: Path) -> None:
    data = write_pdf(RESUME, tmp_path / "cv.pdf").read_bytes()
    with pytest.raises(errors.IngestError):
        read_bytes(data[: len(data) // 3], "truncated.pdf")


def test_encrypted_pdf_is_reported_as_encrypted(tmp_path: Path) -> None:
    path = write_pdf(RESUME, tmp_path / "locked.pdf", password="s3cret")
    with pytest.raises(errors.EncryptedDocument, match="password"):
        read_path(path)


def test_image_only_pdf_has_no_text_layer(tmp_path: Path) -> None:
    with pytest.raises(errors.NoTextLayer, match="OCR"):
        read_path(write_image_only_pdf(tmp_path / "scan.pdf"))


def test_zip_that_is_not_docx_is_unsupported() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(errors.UnsupportedType, match="ZIP archive"):
        read_bytes(buffer.getvalue(), "archive.docx")


def test_corrupt_docx_is_unreadable(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<not really xml")
    with pytest.raises(errors.UnreadableDocument):
        read_bytes(buffer.getvalue(), "broken.docx")


def test_size_limit_is_enforced(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    with pytest.raises(errors.DocumentTooLarge):
        read_path(path, Limits(max_bytes=100))


def test_missing_file_is_an_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(errors.IngestError, match="cannot open"):
        read_path(tmp_path / "nope.pdf")


def test_normaliser_repairs_pdf_damage() -> None:
    raw = ("Jane Roe\nPage 1 of 2\n● Co-\nordinated the diary of the\nmanaging director\n"
           "â€¢ Filed invoices â€“ daily\n\uf0b7 Took minutes\n"
           "Skills: Excel • Word • Typing\n\n\n\n"
           "Done\u00a0\u00a0here\x07")
    text = normalize_text(raw)
    assert "Page 1 of 2" not in text
    assert "• Coordinated the diary of the managing director" in text
    assert "• Filed invoices – daily" in text
    assert "• Took minutes" in text
    assert "• Word" in text and "• Typing" in text
    assert "\n\n\n" not in text
    assert "Done here" in text


def test_running_headers_are_kept_once() -> None:
    pages = ["Jane Roe – CV\nSummary one", "Jane Roe – CV\nSummary two", "Jane Roe – CV\nEnd"]
    text = normalize_text("\f".join(pages))
    assert text.count("Jane Roe – CV") == 1
    assert "Summary two" in text


def test_from_text_rejects_blank_text() -> None:
    with pytest.raises(errors.EmptyDocument):
        from_text(" \n ")


def test_collect_paths_recurses_skips_hidden_and_dedupes(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "two.txt").write_text("x")
    (tmp_path / "three.pdf").write_text("x")
    found = collect_paths([tmp_path, tmp_path / "three.pdf"])
    assert [p.name for p in found] == ["one.txt", "three.pdf"]
