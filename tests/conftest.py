"""Shared fixtures: one built extractor per session, and the optional ../shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

from rolefit.evaluation import SHARED_DATA

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def extractor():
    from rolefit.extract import default_extractor

    return default_extractor()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "livecareer" / "resumes.csv").exists():
        pytest.skip("../shared/data is absent")
    return SHARED_DATA


def criteria_of(extractor, text: str) -> set[str]:
    return set(extractor.extract(text).criteria_found)
