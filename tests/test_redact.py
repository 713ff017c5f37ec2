"""Blind scoring: what is masked, that masking keeps offsets, that the model reads the masked
text while evidence quotes the original, and that no pattern backtracks catastrophically."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rolefit.errors import RedactionError
from rolefit.extract import Extractor
from rolefit.ingest import from_text, read_path
from rolefit.redact import find_spans, is_placeholder, load_rules, mask, redact
from rolefit.resources import data_path

ROOT = Path(__file__).resolve().parents[1]

RESUME = """Emily J. Walsh
14 Larch Close, Leicester LE4 7QP | +44 7700 900123 | emily.walsh@example.com
linkedin.com/in/emilywalsh · @emwalsh · https://emily-walsh.example/portfolio
Date of birth: 12/03/1989 | Age: 36 | Gender: Female | Marital status: Married
Nationality: British | Religion: Methodist

PROFILE
Mrs. Walsh is a secretary; she keeps her director's diary and takes the board minutes.
I drafted letters for his signature and managed the office move in 2019.
Born 1989 in Leicester; a proud mother of two and a member of St Peter's Church choir.
![Photo of Emily Walsh smiling](emily.jpg)

EDUCATION
B.A. in English, Wellesley College, 2011

REFERENCES
Sarah Kim, Office Manager, Acme Ltd — sarah.kim@acme.example
"""


def masked_values(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for span in redact(text).spans:
        found.setdefault(span.kind, []).append(text[span.start:span.end])
    return found


def test_each_kind_of_personal_data_is_masked() -> None:
    found = masked_values(RESUME)
    assert "Emily J. Walsh" in found["name"]
    assert "Walsh" in found["name"]  # later mentions of the candidate's name
    assert "Sarah Kim" in found["name"]  # a reference: given name + surname
    assert found["email"] == ["emily.walsh@example.com", "sarah.kim@acme.example"]
    assert found["phone"] == ["+44 7700 900123"]
    assert "14 Larch Close" in found["address"] and "LE4 7QP" in found["address"]
    assert "linkedin.com/in/emilywalsh" in found["url"]
    assert "https://emily-walsh.example/portfolio" in found["url"]
    assert found["handle"] == ["@emwalsh"]
    assert found["birth_date"] == ["12/03/1989", "Born 1989 in Leicester"]
    assert found["age"] == ["36"] or "Age: 36" in found["age"]
    assert {"Female", "she", "her", "his", "Mrs."} <= set(found["gender"])
    assert {"Married", "mother of"} <= set(found["marital_status"])
    assert found["nationality"] == ["British"]
    assert {"Methodist", "Church"} <= set(found["religion"])
    assert found["photo"] == ["![Photo of Emily Walsh smiling](emily.jpg)"]
    assert found["institution"] == ["Wellesley College"]


def test_job_evidence_stays_readable() -> None:
    masked = redact(RESUME).text
    for kept in ("secretary", "keeps", "diary", "takes the board minutes", "drafted letters",
                 "signature", "office move in 2019", "B.A. in English", "Office Manager",
                 "PROFILE", "EDUCATION"):
        assert kept in masked, kept


def test_masking_keeps_length_lines_and_every_unmasked_character() -> None:
    result = redact(RESUME)
    assert len(result.text) == len(RESUME)
    assert result.text.count("\n") == RESUME.count("\n")
    inside = {i for s in result.spans for i in range(s.start, s.end)}
    for i, (before, after) in enumerate(zip(RESUME, result.text, strict=True)):
        if i not in inside:
            assert before == after
        elif before != "\n":
            assert after in "Xx"


def test_a_masked_name_is_one_placeholder_word_whatever_its_length() -> None:
    for name in ("Emily Walsh", "Nguyen Thi Lan", "María José Hernández"):
        masked = redact(f"{name}\nPROFILE\nOffice secretary.").text
        first_line = masked.split("\n")[0]
        assert len(first_line) == len(name)
        assert " " not in first_line and is_placeholder(first_line)


def test_capital_initial_is_kept_so_sentences_split_as_before() -> None:
    assert mask("She led. He led.", find_spans("She led. He led.")) == "Xxx led. Xx led."


def test_contact_labels_mask_only_values_that_look_like_contact_data() -> None:
    text = "Jane Roe\nPhone: answered 80 calls a day\nPhone: 0161 496 0000\n"
    found = masked_values(text)
    assert found["phone"] == ["0161 496 0000"]


def test_years_and_year_ranges_are_not_taken_for_phone_numbers() -> None:
    text = "EXPERIENCE\nSecretary 2015-2019, then 2019 - 2023; 12.03.2019 start; 4,000 files"
    assert redact(text).text == text


def test_a_field_label_inside_a_sentence_is_not_a_field() -> None:
    text = "EXPERIENCE\nI write a good deal in his name: speeches and letters."
    masked = redact(text).text
    assert "speeches and letters" in masked and "in xxx name" in masked


def test_chained_fields_on_one_line_are_each_masked() -> None:
    text = "Name: Wang Jianguo Gender: Male Age: 37 Birth: 1988.05\nEXPERIENCE\nSecretary."
    masked = redact(text).text
    assert masked.startswith("Name: Xxxxxxxxxxxx Gender: Xxxx ")
    assert "Wang" not in masked and "Male" not in masked and "37" not in masked
    assert "1988" not in masked


def test_a_title_line_is_not_taken_for_a_name() -> None:
    text = "OFFICE ASSISTANT\nSummary\nKeeps the office running."
    assert redact(text).text == text


def test_languages_spoken_are_not_masked_as_nationality() -> None:
    text = "LANGUAGES\nSpanish (fluent), French (basic)\nNationality: Spanish"
    masked = redact(text).text
    assert "Spanish (fluent), French (basic)" in masked
    assert masked.endswith("Nationality: Xxxxxxx")


ADVERSARIAL = {
    "email local part without @": "a" * 200_000,
    "email dots": "a." * 100_000 + "@",
    "email domain": "x@" + "a-" * 100_000,
    "url": "www." + "a" * 200_000,
    "phone groups": "1 " * 100_000,
    "phone separators": "1-" * 100_000 + "x",
    "street words": "12 " + "Aa " * 70_000 + "x",
    "field value": "Name: " + "a " * 100_000,
    "given names": "Jamal " * 40_000,
    "image syntax": "![" + "a" * 100_000,
    "birth dates": "born " * 40_000 + "1 January",
    "nationality": "Nigerian " * 40_000,
    "header tokens": "Aa " * 100_000,
}


@pytest.mark.parametrize("adversarial", list(ADVERSARIAL.values()), ids=list(ADVERSARIAL))
def test_patterns_stay_linear_on_adversarial_input(adversarial: str) -> None:
    """A catastrophically backtracking pattern would not finish on these inputs."""
    result = redact(adversarial)
    assert len(result.text) == len(adversarial)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aAzZ019 .-@:/|,\n'’()[]!#+éØ")), max_size=400))
def test_any_text_keeps_its_length_and_line_breaks(text: str) -> None:
    result = redact(text)
    assert len(result.text) == len(text)
    assert [i for i, c in enumerate(result.text) if c == "\n"] == \
        [i for i, c in enumerate(text) if c == "\n"]
    assert all(s.start < s.end for s in result.spans)
    assert all(a.end <= b.start for a, b in zip(result.spans, result.spans[1:], strict=False))


def test_extractor_reads_the_masked_text_and_quotes_the_original(extractor) -> None:
    text = ("Emily Walsh\nemily.walsh@example.com\n\nEXPERIENCE\n"
            "• Drafted replies for her signature and kept the director's diary.\n"
            "• Took minutes at board meetings.\n")
    text = from_text(text).text  # the normalised text, which offsets index
    extraction = extractor.extract(text)
    assert extraction.text == text
    evidence = extraction.duties
    assert evidence, "the duties must still be found in the masked text"
    for item in evidence:
        assert text[item.start:item.end] == item.text
        assert item.sentence in text
    quoted = " ".join(e.sentence for e in evidence)
    assert "her signature" in quoted  # the recruiter reads the original
    assert "D3" in extraction.criteria_found  # "for her signature" matches through the mask


def test_redaction_can_be_turned_off_for_debugging(extractor) -> None:
    plain = Extractor(extractor.nlp, redact=False)
    text = "Emily Walsh\n\nEXPERIENCE\n• Kept the diary.\n"
    assert plain.model_text(text) == text
    assert extractor.model_text(text).startswith("Xxxxxxxxxxx\n")


def test_html_image_alt_text_never_reaches_the_text(tmp_path: Path) -> None:
    page = tmp_path / "cv.html"
    page.write_text('<html><body><img src="me.jpg" alt="Photo of a smiling young woman">'
                    "<h1>EXPERIENCE</h1><p>Kept the diary.</p></body></html>", encoding="utf-8")
    text = read_path(page).text
    assert "Kept the diary" in text and "smiling" not in text


def test_a_broken_redaction_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    broken = tmp_path / "redaction.yaml"
    text = data_path("redaction.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("kind: religion", "kind: faith_group", 1), encoding="utf-8")
    with pytest.raises(RedactionError) as error:
        load_rules(broken)
    assert str(broken) in str(error.value) and "kind" in str(error.value)


def test_the_data_file_is_packaged() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"data/redaction.yaml" = "rolefit/_data/redaction.yaml"' in pyproject


def test_redact_command_prints_the_masked_text(tmp_path: Path) -> None:
    resume = tmp_path / "cv.txt"
    resume.write_text(RESUME, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "rolefit", "redact", str(resume)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n") == redact(read_path(resume).text).text.rstrip("\n")
    assert "emily.walsh@example.com" not in result.stdout
    assert "masked" in result.stderr and "email 2" in result.stderr
    missing = subprocess.run([sys.executable, "-m", "rolefit", "redact",
                              str(tmp_path / "absent.txt")],
                             capture_output=True, text=True, env=env, timeout=120)
    assert missing.returncode == 1 and "rolefit:" in missing.stderr


# -- skipping scans: a text without a pattern's literals is not scanned, with the same spans --
_FRAGMENTS = ["Born in Paris", "BORN 3 May 1990", "aged 34", "AGE: 41", "35 years old", "5 y.o.",
              "P.O. Box 12", "Dr Emily Walsh", "Mrs. Jane Doe", "Señora Lopez", "Citizen of France",
              "French national", "Nationality: Irish", "linkedin.com/in/x", "LinkedIn.COM/in/y",
              "www.example.com/a", "HTTP://A.B", "a@b.co", "@handle", "![photo](x.png)",
              "[Photo]", "ſtreet", "BOſTON", "Kelvin K", "İstanbul", "ı", "•", "résumé", "\n",
              " ", "took the board minutes", "Leicester LE4 7QP", "+44 7700 900123"]


def _all_scanned(monkeypatch) -> None:
    from rolefit import redact as module

    monkeypatch.setattr(module._Literals, "may_match", lambda self, literals, ignore_case: True)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=12))
def test_skipping_scans_finds_the_same_spans(pieces: list[str]) -> None:
    text = " ".join(pieces)
    fast = find_spans(text)
    with pytest.MonkeyPatch.context() as patch:
        _all_scanned(patch)
        assert find_spans(text) == fast


def test_skipping_scans_finds_the_same_spans_in_the_development_resumes(monkeypatch) -> None:
    texts = [RESUME] + [p.read_text(encoding="utf-8")
                        for p in sorted((ROOT / "data/dev/resumes").glob("*.txt"))]
    fast = [find_spans(t) for t in texts]
    _all_scanned(monkeypatch)
    assert [find_spans(t) for t in texts] == fast
    assert sum(map(len, fast)) > len(texts)  # the texts do hold personal data


def test_every_character_ignorecase_matches_with_an_ascii_letter_is_known() -> None:
    import re

    from rolefit.redact import folds_into_ascii

    letter = re.compile("(?i)[a-z]")
    folding = [chr(c) for c in range(0x80, 0x110000) if letter.fullmatch(chr(c))]
    assert folding and all(folds_into_ascii(c) for c in folding)
    assert not folds_into_ascii("é") and not folds_into_ascii("a")


def test_cue_terms_masked_together_are_masked_as_each_alone() -> None:
    from rolefit.criteria import load_criteria
    from rolefit.pipeline.duties import masked_forms_of
    from rolefit.redact import mask_text

    forms = masked_forms_of(load_criteria())
    assert len(forms) > 1000
    assert any(term != masked for term, masked in forms.items())  # "in his name" and the like
    assert forms == {term: mask_text(term, header=False) for term in forms}
