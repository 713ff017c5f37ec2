"""A self-contained static HTML shortlist: no network, no JavaScript, every résumé text escaped."""

from __future__ import annotations

import html
from pathlib import Path

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.3rem;
text-align:left;vertical-align:top}.bar{background:#eee;width:8rem;height:.8rem}
.bar span{display:block;height:.8rem}.a{background:#3b7dd8}.s{background:#c2572b}
mark.assistant{background:#cfe0fa}mark.secretary{background:#f9d6c8}
mark sup{font-size:.65rem;color:#555}pre{white-space:pre-wrap;font-family:inherit}
.error{color:#a00}
"""


def _bar(value: float | None, css: str) -> str:
    width = 0.0 if value is None else max(0.0, min(100.0, float(value)))
    return (f'<div class="bar" title="{width:.0f}"><span class="{css}" '
            f'style="width:{width:.0f}%"></span></div> {width:.0f}')


def highlight(text: str, evidence: list[dict]) -> str:
    """The text, escaped, with each evidence span in a <mark> labelled by its criterion."""
    spans = sorted({(e["start"], e["end"], e["criterion"], e["role"]) for e in evidence
                    if 0 <= e["start"] < e["end"] <= len(text)})
    out, position = [], 0
    for start, end, criterion, role in spans:
        if start < position:
            continue  # overlapping evidence: the first span shows
        out.append(html.escape(text[position:start]))
        out.append(f'<mark class="{html.escape(role)}">{html.escape(text[start:end])}'
                   f"<sup>{html.escape(criterion)}</sup></mark>")
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


def _text_of(record: dict, texts: dict[str, str]) -> str | None:
    from rolefit.errors import RolefitError
    from rolefit.ingest import from_text, read_path

    if record["id"] in texts:
        return from_text(texts[record["id"]]).text
    path = Path(record["id"])
    try:
        return read_path(path).text if path.is_file() else None
    except RolefitError:
        return None


def render(records: list[dict], texts: dict[str, str] | None = None) -> str:
    """The page; `texts` maps ids of table rows to their text (files are read again)."""
    texts = texts or {}
    rows, details, rank = [], [], 0
    for record in records:
        name = html.escape(Path(record["id"]).name)
        if record["status"] != "ok":
            rows.append(f'<tr><td></td><td>{name}</td><td colspan="4" class="error">'
                        f'{html.escape(record["error"])}</td></tr>')
            continue
        rank += 1
        anchor = f"c{rank}"
        rows.append(
            f'<tr><td>{rank}</td><td><a href="#{anchor}">{name}</a></td>'
            f'<td>{html.escape(record["best_role"])}</td>'
            f'<td>{_bar(record["assistant_fit"], "a")}</td>'
            f'<td>{_bar(record["secretary_fit"], "s")}</td>'
            f'<td>{html.escape(" ".join(record["criteria"]))}</td></tr>')
        text = _text_of(record, texts)
        body = (f"<pre>{highlight(text, record['evidence'])}</pre>" if text is not None else
                "<ul>" + "".join(f"<li>{html.escape(e['criterion'])}: "
                                 f"{html.escape(e['text'])}</li>" for e in record["evidence"])
                + "</ul>")
        details.append(f'<details id="{anchor}"><summary>{rank}. {name} — '
                       f'{html.escape(record["best_role"])}</summary>{body}</details>')
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\"><title>rolefit shortlist</title>"
        f"<style>{_STYLE}</style></head><body><h1>rolefit shortlist</h1>"
        "<p>Fits are 0-100: the calibrated chance that the role fits. Scores support a human "
        "decision; they must not be used to reject candidates automatically.</p>"
        "<table><thead><tr><th>#</th><th>résumé</th><th>best role</th><th>assistant</th>"
        "<th>secretary</th><th>criteria</th></tr></thead><tbody>"
        + "".join(rows) + "</tbody></table><h2>Evidence</h2>" + "".join(details)
        + "</body></html>")


def write_html(records: list[dict], path: Path, texts: dict[str, str] | None = None) -> None:
    path.write_text(render(records, texts), encoding="utf-8")
