"""rolefit's speed and memory benchmark: one command, a reproducible generated corpus.

    python benchmarks/run.py              # 10,000 résumés (about 25 minutes on 2 cores)
    python benchmarks/run.py --quick      # 1,000 résumés, a few minutes
    python benchmarks/run.py --n 3000 --output /tmp/results.md

Measures, on the same corpus in one run:
* end to end through the real `rolefit score` command (read → extract → score → write JSONL), in
  fresh processes: résumés/s per core, peak memory of the process tree, `--jobs 1` and `--jobs 2`;
* cold start: import and model load in a fresh process;
* in-process baselines on the same normalised texts: a bare `spacy.blank("en")` tokenizer pass
  (the floor any spaCy pipeline pays) and the extraction alone, with the ratios;
* a per-stage breakdown on a sample (where the time goes);
* PDF and DOCX text extraction alone, for our readers and the alternatives installed.

The full run writes `benchmarks/RESULTS.md`, `--quick` `benchmarks/RESULTS-quick.md`, other
sizes `<workdir>/RESULTS-<n>.md`, unless `--output` is given. `--cold-only` measures the cold
start alone."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import extractors  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


@dataclass
class Run:
    """One `rolefit score` command: what it scored, how long it took, how much memory."""

    label: str
    jobs: int
    n: int
    wall: float = 0.0  # whole command, including start-up and model load
    scoring: float = 0.0  # what the command reports: reading, scoring and writing
    peak_rss_mb: float = 0.0  # process tree: sum of PSS (shared pages split), sampled
    peak_single_mb: float = 0.0  # the largest single process (RSS)
    peak_rss_sum_mb: float = 0.0  # process tree: sum of RSS (counts shared pages twice)
    errors: int = 0

    @property
    def per_core(self) -> float:
        return self.n / self.scoring / self.jobs

    @property
    def rate(self) -> float:
        return self.n / self.scoring


@dataclass
class Report:
    machine: dict
    n: int
    words: dict
    runs: list[Run] = field(default_factory=list)
    cold: dict = field(default_factory=dict)
    baselines: dict = field(default_factory=dict)
    stages: list[tuple[str, float]] = field(default_factory=list)
    formats: list[dict] = field(default_factory=list)


def machine() -> dict:
    import psutil
    import spacy

    import rolefit

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
            else os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "os": platform.platform(), "python": platform.python_version(),
            "spacy": spacy.__version__, "rolefit": rolefit.__version__,
            "load_before": [round(x, 2) for x in os.getloadavg()]}


def _memory(proc) -> tuple[int, int]:
    """(PSS, RSS) of one process; PSS counts a page shared by n processes as 1/n (Linux)."""
    try:
        full = proc.memory_full_info()
        return getattr(full, "pss", full.rss), full.rss
    except (AttributeError, OSError):
        rss = proc.memory_info().rss
        return rss, rss


def watch(command: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess, float, float,
                                                   float, float]:
    """Run a command, sampling the memory of its whole process tree: peak sum of PSS, peak
    largest RSS and peak sum of RSS."""
    import psutil

    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    root = psutil.Process(process.pid)
    peak_pss = peak_single = peak_rss = 0
    while process.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            sizes = []
            for proc in tree:
                with contextlib.suppress(psutil.Error):
                    sizes.append(_memory(proc))
            peak_pss = max(peak_pss, sum(pss for pss, _ in sizes))
            peak_rss = max(peak_rss, sum(rss for _, rss in sizes))
            peak_single = max(peak_single, max((rss for _, rss in sizes), default=0))
        except psutil.Error:
            pass
        time.sleep(0.2)
    out, err = process.communicate()
    wall = time.perf_counter() - started
    result = subprocess.CompletedProcess(command, process.returncode, out, err)
    return result, wall, peak_pss / 2**20, peak_single / 2**20, peak_rss / 2**20


def score_run(label: str, inputs: list[Path], n: int, jobs: int, workdir: Path) -> Run:
    output = workdir / f"scored-{label}-j{jobs}.jsonl"
    command = [sys.executable, "-m", "rolefit", "score", *map(str, inputs), "-o", str(output),
               "--jobs", str(jobs), "--quiet"]
    result, wall, peak, single, rss_sum = watch(command, ROOT)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
    match = re.search(r"(\d+) scored, (\d+) error\(s\).* in ([\d.]+)s", result.stderr)
    if not match:
        raise SystemExit(f"unexpected summary from rolefit score: {result.stderr[-500:]}")
    lines = sum(1 for _ in output.open(encoding="utf-8"))
    if lines != n:
        raise SystemExit(f"{output} holds {lines} records, expected {n}")
    output.unlink()
    run = Run(label, jobs, n, wall=wall, scoring=float(match.group(3)), peak_rss_mb=peak,
              peak_single_mb=single, peak_rss_sum_mb=rss_sum, errors=int(match.group(2)))
    print(f"  {label} --jobs {jobs}: {run.rate:.1f} résumés/s ({run.per_core:.1f} per core), "
          f"peak memory {peak:.0f} MB PSS ({rss_sum:.0f} MB RSS summed, largest process "
          f"{single:.0f} MB), wall {wall:.1f}s",
          flush=True)
    return run


_COLD = ("import time; t = time.perf_counter(); import rolefit; m = rolefit.load(); "
         "print(time.perf_counter() - t)")


def cold_start(repeats: int = 3) -> dict:
    """Import + model load in a fresh interpreter (median of `repeats`), and the whole
    process (interpreter start-up included)."""
    inner, whole = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", _COLD], env=ENV, capture_output=True,
                                text=True, check=True)
        whole.append(time.perf_counter() - started)
        inner.append(float(result.stdout.strip().splitlines()[-1]))
    return {"import_and_load_s": statistics.median(inner),
            "process_s": statistics.median(whole)}


def timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def baselines(texts: list[str]) -> dict:
    """Tokenizer floor and extraction alone on the same texts, in this process."""
    import spacy

    from rolefit.scoring import load

    blank = spacy.blank("en")
    model = load()
    extractor = model.extractor
    list(extractor.nlp.pipe(texts[:8]))  # warm caches the first call would pay
    tokenizer = timed(lambda: [None for _ in blank.pipe(texts, batch_size=64)])

    def extract() -> None:
        for doc in extractor.nlp.pipe(texts, batch_size=8):
            extractor.from_doc(doc)

    extraction = timed(extract)
    return {"n": len(texts), "tokenizer_s": tokenizer, "extraction_s": extraction}


def stages(texts: list[str], raw: list[str]) -> list[tuple[str, float]]:
    """Milliseconds per résumé for each stage, on a sample, in pipeline order."""
    import spacy

    from rolefit import ingest
    from rolefit.batch import record_of
    from rolefit.scoring import load

    model = load()
    nlp = model.extractor.nlp
    out = [("bare spacy.blank('en') tokenizer",
            timed(lambda: list(spacy.blank("en").pipe(texts))))]
    out.append(("ingest: normalise text", timed(lambda: [ingest.from_text(t) for t in raw])))
    out.append(("redact: mask personal data",
                timed(lambda: [model.extractor.model_text(t) for t in texts])))
    docs: list = []
    out.append(("tokenizer", timed(lambda: docs.extend(nlp.make_doc(t) for t in texts))))
    for name, component in nlp.pipeline:
        if hasattr(component, "pipe"):
            out.append((name, timed(lambda c=component: docs.__setitem__(
                slice(None), list(c.pipe(docs, batch_size=8))))))
        else:
            out.append((name, timed(lambda c=component: [c(d) for d in docs])))
    extractions: list = []
    out.append(("Extraction from the Doc", timed(
        lambda: extractions.extend(model.extractor.from_doc(d) for d in docs))))
    results: list = []
    out.append(("features + role model", timed(lambda: results.extend(
        model.from_extractions(extractions, [str(i) for i in range(len(extractions))])))))
    out.append(("JSON record", timed(lambda: [json.dumps(record_of(r, ""), ensure_ascii=False)
                                              for r in results])))
    return [(label, 1000 * seconds / len(texts)) for label, seconds in out]


def run(n: int, workdir: Path, jobs: list[int], sample: int) -> Report:
    from rolefit import ingest

    workdir.mkdir(parents=True, exist_ok=True)
    folder = workdir / f"corpus-{n}"
    print(f"corpus: {n} résumés in {folder}", flush=True)
    specs = corpus.build(folder, n)
    words = [s.words for s in specs]
    report = Report(machine(), n, {"min": min(words), "median": statistics.median(words),
                                   "mean": round(statistics.mean(words)), "max": max(words)})
    counts = {fmt: sum(1 for s in specs if s.fmt == fmt) for fmt in corpus.FORMATS}
    print("cold start", flush=True)
    report.cold = cold_start()
    print(f"end to end ({counts})", flush=True)
    report.runs.append(score_run("text", [folder / "txt"], counts["txt"], 1, workdir))
    report.runs.append(score_run("pdf+docx", [folder / "pdf", folder / "docx"],
                                 counts["pdf"] + counts["docx"], 1, workdir))
    for j in jobs:
        if j > 1:
            report.runs.append(score_run("all", [folder], n, j, workdir))
    texts = [ingest.read_path(folder / "txt" / f"{s.name}.txt").text
             for s in specs if s.fmt == "txt"]
    print(f"baselines on the {len(texts)} normalised texts", flush=True)
    report.baselines = baselines(texts)
    print(f"stages on {min(sample, len(texts))} texts", flush=True)
    raw = [s.text for s in specs if s.fmt == "txt"][:sample]
    report.stages = stages(texts[:sample], raw)
    print("PDF and DOCX extraction", flush=True)
    report.formats = extractors.compare(folder, specs)
    report.machine["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return report


def render(report: Report, command: str) -> str:
    m, b = report.machine, report.baselines
    text_run = next(r for r in report.runs if r.label == "text")
    binary_run = next(r for r in report.runs if r.label == "pdf+docx")
    tokenizer_ms = 1000 * b["tokenizer_s"] / b["n"]
    extraction_ms = 1000 * b["extraction_s"] / b["n"]
    e2e_ms = 1000 / text_run.rate
    one_job = (text_run.n + binary_run.n) / (text_run.scoring + binary_run.scoring)
    lines = [
        "# rolefit benchmark results", "",
        f"Generated by `{command}`; rerun it to check. Figures from one run on a shared machine "
        "(other jobs ran beside it: see the load averages), so expect some noise.", "",
        "## Machine", "",
        f"- CPU: {m['cpu']}, {m['cores']} cores available; memory {m['memory_gb']} GB",
        f"- {m['os']}; Python {m['python']}, spaCy {m['spacy']}, rolefit {m['rolefit']}",
        f"- load average (1, 5, 15 min) before: {m['load_before']}, after: {m['load_after']}",
        "",
        "## Corpus", "",
        f"{report.n:,} generated résumés (`benchmarks/corpus.py`, seed 8, from the line banks in "
        f"`data/train/`): words min {report.words['min']}, median {report.words['median']:g}, "
        f"mean {report.words['mean']}, max {report.words['max']}; "
        f"{text_run.n:,} .txt, {binary_run.n:,} .pdf and .docx (half each).", "",
        "## End to end: `rolefit score DIR -o out.jsonl` (read → extract → score → write)", "",
        "| input | --jobs | résumés | résumés/s | per core | peak memory (PSS, process tree) | "
        "RSS summed | largest process (RSS) | wall incl. start-up |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report.runs:
        lines.append(f"| {r.label} | {r.jobs} | {r.n:,} | {r.rate:.1f} | {r.per_core:.1f} | "
                     f"{r.peak_rss_mb:.0f} MB | {r.peak_rss_sum_mb:.0f} MB | "
                     f"{r.peak_single_mb:.0f} MB | {r.wall:.0f} s |")
    all_runs = [r for r in report.runs if r.label == "all"]
    lines += ["", "Memory is sampled every 0.2 s. PSS splits pages shared by the forked "
              "`--jobs` workers between them, so the tree's sum is its real footprint; summed "
              "RSS "
              "counts shared pages once per process.", "",
              f"All {report.n:,} with `--jobs 1` (the text and PDF+DOCX runs together): "
              f"{one_job:.1f} résumés/s."]
    for r in all_runs:
        lines.append(f"With `--jobs {r.jobs}`: {r.rate:.1f} résumés/s, a speed-up of "
                     f"{r.rate / one_job:.2f}x on {m['cores']} cores.")
    cold = report.cold
    lines += [
        "", "## Cold start", "",
        f"`import rolefit; rolefit.load()` in a fresh process: "
        f"{cold['import_and_load_s']:.2f} s (median of 3); the whole process including "
        f"interpreter start-up: {cold['process_s']:.2f} s.", "",
        "## Baselines on the same texts (in process, normalised text of the .txt résumés)", "",
        "| pass | ms per résumé | résumés/s | vs tokenizer |", "|---|---|---|---|",
        f"| bare `spacy.blank(\"en\")` tokenizer | {tokenizer_ms:.1f} | {1000 / tokenizer_ms:.0f}"
        " | 1.0x |",
        f"| extraction alone (pipeline + Extraction) | {extraction_ms:.1f} | "
        f"{1000 / extraction_ms:.0f} | {extraction_ms / tokenizer_ms:.1f}x |",
        f"| end to end, `rolefit score`, text files, --jobs 1 | {e2e_ms:.1f} | "
        f"{text_run.rate:.0f} | {e2e_ms / tokenizer_ms:.1f}x |", "",
        f"End to end is {e2e_ms / extraction_ms:.2f}x the extraction alone.", "",
        "## Where the time goes (per stage, in process, on a sample)", "",
        "| stage | ms per résumé |", "|---|---|",
    ]
    lines += [f"| {label} | {ms:.2f} |" for label, ms in report.stages]
    lines += ["", "## PDF and DOCX text extraction alone", "",
              "Word recall: the share of the source text's words, in order, found in the "
              "extracted text (difflib matching blocks).", "",
              "| format | reader | files/s | ms per file | word recall |", "|---|---|---|---|---|"]
    for f in report.formats:
        lines.append(f"| {f['format']} | {f['reader']} | {f['rate']:.0f} | "
                     f"{1000 / f['rate']:.1f} | {f['recall']:.3f} |")
    targets = [
        ("end to end <= 1.5x the bare tokenizer pass (text input)",
         f"{e2e_ms / tokenizer_ms:.1f}x", e2e_ms / tokenizer_ms <= 1.5),
        (f"peak memory <= 400 MB for {report.n:,} résumés (PSS of the process tree)",
         ", ".join(f"--jobs {r.jobs} ({r.label}): {r.peak_rss_mb:.0f} MB" for r in report.runs),
         all(r.peak_rss_mb <= 400 for r in report.runs)),
        ("cold start (import + model load) <= 1.5 s", f"{cold['import_and_load_s']:.2f} s",
         cold["import_and_load_s"] <= 1.5),
    ]
    lines += ["", "## Targets (issue 8)", "", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {t} | {v} | {'yes' if ok else 'no'} |" for t, v, ok in targets]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="résumés in the corpus")
    parser.add_argument("--quick", action="store_true", help="1,000 résumés")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--sample", type=int, default=300, help="texts for the stage table")
    parser.add_argument("--workdir", type=Path, default=HERE / ".work")
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--cold-only", action="store_true",
                        help="only measure the cold start (5 fresh processes)")
    args = parser.parse_args()
    if args.cold_only:
        cold = cold_start(5)
        print(f"cold start: import + load {cold['import_and_load_s']:.2f} s (median of 5), "
              f"whole process {cold['process_s']:.2f} s; load average {os.getloadavg()}")
        return 0
    n = 1_000 if args.quick else args.n
    command = "python benchmarks/run.py" + (" --quick" if args.quick else
                                            "" if n == 10_000 else f" --n {n}")
    report = run(n, args.workdir, args.jobs, args.sample)
    text = render(report, command)
    output = args.output or (HERE / "RESULTS.md" if n == 10_000 else
                             HERE / "RESULTS-quick.md" if args.quick else
                             args.workdir / f"RESULTS-{n}.md")
    output.write_text(text, encoding="utf-8")
    (args.workdir / f"results-{n}.json").write_text(json.dumps(
        {"machine": report.machine, "runs": [r.__dict__ for r in report.runs],
         "cold": report.cold, "baselines": report.baselines, "stages": report.stages,
         "formats": report.formats}, indent=2), encoding="utf-8")
    print(text)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
