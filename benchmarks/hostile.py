"""Time and memory of `rolefit score` on the hostile corpus beside good résumés.

    python benchmarks/hostile.py [--jobs N] [--time-limit S]

Generates the corpus of `rolefit.testing.write_hostile_corpus` in a temporary folder, runs the
command line on it with the shipped examples, samples the memory of the whole process tree, and
prints: wall time, peak resident memory (parent + workers), the outcome of every file, and each
hostile file's own time when scored alone in this process. Figures depend on the machine."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for proc in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # a worker may end between the two calls
            total += proc.memory_info().rss
    return total


def run_cli(inputs: list[Path], output: Path, jobs: int, time_limit: float) -> tuple[float, int]:
    """Wall seconds and peak resident bytes of the process tree."""
    command = [sys.executable, "-m", "rolefit", "score", *map(str, inputs), "-o", str(output),
               "--quiet", "--jobs", str(jobs), "--time-limit", str(time_limit)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    watched, peak = psutil.Process(child.pid), 0
    while child.poll() is None:
        peak = max(peak, _tree_rss(watched))
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"rolefit score failed: {child.stderr.read()}")
    print(child.stderr.read().strip())
    return elapsed, peak


def alone(files: list[Path]) -> list[tuple[str, str, float]]:
    """Each file scored alone in this process (no time limit): name, outcome, seconds."""
    from rolefit.scoring import load

    model = load()
    rows = []
    for path in files:
        started = time.perf_counter()
        result = next(model.iter_scores([path]))
        outcome = "ok" if result.status == "ok" else result.error_kind
        rows.append((path.name, outcome, time.perf_counter() - started))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--skip-alone", action="store_true",
                        help="Do not time each hostile file alone.")
    args = parser.parse_args()
    from rolefit.testing import write_hostile_corpus

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        secret = folder / "secret.txt"
        secret.write_text("TOPSECRET-BENCH")
        expected = write_hostile_corpus(folder / "corpus", secret)
        shutil.copytree(ROOT / "data" / "examples", folder / "good")
        size = sum(p.stat().st_size for p in (folder / "corpus").iterdir())
        print(f"corpus: {len(expected)} hostile files ({size / 1e6:.1f} MB) + 6 good résumés; "
              f"--jobs {args.jobs} --time-limit {args.time_limit:g}")
        output = folder / "out.jsonl"
        elapsed, peak = run_cli([folder / "corpus", folder / "good"], output, args.jobs,
                                args.time_limit)
        records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
        leaked = "TOPSECRET-BENCH" in output.read_text(encoding="utf-8")
        print(f"wall time {elapsed:.1f} s, peak memory {peak / 2**20:.0f} MiB (parent + "
              f"workers), {len(records)} records, secret leaked: {leaked}")
        if not args.skip_alone:
            print(f"\n{'file':32} {'outcome':22} seconds alone")
            files = sorted((folder / "corpus").iterdir())
            for name, outcome, seconds in alone(files):
                print(f"{name.replace(chr(10), '⏎')[:32]:32} {outcome:22} {seconds:8.2f}")


if __name__ == "__main__":
    main()
