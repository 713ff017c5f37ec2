"""Validate the shipped data files against their schemas and record their digests in
data/validated.json, so that loading them skips validation (run after editing a data file;
tests/test_criteria.py fails until the record is current).

    python scripts/validate_data.py
"""

from __future__ import annotations

import json

from rolefit.datafile import VALIDATED, shipped_digests
from rolefit.resources import data_path

if __name__ == "__main__":
    target = data_path(VALIDATED)
    target.write_text(json.dumps({"sha256": shipped_digests()}, indent=1) + "\n",
                      encoding="utf-8")
    print(f"wrote {target}")
