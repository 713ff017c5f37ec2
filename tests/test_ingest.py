"""Ingest: formats sniffed by content, encodings, normalisation, and typed errors."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolefit import errors
from rolefit.ingest import Limits, from_text, normalize_text, read_bytes, read_path
from rolefit.ingest.files import collect_paths
from rolefit.testing import (
    CHINESE_RESUME,
    write_docx,
    write_docx_with_dtd,
    write_html,
    write_image_only_pdf,
    write_pdf,
    write_zip_bomb,
)

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


# -- hostile input ------------------------------------------------------------------------------

@pytest.mark.parametrize("attack", ["xxe", "expansion"])
def test_docx_with_a_dtd_is_refused_and_leaks_nothing(tmp_path: Path, attack: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4242")
    path = write_docx_with_dtd(tmp_path / f"{attack}.docx", attack, secret)
    with pytest.raises(errors.UnsafeDocument, match="DTD") as info:
        read_path(path)
    assert info.value.kind == "unsafe_content"
    assert "TOPSECRET" not in str(info.value)


def test_python_docx_itself_resolves_no_external_entity(tmp_path: Path) -> None:
    """Second line of defence behind the DTD check: python-docx's parser does not resolve
    entities, so even a DOCX that reached it would not read the local file."""
    import docx

    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4242")
    path = write_docx_with_dtd(tmp_path / "xxe.docx", "xxe", secret)
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Took" in text and "TOPSECRET" not in text


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    path = write_zip_bomb(tmp_path / "bomb.docx", unpacked=5_000_000)
    with pytest.raises(errors.DocumentTooLarge, match="compression ratio"):
        read_path(path)
    with pytest.raises(errors.DocumentTooLarge, match="unpacks to"):
        read_path(path, Limits(max_docx_uncompressed=1_000_000))


def test_every_limit_is_configurable(tmp_path: Path) -> None:
    long_pdf = write_pdf(RESUME + "\n".join(f"• Duty {i}." for i in range(150)),
                         tmp_path / "long.pdf")
    with pytest.raises(errors.DocumentTooLarge, match="pages"):
        read_path(long_pdf, Limits(max_pages=1))
    assert read_path(long_pdf).meta["pages"] > 1
    with pytest.raises(errors.DocumentTooLarge, match="characters"):
        read_bytes(RESUME.encode(), "cv.txt", Limits(max_chars=50))
    with pytest.raises(errors.DocumentTooLarge, match="characters"):
        read_path(long_pdf, Limits(max_chars=500))


def test_a_device_or_pipe_is_not_read(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(errors.UnsupportedType, match="not a regular file"):
        read_path(fifo)


def test_a_reader_library_failure_is_a_typed_error(monkeypatch) -> None:
    from rolefit import ingest

    def broken(data: bytes, limits: Limits) -> tuple[str, dict]:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setitem(ingest._READERS, "html", broken)
    with pytest.raises(errors.UnreadableDocument, match="RecursionError"):
        read_bytes(b"<html><body>" + b"<div>" * 10 + b"</body></html>", "deep.html")


# -- language -----------------------------------------------------------------------------------

OTHER_LANGUAGES = {
    "chinese": CHINESE_RESUME,
    "russian": "Иван Петров\nОпыт работы\n2016–2023 ООО «Север», секретарь руководителя\n"
               "Вёл календарь директора, протоколы совещаний, документооборот, приём "
               "посетителей и телефонных звонков.\nОбразование: МГУ, юриспруденция.",
    "arabic": "السيرة الذاتية\nالخبرة العملية: سكرتيرة تنفيذية في شركة النور من عام ٢٠١٥ إلى "
              "عام ٢٠٢٢. تنظيم جدول المدير وإعداد محاضر الاجتماعات واستقبال الزوار.",
    "french": "Expérience professionnelle. Assistante de direction chez Dupont et Fils à Paris, "
              "de 2015 à 2022. Gestion de l'agenda du directeur général et organisation des "
              "déplacements. Rédaction des comptes rendus des réunions du conseil "
              "d'administration. Accueil des visiteurs et gestion du standard. Classement et "
              "archivage des dossiers pour le service juridique. Formation : BTS Assistant de "
              "gestion, 2013. Langues : français, anglais.",
    "spanish": "Experiencia profesional. Secretaria de dirección en Grupo Ibérica, Madrid, de "
               "2014 a 2021. Gestión de la agenda del director general y de los viajes. "
               "Redacción de las actas de las reuniones del consejo. Atención de las llamadas "
               "y recepción de las visitas. Archivo de los documentos del departamento legal. "
               "Formación: Técnico Superior en Asistencia a la Dirección. Idiomas: español, "
               "inglés y francés.",
    "german": "Berufserfahrung. Chefsekretärin bei der Müller GmbH in Hamburg von 2012 bis "
              "2020. Verwaltung des Terminkalenders der Geschäftsführung und Planung der "
              "Dienstreisen. Protokollführung bei den Sitzungen des Vorstands und Empfang "
              "der Besucher. Ablage und Archivierung der Unterlagen für die Rechtsabteilung. "
              "Ausbildung zur Kauffrau für Büromanagement bei der Handelskammer. Sprachen: "
              "Deutsch, Englisch und Französisch.",
}


@pytest.mark.parametrize("language", sorted(OTHER_LANGUAGES))
def test_other_languages_are_reported_not_scored_as_empty_english(language: str) -> None:
    with pytest.raises(errors.UnsupportedLanguage, match="English résumés only") as info:
        from_text(OTHER_LANGUAGES[language], f"{language}.txt")
    assert info.value.kind == "unsupported_language"
    assert from_text(OTHER_LANGUAGES[language], limits=Limits(english_only=False)).text


@pytest.mark.parametrize("text", [
    RESUME,
    "Admin Secretary\nPelican Shipping, 2017–present\n- manager's diary & travel\n- take minutes",
    "王伟 (Wang Wei)\n" + RESUME,  # a Chinese name on an English résumé
    "Jean Dupont, Lyon\n" + RESUME + "Languages: French (native), English, Spanish\n"
    "Education: Licence de droit, Université de Lyon, 2010\n",
])
def test_english_resumes_pass_the_language_check(text: str) -> None:
    assert "minutes" in from_text(text).text or "diary" in from_text(text).text


@pytest.mark.shared
def test_every_real_english_resume_passes_the_language_check(shared_data: Path) -> None:
    import pandas as pd

    texts = pd.read_csv(shared_data / "livecareer" / "resumes.csv")["text"].astype(str)
    refused = []
    for i, text in enumerate(texts):
        try:
            from_text(text)
        except errors.UnsupportedLanguage as exc:
            refused.append((i, str(exc)))
    assert len(texts) == 450 and refused == []


def test_deeply_nested_html_is_refused_and_normal_nesting_is_read() -> None:
    deep = b"<html><body>" + b"<div>" * 5_000 + b"deep" + b"</div>" * 5_000 + b"</body></html>"
    with pytest.raises(errors.UnreadableDocument, match="5,002 deep"):
        read_bytes(deep, "deep.html")
    nested = b"<html><body>" + b"<div>" * 20 + b"Took minutes." + b"</div>" * 20 + b"</body>"
    assert read_bytes(nested, "ok.html").text == "Took minutes."
    with pytest.raises(errors.UnreadableDocument, match="limit 10"):
        read_bytes(nested, "ok.html", Limits(max_html_depth=10))


def test_private_use_pattern_is_exactly_unicode_category_co() -> None:
    import unicodedata

    from rolefit.ingest.normalize import _PRIVATE_USE

    mismatched = [cp for cp in range(0x110000)
                  if (unicodedata.category(chr(cp)) == "Co") != bool(_PRIVATE_USE.match(chr(cp)))]
    assert mismatched == []
    assert normalize_text("Typing\uf0b7 minutes \ue123 and \U000f0001 notes") == \
        "Typing\uf0b7 minutes and notes"


def test_script_counts_equal_a_letter_by_letter_count() -> None:
    from collections import Counter

    from rolefit.ingest.language import _script, measure

    text = "Résumé of Ana — typing 速記 and 議事録, Ελληνικά, Straße, ﬁle, ǅ, 123 ß."
    report = measure(text)
    scripts = Counter(_script(c) for c in text if c.isalpha())
    assert report.letters == sum(scripts.values())
    assert report.latin_share == scripts["Latin"] / report.letters


_FTFY_PIECES = ["a", "B", " ", "<", ">", "&", ";", "#", "\r", "\n", "\t", "\f", "\x1b[0m",
                "\x00", "\x7f", "&amp;", "&lt;", "&#x2019;", "â€™", "Ã©", "é", "\u2028", "ﬁ",
                "Ａ", "\x85", "\ud800", "’", "&hellip;", "•"]


@given(st.lists(st.sampled_from(_FTFY_PIECES), max_size=40))
@settings(max_examples=400, deadline=None)
def test_fix_text_equals_ftfy_on_the_whole_text(pieces: list[str]) -> None:
    """Plain ASCII lines skip ftfy; the result must be ftfy's, HTML-entity state included."""
    import ftfy

    from rolefit.ingest.normalize import fix_text

    text = "".join(pieces)
    assert fix_text(text) == ftfy.fix_text(text, normalization="NFC")


def test_docx_style_names_resolved_once_per_id_equal_python_docx() -> None:
    import docx

    from rolefit.ingest.readers import _style_name

    document = docx.Document()
    document.add_paragraph("Plain")
    document.add_paragraph("Filed invoices.", style="List Bullet")
    document.add_heading("EXPERIENCE", level=1)
    document.add_paragraph("Another plain")
    odd = document.add_paragraph("A style id the document does not define")
    odd._p.get_or_add_pPr().get_or_add_pStyle().val = "NoSuchStyle"
    document.add_paragraph("Kept the diary.", style="List Bullet")
    names: dict = {}
    got = [_style_name(p, names) for p in document.paragraphs]
    assert got == [(p.style.name or "").lower() for p in document.paragraphs]
    assert got[1] == got[5] == "list bullet" and got[4] == got[0] == "normal"
    assert len(names) == 4  # None, the list, the heading and the unknown id
