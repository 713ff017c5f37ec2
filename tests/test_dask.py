"""Scoring on a Dask cluster (rolefit[dask]) gives what local scoring gives, on a LocalCluster
with several workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")
db = pytest.importorskip("dask.bag")

import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ASSISTANT = ("EXPERIENCE\nOffice Assistant, Harbour Logistics, 2019 - 2024\n"
             "• Filed and archived contracts in the shared drive.\n"
             "• Answered the phones and logged messages for the team.\n"
             "• Ordered office supplies and kept the stock list.\n"
             "• Sorted the incoming post and passed letters to the right people.\n"
             "• Kept the office and the copy room clean and tidy.\n")
SECRETARY = ("EXPERIENCE\nExecutive Secretary to the CEO, 2015 - 2024\n"
             "• Managed the CEO's diary and arranged board meetings.\n"
             "• Took minutes at board meetings and followed up action points.\n"
             "• Drafted confidential correspondence and kept the company seal.\n")
NURSE = ("EXPERIENCE\nStaff Nurse, Cedar Health Trust, 2018 - 2024\n"
         "• Administered medication and monitored patients on a surgical ward.\n")
IDS = ["a", "s", "n", "empty", "missing"]
TEXTS = [ASSISTANT, SECRETARY, NURSE, "   ", None]
COMPARED = ["id", "status", "error_kind", "assistant_fit", "secretary_fit", "best_role",
            "criteria", "skills"]


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
                      host="127.0.0.1", dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def model():
    import rolefit

    return rolefit.load()


def _plain(rows: list[dict]) -> list[dict]:
    """Records with missing values as None (NaN != NaN), only the compared fields."""
    return [{k: None if not isinstance(r[k], list) and pd.isna(r[k]) else r[k]
             for k in COMPARED} for r in rows]


def _local(model) -> list[dict]:
    frame = model.score_many(list(zip(IDS, TEXTS, strict=True)))
    return _plain(frame.to_dict("records"))


def test_score_dataframe_equals_local_scoring(cluster, model) -> None:
    from distributed import Client

    from rolefit.dask import score_dataframe

    frame = pd.DataFrame({"candidate": IDS, "cv": TEXTS, "other": range(len(IDS))})
    ddf = dd.from_pandas(frame, npartitions=3)
    with Client(cluster, set_as_default=False) as client:
        scored = client.compute(score_dataframe(ddf, text_column="cv",
                                                id_column="candidate")).result()
    assert list(scored.index) == list(frame.index)
    got = _plain(scored.to_dict("records"))
    expected = _local(model)
    assert got == expected
    by_id = {r["id"]: r for r in got}
    assert by_id["s"]["best_role"] == "secretary" and by_id["a"]["best_role"] == "assistant"
    assert by_id["empty"]["status"] == "error" and by_id["empty"]["error_kind"] == "empty"
    assert by_id["missing"]["error_kind"] == "bad_input"


def test_score_dataframe_names_a_missing_column() -> None:
    from rolefit.dask import score_dataframe

    ddf = dd.from_pandas(pd.DataFrame({"text": ["x"]}), npartitions=1)
    with pytest.raises(KeyError, match="cv"):
        score_dataframe(ddf, text_column="cv")


def test_score_bag_equals_local_scoring(cluster, model) -> None:
    from distributed import Client

    from rolefit.dask import score_bag

    pairs = list(zip(IDS, TEXTS, strict=True))
    bag = db.from_sequence(pairs, npartitions=2)
    with Client(cluster, set_as_default=False) as client:
        got = client.compute(score_bag(bag)).result()
    assert _plain(got) == _local(model)


def test_cli_scheduler_gives_the_records_of_a_local_run(cluster, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in (("a.txt", ASSISTANT), ("s.txt", SECRETARY), ("n.txt", NURSE)):
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    outputs = []
    for extra in ([], ["--scheduler", cluster.scheduler_address]):
        out = tmp_path / f"out{len(outputs)}.jsonl"
        result = subprocess.run(
            [sys.executable, "-m", "rolefit", "score", str(folder), "-o", str(out), "-q", *extra],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
        assert result.returncode == 0, result.stderr
        outputs.append([json.loads(line) for line in out.read_text().splitlines()])
    local, remote = outputs
    assert len(remote) == 5
    assert remote == local
    kinds = {Path(r["id"]).name: r["error_kind"] for r in remote}
    assert kinds["empty.txt"] == "empty" and kinds["broken.pdf"] == "unreadable"


def test_cli_scheduler_that_cannot_be_reached_exits_2(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ASSISTANT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "rolefit", "score", str(tmp_path / "a.txt"), "-q",
         "--scheduler", "tcp://127.0.0.1:9"], capture_output=True, text=True, cwd=ROOT,
        env=env, timeout=300)
    assert result.returncode == 2
    assert "cannot reach the Dask scheduler" in result.stderr
