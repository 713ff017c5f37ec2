"""The notebooks in notebooks/ are committed without outputs and run top to bottom."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_is_a_walkthrough() -> None:
    assert ROOT / "notebooks" / "walkthrough.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebooks_are_stripped(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert notebook.metadata["kernelspec"]["name"] == "python3"


def test_walkthrough_runs_top_to_bottom() -> None:
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    path = ROOT / "notebooks" / "walkthrough.ipynb"
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    # the kernel starts in notebooks/, like an analyst's; it imports this checkout's rolefit
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    client.execute(env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)})
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    images = [out for out in outputs if "image/png" in out.get("data", {})]
    assert len(images) >= 4  # distribution, heat map, weights, confusion with calibration
    html = "".join(out["data"].get("text/html", "") for out in outputs if "data" in out)
    assert 'class="spans"' in html  # displaCy highlighting of one candidate
    labels = set(re.findall(r">\s*([ASD]\d{1,2})\s*</span>", html))
    assert {"S1", "D1"} <= labels
    text = "".join(out.get("text", "") for out in outputs)
    assert "set: dev (64 résumés)" in text and "confusion (rows gold" in text
