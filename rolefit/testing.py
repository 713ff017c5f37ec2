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


def write_docx(text: str, path):
    """A real DOCX: short upper-case lines become headings, bullet lines list paragraphs.
    `path` is a file path or a binary stream."""
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
    document.save(path if hasattr(path, "write") else str(path))
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


def write_docx_with_dtd(path: Path, attack: str, secret: Path | None = None) -> Path:
    """A DOCX whose body declares a DTD: `attack="xxe"` references the local file `secret` as
    an external entity, `attack="expansion"` nests entities a billion "lol"s deep."""
    import io
    import zipfile

    base = io.BytesIO()
    write_docx("EXPERIENCE\n• Took minutes at board meetings.", base)  # type: ignore[arg-type]
    if attack == "xxe":
        assert secret is not None
        dtd = f'<!DOCTYPE w:document [<!ENTITY leak SYSTEM "{secret.resolve().as_uri()}">]>'
        entity = "&leak;"
    else:
        levels = ['<!ENTITY lol0 "lol">'] + [
            f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
        dtd = f"<!DOCTYPE w:document [{''.join(levels)}]>"
        entity = "&lol9;"
    source = zipfile.ZipFile(io.BytesIO(base.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                end = text.index("?>") + 2
                text = text[:end] + dtd + text[end:]
                data = text.replace("Took minutes", f"Took {entity} minutes").encode("utf-8")
            archive.writestr(info.filename, data)
    return path


def write_zip_bomb(path: Path, unpacked: int = 30_000_000) -> Path:
    """A DOCX-shaped archive whose body unpacks to `unpacked` bytes of spaces."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b" " * unpacked)
    return path


GOOD_RESUME = """JANE ROE
EXPERIENCE
Executive Secretary, Omega Ltd, 2018 - Present
• Managed the director's diary and travel.
• Took minutes at monthly board meetings and circulated them.
• Screened calls and visitors for the managing director.
EDUCATION
BA in Law, 2017
"""
CHINESE_RESUME = ("王伟 个人简历\n工作经历\n2018年至今 北京某科技有限公司 行政助理\n"
                  "负责总经理日程安排、会议记录、文件管理、接待来访客人、办理差旅手续。\n"
                  "教育背景\n2014-2018 北京大学 法学学士\n")


def write_hostile_corpus(folder: Path, secret: Path) -> dict[str, set[str]]:
    """Files a stranger could send, generated (never committed). Returns file name → the
    outcomes allowed: "ok" (scored) or error kinds. `secret` is a local file that the
    external-entity DOCX points at; its content must never reach any output."""
    import codecs
    import io
    import random
    import zipfile

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(6)
    expect: dict[str, set[str]] = {}

    def put(name: str, data: bytes | str, *outcomes: str) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        (folder / name).write_bytes(raw)
        expect[name] = set(outcomes)

    put("empty.txt", b"", "empty")
    put("whitespace.txt", b"  \n\t \r\n   \n", "empty")
    for ext in ("pdf", "docx", "txt", "html", "png"):
        put(f"random.{ext}", rng.randbytes(4096), "unsupported_type", "unreadable")
    pdf = write_pdf(GOOD_RESUME, folder / "good.pdf").read_bytes()
    expect["good.pdf"] = {"ok"}
    put("truncated.pdf", pdf[: len(pdf) // 3], "unreadable")
    docx = io.BytesIO()
    write_docx(GOOD_RESUME, docx)  # type: ignore[arg-type]
    put("truncated.docx", docx.getvalue()[: len(docx.getvalue()) // 2],
        "unsupported_type", "unreadable")
    put("pdf_named.docx", pdf, "ok")
    put("docx_named.txt", docx.getvalue(), "ok")
    write_pdf(GOOD_RESUME, folder / "encrypted.pdf", password="s3cret")
    expect["encrypted.pdf"] = {"encrypted"}
    write_image_only_pdf(folder / "scan.pdf")
    expect["scan.pdf"] = {"no_text_layer"}
    write_zip_bomb(folder / "bomb.docx")
    expect["bomb.docx"] = {"too_large"}
    write_docx_with_dtd(folder / "xxe.docx", "xxe", secret)
    expect["xxe.docx"] = {"unsafe_content"}
    write_docx_with_dtd(folder / "expansion.docx", "expansion")
    expect["expansion.docx"] = {"unsafe_content"}
    put("huge.txt", b"Filed invoices. " * 1_400_000, "too_large")
    put("long_line.txt", b"Took minutes at board meetings; " * 160_000, "too_large")
    put("bullets.txt", GOOD_RESUME + "• x\n" * 200_000, "ok", "timeout")
    put("adversarial.txt", GOOD_RESUME + "a" * 100_000 + "\n" + " " * 50_000 + "x\n"
        + "co-\n" * 5_000 + "x \u2022" * 5_000 + "\n" + "Page 1" * 5_000 + "\n"
        + "Languages: " + "English, " * 500 + "\n" + "1999 - " * 500 + "\n"
        + "60 wpm " * 500, "ok", "timeout")
    put("controls.txt", GOOD_RESUME.replace("Managed", "Man\u202eaged\u202c\x07")
        + "\x1b[31m\x0c\u200b", "ok")
    put("nul.txt", GOOD_RESUME.encode("utf-8").replace(b"\n", b"\x00\n"), "ok",
        "unsupported_type")
    put("utf16.txt", GOOD_RESUME.encode("utf-16"), "ok")
    put("utf16le_no_bom.txt", GOOD_RESUME.encode("utf-16-le"), "ok")
    put("utf8_bom.txt", codecs.BOM_UTF8 + GOOD_RESUME.encode("utf-8"), "ok")
    put("latin1.txt", GOOD_RESUME.replace("•", "-").replace("JANE ROE", "JOSÉ MÜLLER")
        .encode("latin-1"), "ok")
    put("formula.txt", "=HYPERLINK(\"http://x\",\"cv\")\n+cmd|' /C calc'!A0\n@SUM(1)\n"
        + GOOD_RESUME, "ok")
    put("script.html", "<html><head><script>var stolen='SCRIPT-TEXT';</script></head><body>"
        + "".join(f"<p>{html.escape(line)}</p>" for line in GOOD_RESUME.splitlines())
        + "<script>alert('SCRIPT-TEXT')</script></body></html>", "ok")
    put("nested.html", "<html><body>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000
        + "</body></html>", "unreadable", "timeout")
    for odd in ("cv, with comma.txt", 'cv "quoted".txt', "cv\nnew line.txt", "=1+1.txt",
                "@SUM(A1).txt", "-cv.txt"):
        put(odd, GOOD_RESUME, "ok")
    put("image.png", b"\x89PNG\r\n\x1a\n" + rng.randbytes(200), "unsupported_type")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("cv.txt", GOOD_RESUME)
    put("archive.zip", archive.getvalue(), "unsupported_type")
    put("chinese.txt", CHINESE_RESUME, "unsupported_language")
    return expect
