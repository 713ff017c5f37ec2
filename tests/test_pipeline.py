"""The spaCy pipeline: factories, paraphrase evidence, provenance, knowledge and skills."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rolefit import extract
from rolefit.extraction import Extraction
from tests.conftest import criteria_of


def test_components_are_registered_spacy_factories(extractor) -> None:
    for name in ("rolefit_lemmatizer", "rolefit_segmenter", "rolefit_sections", "rolefit_duties",
                 "rolefit_duty_classifier", "rolefit_knowledge", "rolefit_skills"):
        assert name in extractor.nlp.pipe_names
        assert spacy.language.Language.has_factory(name)
    blank = spacy.blank("en")
    blank.add_pipe("rolefit_duties")  # buildable by name from spaCy's registry
    assert blank.pipe_names == ["rolefit_duties"]


@pytest.mark.parametrize(
    ("line", "criterion"),
    [
        ("Kept the MD's diary.", "S1"),
        ("Chop custody for the subsidiary.", "S1"),
        ("Took minutes at board meetings.", "S3"),
        ("Processed staff expense claims.", "A8"),
        ("Prepared briefing notes with options before the CEO decides.", "D1"),
        ("Drafted speeches and letters for the chairman's signature.", "D3"),
        ("Sorted and franked the outgoing post every afternoon.", "A5"),
        ("Set up personnel files for new starters and ran their induction.", "A12"),
    ],
)
def test_paraphrases_of_the_document_are_found(extractor, line: str, criterion: str) -> None:
    assert criterion in criteria_of(extractor, f"EXPERIENCE\n• {line}")


@pytest.mark.parametrize(
    ("line", "not_expected"),
    [
        ("Filed patient charts after every round.", "A1"),
        ("Met all quarterly sales targets.", "S3"),
        ("Chopped vegetables and kept the kitchen clean.", "S1"),
        ("Cared for post-operative patients.", "A5"),
        ("Filed a patent application for the new valve.", "A1"),
    ],
)
def test_keyword_traps_are_not_evidence(extractor, line: str, not_expected: str) -> None:
    assert not_expected not in criteria_of(extractor, f"EXPERIENCE\n• {line}")


def test_every_evidence_carries_provenance_and_true_offsets(extractor) -> None:
    text = Path("data/example_sources/daniel_okafor_executive_assistant.txt").read_text()
    result = extractor.extract(text)
    assert len(result.duties) >= 10
    for e in result.duties:
        assert result.text[e.start:e.end] == e.text
        assert result.text[e.sentence_start:].startswith(e.sentence[:20])
        assert e.source.startswith(("rule:", "model:", "knowledge:"))
        assert e.role in {"assistant", "secretary"}
        assert e.section in {"header", "summary", "experience", "education", "skills",
                             "certifications", "languages", "other"}
    rule = next(e for e in result.duties if e.source.startswith("rule:"))
    assert rule.source.split(":")[1].startswith(rule.criterion + ".")


def test_sections_are_found_whatever_the_heading_words(extractor) -> None:
    text = ("Jo Bloggs\nWhere I have worked\n• Ran the office.\nACADEMIC BACKGROUND\n"
            "BA History\nKey Skills:\nExcel")
    labels = [s.label for s in extractor.extract(text).sections]
    assert labels == ["header", "experience", "education", "skills"]


def test_knowledge_education_years_and_languages(extractor) -> None:
    text = ("EXPERIENCE\nSecretary, Acme — Jan 2015 – Dec 2019\n• Kept the director's diary.\n"
            "• Took minutes at board meetings.\nClerk, Beta — 2010 to 2012\n• Stacked shelves.\n"
            "EDUCATION\nMSc Finance, 2009\nLANGUAGES\nFrench (fluent), German")
    result = extractor.extract(text)
    assert result.education_level == "master"
    assert result.total_years == 8.0  # 60 + 36 months
    assert result.relevant_years == 5.0  # only the secretary job holds duty evidence
    languages = {k.value for k in result.knowledge if k.kind == "language"}
    assert languages == {"french", "german"}
    assert any(e.criterion == "D2" and e.source == "knowledge:field" for e in result.duties)


def test_job_blocks_carry_their_length_and_how_recent_they_are(extractor) -> None:
    text = ("EXPERIENCE\nSecretary, Acme — Jan 2015 – Dec 2019\n• Kept the director's diary.\n"
            "Clerk, Beta — 2010 to 2012\n• Stacked shelves.\nEDUCATION\nMSc Finance, 2009")
    result = extractor.extract(text)
    assert [(j.months, j.months_before_latest) for j in result.jobs] == [(60, 0), (36, 84)]
    diary = next(e for e in result.duties if e.criterion == "S1")
    first, second = result.jobs
    assert first.start <= diary.start < first.end <= second.start
    assert result.to_dict()["jobs"][1]["months_before_latest"] == 84


def test_caps_words_are_not_degrees(extractor) -> None:
    result = extractor.extract("SUMMARY\nWORKED AS MA IN A CLINIC AND AS BS OF NOTHING")
    assert result.education_level is None


def test_skills_with_ambiguous_words_and_typing_speed(extractor) -> None:
    result = extractor.extract("SKILLS\nMS Word, Excel, Outlook\nTyping 70 wpm; shorthand 100 wpm\n"
                               "SUMMARY\nI excel at finding the right word for every letter.")
    found = {(s.id, s.text) for s in result.skills}
    assert ("skill.spreadsheets", "Excel") in found
    assert ("skill.typing", "70 wpm") in found and ("skill.shorthand", "100 wpm") in found
    assert not any(s.text == "excel" or s.text == "word" for s in result.skills)


def test_extract_takes_paths_as_files_and_strings_as_text(tmp_path: Path) -> None:
    path = tmp_path / "cv.txt"
    path.write_text("EXPERIENCE\n• Took minutes at board meetings.")
    from_file = extract(path)
    assert "S3" in from_file.criteria_found and from_file.source == str(path)
    as_text = extract(str(path))  # a str is text, never a file name
    assert "S3" not in as_text.criteria_found
    with pytest.raises(TypeError):
        extract(b"bytes are neither")  # type: ignore[arg-type]


def test_to_dict_is_json_serialisable_and_complete(extractor) -> None:
    result: Extraction = extractor.extract("EXPERIENCE\n• Took minutes at board meetings.")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["schema_version"] == "1.0"
    assert data["criteria_found"] == ["S3"]
    assert {"criterion", "role", "text", "start", "end", "sentence", "section",
            "source"} <= set(data["duties"][0])


def test_batch_extraction_matches_single(extractor) -> None:
    from rolefit.ingest import from_text

    texts = ["EXPERIENCE\n• Took minutes at board meetings.", "• Filed invoices and contracts."]
    many = extractor.extract_many([from_text(t) for t in texts])
    assert [m.criteria_found for m in many] == [extractor.extract(t).criteria_found
                                                for t in texts]


@pytest.mark.parametrize(("line", "is_title"), [
    ("Receptionist / Administrative Assistant", True),
    ("Executive Assistant to the CEO", True),
    ("ADMINISTRATIVE ASSISTANT", True),
    ("Budget Analyst/Research Administrator", True),
    ("Certified Nursing Assistant", True),
    ("Answer phones and greet visitors as receptionist", False),
    ("Managed Office Supplies", False),
    ("Draft the CEO's Speeches And Letters", False),
    ("Take inventory of supplies and equipment.", False),
])
def test_title_lines_are_recognised(line: str, is_title: bool) -> None:
    from rolefit.pipeline.titles import is_title_line

    assert is_title_line(line) is is_title


@pytest.mark.parametrize(("line", "is_place"), [
    ("Maison Caillou New Orleans , LA", True),
    ("Company Name City , State", True),
    ("Hotel Monteleone - Criollo New Orleans , LA", True),
    ("Trained new hires at our store in Austin, TX", False),
    ("Maison Caillou New Orleans", False),
])
def test_employer_lines_are_recognised(line: str, is_place: bool) -> None:
    from rolefit.pipeline.titles import is_place_line

    assert is_place_line(line) is is_place


def test_an_employers_town_is_not_a_new_starter(extractor) -> None:
    # "New" of "New Orleans" gave the duty classifier onboarding (A12) at 0.95 before
    text = ("EXPERIENCE\nSous Chef 2019 - 2023\nMaison Caillou New Orleans , LA\n"
            "• Prepared sauces and plated dishes for a 90-seat dining room.\n")
    assert "A12" not in extractor.extract(text).criteria_found


@pytest.mark.parametrize("title", ["Receptionist / Administrative Assistant",
                                   "Records and Filing Clerk", "Board Secretary and Minutes Clerk",
                                   "Document Control Administrator"])
def test_a_job_title_line_is_never_duty_evidence(extractor, title: str) -> None:
    # each of these titles gave rule or model evidence before title lines were skipped
    text = (f"EXPERIENCE\nNorthgate Insurance, Leeds\n{title}\n"
            "• Managed the director's diary and booked her travel.\n")
    found = extractor.extract(text)
    title_start = text.index(title)
    title_end = title_start + len(title)
    assert not [e for e in found.duties if e.start < title_end and e.end > title_start]
    assert "S1" in found.criteria_found


@pytest.fixture(scope="module")
def knowledge_extractor():
    from rolefit.pipeline.knowledge import KnowledgeExtractor

    extractor = KnowledgeExtractor(None)
    extractor.initialize()
    return extractor


_KNOWLEDGE_NOISE = [" ", "  ", "\n", ".", ",", "-", "é", "•", "ſ", "K", "İ", "x", "Of", "and",
                    "B.A.", "MS", "in", "2019 - Present", "Jan 2015 to", "SEPT. 2012 – ",
                    "12/2019 - 03/2021", " To Date", "2"]


@given(data=st.data())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_knowledge_patterns_narrowed_to_a_text_find_what_the_whole_ones_find(
        knowledge_extractor, data) -> None:
    """Each text scans only the alternatives whose words it holds, lower-cased when it can:
    the matches must be the whole patterns' matches, whatever the casing and the characters
    around them; so must the date ranges read from the lower-cased text."""
    from rolefit.pipeline.knowledge import _RANGE, _RANGE_LOWER, _foldable

    extractor = knowledge_extractor
    vocabulary = sorted({w for words in extractor.alternatives if words for w in words.words}
                        | set(extractor.languages.words))
    pieces = data.draw(st.lists(st.one_of(st.sampled_from(vocabulary),
                                          st.sampled_from(_KNOWLEDGE_NOISE)), max_size=25))
    cases = data.draw(st.lists(st.sampled_from(["lower", "upper", "title", "same"]),
                               min_size=len(pieces), max_size=len(pieces)))
    text = "".join(piece if case == "same" else getattr(piece, case)()
                   for piece, case in zip(pieces, cases, strict=True))
    lowered = text.lower() if _foldable(text) else None
    for words in [*extractor.alternatives, extractor.languages]:
        if words is None:
            continue
        narrowed, reads_lowered = words.for_text(lowered)
        subject = lowered if reads_lowered else text
        found = [(m.span(), text[m.start():m.end()]) for m in narrowed.finditer(subject)] \
            if narrowed is not None else []
        assert found == [(m.span(), m.group(0)) for m in words.full.finditer(text)]
    ranges = _RANGE.finditer(text) if lowered is None else _RANGE_LOWER.finditer(lowered)
    assert [(m.span(), m.group("am") and m.group("am").lower(), m.group("ay"), m.group("by"),
             bool(m.group("now"))) for m in ranges] == \
        [(m.span(), m.group("am") and m.group("am").lower(), m.group("ay"), m.group("by"),
          bool(m.group("now"))) for m in _RANGE.finditer(text)]
