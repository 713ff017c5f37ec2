"""Property-based tests: arbitrary text never raises anything but rolefit's typed errors, and every
offset the extractors report points into the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolefit.errors import IngestError, RolefitError
from rolefit.ingest import from_text, normalize_text
from rolefit.ingest.decode import decode_text

FRAGMENTS = [
    "EXPERIENCE", "EDUCATION", "Skills:", "Languages:", "• ", "- ", "\n", "\n\n", "\f", " ",
    "Took minutes at board meetings.", "Kept the CEO's diary", "Drafted speeches for the chair",
    "BA in Law", "B.A.", "MBA", "Master of Business Administration", "English", "fluent French",
    "Jan 2019 - Present", "2015 – 2018", "03/2012 to 11/2016", "60 wpm", "shorthand 100 wpm",
    "Microsoft Word", "Excel", "company seal", "co-\nordinated", "Page 1 of 2", "â€™", "\u202e",
    "\x00", "\ufeff", "王伟", "é", "\t", "::", "•", "&", "high school diploma", "CPR",
]
resume_like = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=40).map(
    "".join)
any_text = st.text(max_size=400) | resume_like


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_normaliser_never_raises_and_drops_control_characters(text: str) -> None:
    once = normalize_text(text)
    assert isinstance(once, str)
    assert "\x00" not in once and "\r" not in once


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_decoding_any_bytes_gives_text(data: bytes) -> None:
    assert isinstance(decode_text(data), str)


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_ingesting_any_text_gives_a_resume_or_a_typed_error(text: str) -> None:
    try:
        resume = from_text(text)
    except IngestError:
        return
    assert resume.text and resume.text == resume.text.strip()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resume_like)
def test_extractor_offsets_point_into_the_text(extractor, text: str) -> None:
    try:
        result = extractor.extract(text)
    except RolefitError:
        return
    for item in [*result.duties, *result.knowledge, *result.skills]:
        assert 0 <= item.start <= item.end <= len(result.text)
        assert result.text[item.start:item.end] == item.text
    for evidence in result.duties:
        start = evidence.sentence_start
        assert result.text[start:].lstrip().startswith(evidence.sentence[:20])
    for section in result.sections:
        assert 0 <= section.start < section.end <= len(result.text)
