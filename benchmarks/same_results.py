"""Check that an optimisation leaves results unchanged.

    python benchmarks/same_results.py --save /tmp/before.jsonl   # before changing code
    python benchmarks/same_results.py --check /tmp/before.jsonl  # after: exits 1 on any change

Scores data/examples (files), data/dev and, when present, the first 200 rows of
../shared/data/livecareer/resumes.csv, and records everything a user sees: the result record,
the explanation and the full extraction. Keep the reference file outside the repository (it
holds text of the shared résumés)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rolefit.batch import record_of  # noqa: E402
from rolefit.evaluation import shared_resumes_csv  # noqa: E402
from rolefit.scoring import load  # noqa: E402


def items() -> list:
    out: list = sorted((ROOT / "data" / "examples").iterdir())
    out += sorted((ROOT / "data" / "dev" / "resumes").glob("*.txt"))
    shared = shared_resumes_csv()
    if shared.exists():
        csv.field_size_limit(10_000_000)
        with shared.open(encoding="utf-8", newline="") as handle:
            for i, row in enumerate(csv.DictReader(handle)):
                if i >= 200:
                    break
                out.append((f"livecareer-{row['id']}", row["text"]))
    return out


def records() -> list[dict]:
    model = load()
    rows = []
    for item in items():
        result = next(model.iter_scores([item], explain=True))
        row = record_of(result, "")
        row["explanation"] = asdict(result.explanation) if result.explanation else None
        if result.status == "ok":
            row["extraction"] = model.extractor.extract(
                item if isinstance(item, Path) else item[1]).to_dict()
        rows.append(_canonical(json.loads(json.dumps(row, ensure_ascii=False))))
    batched = [record_of(r, "") for r in model.iter_scores(items(), batch_size=16)]
    for row, other in zip(rows, batched, strict=True):
        row["batched_equal"] = all(row[k] == other[k] for k in other)
    return rows


def _canonical(row: dict) -> dict:
    """Skills found twice at one place (by the lower-case and the exact matcher) came out in
    set order before they were sorted by source too: compare them in a fixed order."""
    skills = row.get("extraction", {}).get("skills")
    if skills:
        skills.sort(key=lambda s: (s["start"], s["end"], s["id"], s["source"]))
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--check", type=Path)
    args = parser.parse_args()
    rows = records()
    if args.save:
        args.save.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                             encoding="utf-8")
        print(f"saved {len(rows)} records to {args.save}")
        return 0
    before = [_canonical(json.loads(x))
              for x in args.check.read_text(encoding="utf-8").splitlines()]
    changed = [b["id"] for b, a in zip(before, rows, strict=False) if a != b]
    if len(before) != len(rows):
        print(f"record count changed: {len(before)} -> {len(rows)}")
    for identifier in changed[:20]:
        print(f"changed: {identifier}")
    print(f"{len(rows)} records, {len(changed)} changed")
    return 1 if changed or len(before) != len(rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
