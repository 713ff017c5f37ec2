"""No catastrophic backtracking: every regex-based extractor meets long adversarial input (about
100,000 characters of repeated near-matches) and must finish. Each group runs in a subprocess
under a generous timeout (minutes, where linear work takes well under a second): this asserts
that the work ends, not how fast it is. A quadratic pattern on this input takes hours."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.test_cli import ROOT

N = 100_000
GENEROUS_SECONDS = 240

CASES = {
    "normalize": f"""
        from rolefit.ingest.normalize import normalize_text
        for text in ["a" * {N}, "a" * {N} + "-", "x" + " " * {N} + "y", "co-\\n" * ({N} // 4),
                     "x " * ({N} // 2) + "•", " • " * ({N} // 3), "page " + "1" * {N} + "x",
                     "and" * ({N} // 3) + "x", "â€" * ({N} // 2), "Page 1 of " * ({N} // 10),
                     "\\u202e\\x00\\x07" * ({N} // 3), "- " * ({N} // 2) + "x",
                     ("Jane Roe\\n" + "x" * 50 + "\\f") * ({N} // 60)]:
            normalize_text(text)
        """,
    "decode": f"""
        import random
        from rolefit.ingest.decode import decode_text
        from rolefit.ingest.language import measure
        for data in [b"\\xe9" * {N}, random.Random(1).randbytes({N}), b"a\\x00" * {N},
                     b"\\xff\\xfe" + b"a" * {N}]:
            measure(decode_text(data))
        """,
    "knowledge": f"""
        from rolefit.pipeline.knowledge import _RANGE, KnowledgeExtractor
        extractor = KnowledgeExtractor(None)
        extractor.initialize()
        texts = ["B.A. " * ({N} // 5), "B. " * ({N} // 3), "bachelor of " * ({N} // 12),
                 "master " * ({N} // 7), "Englis" * ({N} // 6), "1999 - 19" * ({N} // 9),
                 "Jan. 2019 to " * ({N} // 13), "12/2019 - 12/" * ({N} // 13),
                 "high school " * ({N} // 12), "a" * {N}, " " * {N} + "x"]
        for text in texts:
            for _kind, _term, pattern in extractor.patterns:
                for match in pattern.finditer(text):
                    extractor._line(text, match)
            extractor.language_re.findall(text)
            extractor.language_context_re.findall(text)
            _RANGE.findall(text)
        """,
    "skills": f"""
        from rolefit.pipeline.skills import _SHORTHAND, _SPEED
        for text in ["60 w" * ({N} // 4), "60 words per minut" * ({N} // 18), "1" * {N},
                     "60 w.p.m" * ({N} // 8), "shorthan" * ({N} // 8)]:
            _SPEED.findall(text)
            _SHORTHAND.findall(text)
        """,
    "structure_and_classifier": f"""
        from rolefit.pipeline.classifier import _DATE_RANGE, _FIELD_LINE
        from rolefit.pipeline.structure import _NON_WORD, SectionSegmenter
        for text in ["a" * {N}, "a:" * ({N} // 2), "1999 " * ({N} // 5), "1999 - " * ({N} // 7),
                     "1999" + " " * {N}, "20" * ({N} // 2)]:
            _FIELD_LINE.match(text)
            _DATE_RANGE.search(text)
        segmenter = SectionSegmenter(None)
        segmenter.initialize()
        for line in ["EDUCATION " * ({N} // 10), "work " * ({N} // 5) + ":", "!" * {N}]:
            segmenter.heading_label(line)
            _NON_WORD.sub(" ", line)
        """,
}


@pytest.mark.parametrize("group", sorted(CASES))
def test_regex_extractors_finish_on_long_adversarial_input(group: str) -> None:
    code = textwrap.dedent(CASES[group]) + "\nprint('finished')\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=GENEROUS_SECONDS, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "finished"


def test_the_fixed_patterns_still_do_their_job() -> None:
    from rolefit.ingest.normalize import normalize_text

    assert normalize_text("Co-\nordinated the diary") == "Coordinated the diary"
    assert normalize_text("follow-\nup calls") == "follow-up calls"
    assert normalize_text("Skills: Excel  •  Word") == "Skills: Excel\n• Word"
