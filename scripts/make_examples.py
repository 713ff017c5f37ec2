"""Rebuild data/examples/ from data/example_sources/*.txt: TXT copies plus PDF and DOCX versions.

    python scripts/make_examples.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

from rolefit.testing import write_docx, write_pdf

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = DATA / "examples"
AS_PDF = {"daniel_okafor_executive_assistant", "priya_nair_staff_nurse"}
AS_DOCX = {"tomasz_wolski_admin_coordinator", "grace_chen_secretary"}


def main() -> None:
    for source in sorted((DATA / "example_sources").glob("*.txt")):
        text = source.read_text(encoding="utf-8")
        if source.stem in AS_PDF:
            write_pdf(text, ROOT / f"{source.stem}.pdf")
        elif source.stem in AS_DOCX:
            write_docx(text, ROOT / f"{source.stem}.docx")
        else:
            shutil.copy(source, ROOT / source.name)
        print(source.stem)


if __name__ == "__main__":
    main()
