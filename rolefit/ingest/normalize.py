"""Clean what extraction leaves behind so that offsets point into readable résumé text."""

from __future__ import annotations

import re

import ftfy

BULLET = "•"
# Glyphs that start a bullet line in résumés and PDF extractions (private-use glyphs come from
# the Symbol and Wingdings fonts).
_BULLET_GLYPHS = "•●○◦▪▫■□➢➤►▸‣⁃∙·✓✔❖◆◇★➔→⇒✗✘\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf0e8\uf06e\uf075"
_BULLET_LINE = re.compile(rf"^[ \t]*(?:[{_BULLET_GLYPHS}]|[*\-–—](?=\s)|o(?=\s+[A-Z]))[ \t]*")
# Every pattern is linear on long adversarial lines: a repeated class that may fail to match is
# anchored to the start of its run (lookbehind), so no start position rescans the same run.
_INLINE_BULLET = re.compile(rf"(?<![ \t])[ \t]+[{_BULLET_GLYPHS}][ \t]+")
_PAGE_LINE = re.compile(
    r"^\s*(?:page\s*\d+(?:\s*(?:of|/)\s*\d+)?|-\s*\d+\s*-|\d+\s*(?:of|/)\s*\d+)\s*$", re.I
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_HYPHEN_BREAK = re.compile(r"(?<![A-Za-z])([A-Za-z]{2,})-[ \t]*\n[ \t]*([a-z]{2,})")
_KEEP_HYPHEN = {"self", "well", "non", "multi", "cross", "full", "part", "high", "long", "short",
                "follow", "up", "fast", "front", "back", "year", "day", "time", "end"}
_JOINING_END = re.compile(
    r"(?:,|\b(?:and|or|of|the|to|for|with|in|on|at|by|a|an|as|from|including|&))$", re.I
)
_TERMINAL = (".", "!", "?", ":", ";")
# Bullet glyphs read as Windows-1252 that ftfy leaves alone or mends wrongly (private-use
# Symbol-font bullets, U+25AA, and U+25CF whose last byte was lost).
_BULLET_MOJIBAKE = {"â–ª": "▪", "ï‚·": "•", "ï‚§": "•", "ï‚": "•", "â— ": "● ", "â—\n": "●\n"}
# What ftfy cannot repair: a UTF-8 quote or space whose last byte was lost before extraction.
_RESIDUAL_MOJIBAKE = re.compile(r"â€(?![\w™¢œž])|Â(?=\s|$)")


# The private-use code points (Unicode category "Co", fixed by Unicode's stability policy).
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


def _private_use(match: re.Match[str]) -> str:
    """A private-use glyph becomes a space unless it is a bullet of the Symbol fonts."""
    return match.group(0) if match.group(0) in _BULLET_GLYPHS else " "


# Lines ftfy returns unchanged: printable ASCII and tabs, without "&" (an HTML entity) or any
# control character (ftfy rewrites "\r" and drops the rest); every other fix concerns
# characters beyond ASCII, and NFC leaves ASCII as it is.
_FTFY_UNCHANGED = re.compile(r"[\t\x20-\x25\x27-\x7e]*\n?")
_FTFY_SEGMENT = ftfy.TextFixerConfig().max_decode_length


def fix_text(text: str) -> str:
    """`ftfy.fix_text(text, normalization="NFC")`, without handing ftfy the lines it would
    return unchanged. ftfy fixes a text line by line and stops unescaping HTML entities from
    the first line holding "<" on; the lines between plain ones go to it together, told
    whether a "<" came before them, so the result is the same."""
    if len(text) > _FTFY_SEGMENT:
        return ftfy.fix_text(text, normalization="NFC")
    out: list[str] = []
    pending = -1  # start of the lines waiting for ftfy
    seen_lt = pending_after_lt = False
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos) + 1 or len(text)
        if _FTFY_UNCHANGED.fullmatch(text, pos, end):
            if pending >= 0:
                out.append(_ftfy(text[pending:pos], pending_after_lt))
                pending = -1
            out.append(text[pos:end])
        elif pending < 0:
            pending, pending_after_lt = pos, seen_lt
        seen_lt = seen_lt or "<" in text[pos:end]
        pos = end
    if pending >= 0:
        out.append(_ftfy(text[pending:], pending_after_lt))
    return "".join(out)


def _ftfy(lines: str, after_lt: bool) -> str:
    return ftfy.fix_text(lines, normalization="NFC", unescape_html=False if after_lt else "auto")


def normalize_text(text: str) -> str:
    """Return normalised résumé text: fixed encoding, canonical bullets, rejoined wraps."""
    for broken, glyph in _BULLET_MOJIBAKE.items():
        text = text.replace(broken, glyph)
    text = fix_text(text)
    text = _RESIDUAL_MOJIBAKE.sub(lambda m: "”" if m.group(0).startswith("â") else " ", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = _PRIVATE_USE.sub(_private_use, text)
    pages = [_clean_lines(page.split("\n")) for page in text.split("\f")]
    lines = _drop_running_headers(pages)
    text = "\n".join(lines)
    text = _HYPHEN_BREAK.sub(_join_hyphenated, text)
    lines = _join_wraps(text.split("\n"))
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _clean_lines(lines: list[str]) -> list[str]:
    out: list[str] = []
    for raw in lines:
        line = _SPACES.sub(" ", raw).strip()
        if _PAGE_LINE.match(line):
            continue
        if _BULLET_LINE.match(line):
            line = f"{BULLET} " + _BULLET_LINE.sub("", line, count=1)
        if line.count(" ") and _INLINE_BULLET.search(line):
            first, *rest = _INLINE_BULLET.split(line)
            out.append(first)
            out.extend(f"{BULLET} {part}" for part in rest if part)
            continue
        out.append(line)
    return out


def _drop_running_headers(pages: list[list[str]]) -> list[str]:
    """Lines repeated at the top or bottom of several pages are headers/footers: keep the first."""
    if len(pages) < 2:
        return pages[0] if pages else []
    edge_counts: dict[str, int] = {}
    for page in pages:
        content = [line for line in page if line]
        for line in set(content[:2] + content[-2:]):
            edge_counts[line] = edge_counts.get(line, 0) + 1
    repeated = {line for line, n in edge_counts.items() if n >= 2 and len(line) <= 100}
    seen: set[str] = set()
    out: list[str] = []
    for page in pages:
        for line in page:
            if line in repeated:
                if line in seen:
                    continue
                seen.add(line)
            out.append(line)
    return out


def _join_hyphenated(match: re.Match[str]) -> str:
    head, tail = match.group(1), match.group(2)
    if head.lower() in _KEEP_HYPHEN:
        return f"{head}-{tail}"
    return head + tail


def _join_wraps(lines: list[str]) -> list[str]:
    """Rejoin a sentence that a PDF broke across lines."""
    out: list[str] = []
    for line in lines:
        if out and out[-1] and line and _continues(out[-1], line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _continues(previous: str, line: str) -> bool:
    if line.startswith(BULLET) or previous.endswith(_TERMINAL) or previous == BULLET:
        return False
    if line[0].islower():
        return True
    return bool(_JOINING_END.search(previous)) and len(previous) > 25
