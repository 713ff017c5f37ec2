"""Criteria and taxonomy files are data, validated on load, and swappable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from rolefit.criteria import load_criteria
from rolefit.errors import CriteriaError, TaxonomyError
from rolefit.extract import Extractor
from rolefit.pipeline import build_nlp
from rolefit.resources import data_path
from rolefit.taxonomy import load_taxonomy

DOCUMENT_IDS = [f"A{i}" for i in range(1, 13)] + [f"S{i}" for i in range(1, 11)] + [
    "D1", "D2", "D3"]


def test_shipped_criteria_are_the_documents_25_in_order() -> None:
    criteria = load_criteria()
    assert criteria.ids == DOCUMENT_IDS
    assert {c.role for c in criteria.criteria if c.id.startswith("A")} == {"assistant"}
    assert {c.role for c in criteria.criteria if c.id[0] in "SD"} == {"secretary"}
    assert {c.kind for c in criteria.criteria if c.id.startswith("D")} == {
        "decision", "knowledge", "latent"}
    assert all(c.cues and c.description for c in criteria.criteria)


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "criteria.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _shipped() -> dict:
    return yaml.safe_load(data_path("criteria", "assistant_secretary.yaml").read_text())


def test_missing_field_error_names_file_criterion_and_field(tmp_path: Path) -> None:
    data = _shipped()
    del data["criteria"][3]["description"]
    path = _write(tmp_path, data)
    with pytest.raises(CriteriaError) as info:
        load_criteria(path)
    message = str(info.value)
    assert str(path) in message and "'A4'" in message and "description" in message


def test_bad_cue_error_names_the_field(tmp_path: Path) -> None:
    data = _shipped()
    data["criteria"][12]["cues"][0]["gap"] = "wide"
    with pytest.raises(CriteriaError) as info:
        load_criteria(_write(tmp_path, data))
    assert info.value.item == "S1" or "S1" in str(info.value)
    assert "gap" in str(info.value)


def test_unknown_role_and_duplicate_ids_are_refused(tmp_path: Path) -> None:
    data = _shipped()
    data["criteria"][0]["role"] = "astronaut"
    with pytest.raises(CriteriaError, match="astronaut"):
        load_criteria(_write(tmp_path, data))
    data = _shipped()
    data["criteria"][1]["id"] = "A1"
    with pytest.raises(CriteriaError, match="duplicate"):
        load_criteria(_write(tmp_path, data))


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("schema_version: 1\nname: x\nroles: [\n  - id: a\n", encoding="utf-8")
    with pytest.raises(CriteriaError, match="line"):
        load_criteria(path)


def test_another_role_set_works_without_code_changes(tmp_path: Path) -> None:
    custom = {
        "schema_version": 1,
        "name": "front-office",
        "roles": [{"id": "receptionist", "label": "Receptionist"},
                  {"id": "office_manager", "label": "Office manager"}],
        "criteria": [
            {"id": "R1", "role": "receptionist", "kind": "duty",
             "description": "Greets visitors.",
             "cues": [{"id": "greet", "verbs": ["greet", "welcome"], "objects": ["visitor"]}]},
            {"id": "M1", "role": "office_manager", "kind": "duty",
             "description": "Manages suppliers.",
             "cues": [{"id": "suppliers", "phrases": ["supplier contract"]}]},
        ],
    }
    criteria = load_criteria(_write(tmp_path, custom))
    extractor = Extractor(build_nlp(criteria, duty_model=None))
    result = extractor.extract("• Welcomed every visitor warmly.\n• Renewed supplier contracts.")
    assert result.criteria_found == ["R1", "M1"]
    assert {e.role for e in result.duties} == {"receptionist", "office_manager"}


def test_skill_ids_are_namespaced_and_never_criterion_shaped() -> None:
    taxonomy = load_taxonomy()
    assert len(taxonomy.skills) >= 20
    for skill in taxonomy.skills:
        assert skill.id.startswith("skill.")
        assert not re.fullmatch(r"[ASD]\d+", skill.id.split(".", 1)[1].upper())


def test_broken_taxonomy_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "skills.yaml"
    path.write_text(yaml.safe_dump({"schema_version": 1, "name": "x", "skills": [
        {"id": "A1", "label": "bad", "category": "x", "synonyms": ["foo"]}]}))
    with pytest.raises(TaxonomyError, match="A1"):
        load_taxonomy(path)


def test_errors_name_the_line_of_the_broken_field(tmp_path: Path) -> None:
    data = _shipped()
    data["criteria"][12]["cues"][0]["gap"] = "wide"
    path = _write(tmp_path, data)
    with pytest.raises(CriteriaError) as info:
        load_criteria(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert info.value.line is not None and f"line {info.value.line}" in str(info.value)
    assert lines[info.value.line - 1].strip().lstrip("- ").startswith("gap: wide")


def test_duplicate_id_names_its_line(tmp_path: Path) -> None:
    data = _shipped()
    data["criteria"][5]["id"] = data["criteria"][4]["id"]
    path = _write(tmp_path, data)
    with pytest.raises(CriteriaError, match="duplicate criterion id") as info:
        load_criteria(path)
    line = path.read_text(encoding="utf-8").splitlines()[info.value.line - 1]
    assert line.strip() == f"id: {data['criteria'][4]['id']}"
    assert f"line {info.value.line}" in str(info.value)


def test_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "criteria.yaml"
    path.write_text("name: x\nroles:\n  - id: a\n    label: [unclosed\ncriteria: []\n")
    with pytest.raises(CriteriaError, match="not valid YAML") as info:
        load_criteria(path)
    assert info.value.line is not None and info.value.line >= 4
    assert str(path) in str(info.value)


def test_the_record_of_validated_data_files_is_current() -> None:
    import json

    from rolefit import datafile

    recorded = json.loads(data_path(datafile.VALIDATED).read_text(encoding="utf-8"))["sha256"]
    assert recorded == datafile.shipped_digests(), "run python scripts/validate_data.py"


def test_only_content_recorded_as_validated_skips_validation(tmp_path: Path,
                                                             monkeypatch) -> None:
    from rolefit import datafile

    checked: list[Path] = []
    monkeypatch.setattr(datafile, "validate", lambda data, raw, path, *a: checked.append(path))
    shipped = data_path("criteria", "assistant_secretary.yaml")
    copy = tmp_path / "same.yaml"
    copy.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    changed = tmp_path / "changed.yaml"
    changed.write_text(shipped.read_text(encoding="utf-8") + "\n# a comment\n",
                       encoding="utf-8")
    load_criteria(shipped)
    load_criteria(copy)  # the same content, wherever it lies
    load_criteria(changed)
    assert checked == [changed]
