"""The `rolefit` command line: parse, call the library, print."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from rolefit.errors import RolefitError
from rolefit.ingest.readers import Limits

_LIMITS = Limits()

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Score résumés for the assistant and secretary roles, with evidence.")
err = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)
out = Console()


def _progress(quiet: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeRemainingColumn(), console=err, disable=quiet or not err.is_terminal)


@app.command()
def score(
    inputs: Annotated[list[Path], typer.Argument(
        help="Résumé files or folders (recursive), or tables (.csv/.jsonl/.parquet) with "
             "--text-column.")],
    output: Annotated[Path | None, typer.Option(
        "-o", "--output",
        help="Write results here; .csv, .jsonl, .parquet or .html picks the format.")] = None,
    text_column: Annotated[str | None, typer.Option(
        help="Read table inputs: the column holding the résumé text.")] = None,
    id_column: Annotated[str | None, typer.Option(
        help="Table inputs: the column holding each résumé's id.")] = None,
    role: Annotated[str | None, typer.Option(help="Rank by this role's fit.")] = None,
    top: Annotated[int | None, typer.Option(help="Keep only the N best.")] = None,
    no_sort: Annotated[bool, typer.Option("--no-sort", help="Keep input order.")] = False,
    strict: Annotated[bool, typer.Option(help="Exit 1 if any document fails.")] = False,
    resume: Annotated[bool, typer.Option(
        help="Continue an interrupted run: skip inputs already scored (same path and content).")
    ] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1,
                                      help="Worker processes; results equal --jobs 1.")] = 1,
    scheduler: Annotated[str | None, typer.Option(
        help="Score on this Dask cluster (scheduler address, e.g. tcp://host:8786; needs "
             "rolefit[dask]); files must be readable at the same paths on the workers.")] = None,
    model_path: Annotated[Path | None, typer.Option("--model", help="Model folder.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    time_limit: Annotated[float, typer.Option(
        min=0, help="Seconds to read and score one document, 0 for none; a document over it "
                    "gets a timeout record and the batch goes on.")] = _LIMITS.max_seconds,
    max_bytes: Annotated[int, typer.Option(min=1, help="Largest file, in bytes.")
                         ] = _LIMITS.max_bytes,
    max_pages: Annotated[int, typer.Option(min=1, help="Most PDF pages.")] = _LIMITS.max_pages,
    max_chars: Annotated[int, typer.Option(min=1, help="Most extracted characters.")
                         ] = _LIMITS.max_chars,
    max_docx_bytes: Annotated[int, typer.Option(
        min=1, help="Largest unpacked size of a DOCX, in bytes.")] = _LIMITS.max_docx_uncompressed,
    max_docx_ratio: Annotated[float, typer.Option(
        min=1, help="Highest DOCX compression ratio (zip bombs).")] = _LIMITS.max_docx_ratio,
    any_language: Annotated[bool, typer.Option(
        "--any-language", help="Score text that does not read as English instead of "
                               "reporting it as unsupported_language.")] = False,
) -> None:
    """Score résumés for each role: a ranked, explained shortlist (one record per file)."""
    import time
    from collections import Counter

    from rolefit import batch
    from rolefit.outputs import WRITERS, rank_order
    from rolefit.scoring import load

    writer = None
    if output is not None:
        writer = WRITERS.get(output.suffix.lower())
        if writer is None:
            err.print(f"rolefit: cannot write {output.suffix or 'files without an extension'}; "
                      f"use one of {', '.join(WRITERS)}")
            raise typer.Exit(2)
        if not output.parent.is_dir():
            err.print(f"rolefit: cannot write {output}: folder {output.parent} does not exist")
            raise typer.Exit(2)
    try:
        items = _score_items(inputs, text_column, id_column)
    except (RolefitError, ValueError) as exc:
        err.print(f"rolefit: {exc}")
        raise typer.Exit(2) from None
    if not items:
        err.print("rolefit: no input files found")
        raise typer.Exit(2)
    if scheduler is not None and not _has_dask():
        err.print("rolefit: --scheduler needs Dask: pip install 'rolefit[dask]'")
        raise typer.Exit(2)
    model = _load(lambda: load(model_path))
    if role is not None and role not in model.roles:
        err.print(f"rolefit: unknown role {role!r}; choose one of {model.roles}")
        raise typer.Exit(2)
    limits = Limits(max_bytes=max_bytes, max_pages=max_pages, max_chars=max_chars,
                    max_docx_uncompressed=max_docx_bytes, max_docx_ratio=max_docx_ratio,
                    max_seconds=time_limit or None, english_only=not any_language)
    started = time.time()
    run = batch.BatchRun(output)
    with _progress(quiet) as progress:
        task = progress.add_task("scoring", total=len(items))
        try:
            records, skipped = batch.run_batch(
                model, items, run, resume=resume, n_process=jobs,
                on_result=lambda _record: progress.advance(task), limits=limits,
                scheduler=scheduler)
        except KeyboardInterrupt:
            err.print("rolefit: interrupted; rerun the same command with --resume to continue")
            raise typer.Exit(130) from None
        except ValueError as exc:
            err.print(f"rolefit: {exc}")
            raise typer.Exit(2) from None
        except OSError as exc:
            err.print(f"rolefit: cannot write {run.partial}: {exc.strerror}")
            raise typer.Exit(2) from None
    if skipped:
        err.print(f"resumed: {skipped} already scored, {len(items) - skipped} scored now")
    if not no_sort:
        records = records.select(rank_order(records.summaries, role))
    if top is not None:
        states = [s.status == "ok" for s in records.summaries]
        records = records.select([i for i, ok in enumerate(states) if ok][:top]
                                 + [i for i, ok in enumerate(states) if not ok])
    if writer is not None:
        texts = {item[0]: item[1] for item in items if isinstance(item, tuple)}
        if output.suffix.lower() == ".html":
            from rolefit.outputs.html import write_html

            writer = lambda recs, path: write_html(recs, path, texts)  # noqa: E731
        try:
            batch.finish(run, lambda path: writer(records, path))
        except OSError as exc:
            err.print(f"rolefit: cannot write {output}: {exc.strerror}")
            raise typer.Exit(2) from None
    else:
        _print_scores(records)
    errors = Counter(s.error_kind for s in records.summaries if s.status != "ok")
    elapsed = time.time() - started
    summary = f"{len(records) - sum(errors.values())} scored, {sum(errors.values())} error(s)"
    if errors:
        summary += " (" + ", ".join(f"{k}: {v}" for k, v in sorted(errors.items())) + ")"
    err.print(f"{summary} in {elapsed:.1f}s ({len(items) / max(elapsed, 1e-9):.1f} résumés/s)")
    if strict and errors:
        raise typer.Exit(1)


def _has_dask() -> bool:
    import importlib.util

    return importlib.util.find_spec("distributed") is not None


def _score_items(inputs: list[Path], text_column: str | None, id_column: str | None) -> list:
    """Files from files and folders, plus (id, text) rows from table inputs."""
    from rolefit.ingest.files import collect_paths
    from rolefit.ingest.tables import TABLE_SUFFIXES, read_table

    items: list = []
    for item in inputs:
        if item.suffix.lower() in TABLE_SUFFIXES and item.is_file() and text_column:
            items += read_table(item, text_column, id_column)
        elif item.suffix.lower() in {".parquet"} and not text_column:
            raise ValueError(f"{item} is a table: name its text column with --text-column")
        else:
            items += collect_paths([item])
    return items


def _print_scores(records: list[dict]) -> None:
    table = Table(title="rolefit shortlist")
    for column in ("#", "document", "best role", "assistant", "secretary", "criteria", "error"):
        table.add_column(column, overflow="fold")
    for rank, r in enumerate(records, start=1):
        if r["status"] == "ok":
            table.add_row(str(rank), Path(r["id"]).name, r["best_role"],
                          f"{r['assistant_fit']:.0f}", f"{r['secretary_fit']:.0f}",
                          " ".join(r["criteria"]), "")
        else:
            table.add_row("", Path(r["id"]).name, "", "", "", "", r["error"])
    out.print(table)


@app.command()
def report(
    results: Annotated[Path, typer.Argument(help="Scored results (.jsonl from rolefit score).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The .html page to write.")],
) -> None:
    """Turn scored JSONL results into the self-contained HTML shortlist."""
    from rolefit.outputs.html import write_html

    try:
        records = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()
                   if line.strip()]
    except (OSError, ValueError) as exc:
        err.print(f"rolefit: cannot read {results}: {exc}")
        raise typer.Exit(2) from None
    try:
        write_html(records, output)
    except OSError as exc:
        err.print(f"rolefit: cannot write {output}: {exc.strerror}")
        raise typer.Exit(2) from None
    err.print(f"wrote {output} ({len(records)} records)")


@app.command()
def explain(
    file: Annotated[Path, typer.Argument(help="One résumé file.")],
    model_path: Annotated[Path | None, typer.Option("--model", help="Model folder.")] = None,
) -> None:
    """Explain one résumé's scores: criteria met / weak / missing, reasons, what would change."""
    from rolefit.scoring import load

    model = _load(lambda: load(model_path))
    try:
        result = model.score(file)
    except RolefitError as exc:
        err.print(f"rolefit: {exc}")
        raise typer.Exit(1) from None
    out.print(f"[bold]{escape(file.name)}[/bold]: best role [bold]{result.best_role}[/bold] — "
              f"assistant fit {result.assistant_fit:.0f}, secretary fit {result.secretary_fit:.0f}")
    explanation = result.explanation
    for role in model.roles:
        table = Table(title=f"{role} criteria")
        for column in ("id", "criterion", "status", "evidence"):
            table.add_column(column, overflow="fold")
        for status in explanation.criteria:
            if status.role == role:
                table.add_row(status.criterion, status.title, status.status,
                              escape(" | ".join(f"“{q}”" for q in status.evidence[:2])))
        out.print(table)
        raised = [r for r in explanation.raised if r.role == role]
        lowered = [r for r in explanation.lowered if r.role == role]
        if raised:
            out.print("  raised most by: " + ", ".join(f"{r.factor} (+{r.effect:.2f})"
                                                         for r in raised))
        if lowered:
            out.print("  lowered most by: " + ", ".join(f"{r.factor} ({r.effect:.2f})"
                                                          for r in lowered))
        for s in [s for s in explanation.suggestions if s.role == role]:
            out.print(f"  evidence of {s.criterion} ({s.title}) would raise the {role} fit to "
                      f"{s.fit_if_evidenced:.0f} (+{s.gain:.0f})")


@app.command()
def extract(
    inputs: Annotated[list[Path], typer.Argument(help="Résumé files or folders (recursive).")],
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Write JSONL records here.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Extract duty, knowledge and skill evidence from résumés (one record per file)."""
    from rolefit.extract import default_extractor
    from rolefit.ingest.files import collect_paths

    paths = collect_paths(inputs)
    if not paths:
        err.print("rolefit: no input files found")
        raise typer.Exit(2)
    extractor = _load(default_extractor)
    records, errors = [], 0
    with _progress(quiet) as progress:
        task = progress.add_task("extracting", total=len(paths))
        for path in paths:
            try:
                result = extractor.extract(path)
                record = {"id": str(path), "status": "ok", "error": "",
                          **result.to_dict(include_text=False)}
            except RolefitError as exc:
                errors += 1
                record = {"id": str(path), "status": "error", "error": str(exc),
                          "error_kind": exc.kind}
            records.append(record)
            progress.advance(task)
    if output:
        try:
            with output.open("w", encoding="utf-8") as handle:
                for record in records:
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        except OSError as exc:
            err.print(f"rolefit: cannot write {output}: {exc.strerror}")
            raise typer.Exit(2) from None
    else:
        _print_extractions(records)
    err.print(f"{len(records) - errors} extracted, {errors} error(s)")


def _print_extractions(records: list[dict]) -> None:
    table = Table(title="rolefit extraction")
    for column in ("document", "criteria evidenced", "education", "years", "skills", "error"):
        table.add_column(column, overflow="fold")
    for r in records:
        if r["status"] == "ok":
            table.add_row(Path(r["id"]).name, " ".join(r["criteria_found"]),
                          r["education_level"] or "", f"{r['total_years']:g}",
                          str(len({s["id"] for s in r["skills"]})), "")
        else:
            table.add_row(Path(r["id"]).name, "", "", "", "", r["error"])
    out.print(table)


@app.command()
def redact(
    file: Annotated[Path, typer.Argument(help="One résumé file (PDF, DOCX, HTML, TXT).")],
    spans: Annotated[bool, typer.Option("--spans",
                                        help="Also list what was masked (on stderr).")] = False,
) -> None:
    """Print the résumé as the model sees it: personal data masked, same length."""
    from rolefit import ingest
    from rolefit.redact import redact as redact_text

    try:
        result = redact_text(ingest.read_path(file).text)
    except RolefitError as exc:
        err.print(f"rolefit: {exc}")
        raise typer.Exit(1) from None
    typer.echo(result.text, nl=not result.text.endswith("\n"))
    if spans:
        for span in result.spans:
            err.print(f"{span.start}-{span.end}\t{span.kind}")
    summary = ", ".join(f"{kind} {n}" for kind, n in sorted(result.kinds.items()))
    err.print(f"masked {len(result.spans)} span(s){': ' + summary if summary else ''}")


@app.command()
def audit(
    scores: Annotated[Path, typer.Argument(
        help="Scored results joined with demographic columns (.csv, .jsonl or .parquet).")],
    group: Annotated[list[str], typer.Option(
        "--group", "-g", help="A demographic column; repeat for more (and their intersection).")],
    threshold: Annotated[float | None, typer.Option(
        help="Selection: fits at or above this (0-100).")] = None,
    top: Annotated[int | None, typer.Option(help="Selection: the N best per role.")] = None,
    role: Annotated[list[str] | None, typer.Option(
        "--role", help="Audit only this role (repeatable); default: every <role>_fit column.")
    ] = None,
    min_share: Annotated[float, typer.Option(
        help="Exclude categories under this share of the rows from impact ratios.")] = 0.02,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Also write one row per role and category: .csv or .json.")
    ] = None,
) -> None:
    """Bias audit: scoring rate (above the median), selection rate and impact ratio per role,
    category and intersectional category; ratios under 0.8 are flagged."""
    from rolefit import audit as auditing

    if output is not None and output.suffix.lower() not in {".csv", ".json"}:
        err.print(f"rolefit: cannot write {output.suffix or 'files without an extension'}; "
                  "use .csv or .json")
        raise typer.Exit(2)
    try:
        frame = auditing.read_scores(scores)
        report = auditing.audit(frame, group, role or None, threshold, top, min_share)
    except (OSError, ValueError) as exc:
        err.print(f"rolefit: {exc}")
        raise typer.Exit(2) from None
    _print_audit(report)
    if output is not None:
        try:
            auditing.write(report, output)
        except OSError as exc:
            err.print(f"rolefit: cannot write {output}: {exc.strerror}")
            raise typer.Exit(2) from None
        err.print(f"wrote {output} ({len(report.rows)} rows)")


def _print_audit(report) -> None:
    def number(value, digits: int = 2) -> str:
        return "" if value is None else f"{value:.{digits}f}"

    selection = report.threshold is not None or report.top is not None
    for role in report.medians:
        table = Table(title=f"{role}: median fit {report.medians[role]:.1f}")
        columns = ["category", "count", "share", "scoring rate", "impact ratio"]
        columns += ["selection rate", "selection IR"] if selection else []
        for column in columns + ["flag"]:
            table.add_column(column, overflow="fold")
        for row in (r for r in report.rows if r.role == role):
            flags = [name for name, on in (("scoring", row.flag),
                                           ("selection", row.selection_flag)) if on]
            note = {"excluded": f"excluded (<{report.min_share:.0%})", "missing": "missing value"}
            cells = [escape(row.category), str(row.count), f"{row.share:.1%}",
                     number(row.scoring_rate), number(row.impact_ratio)]
            cells += [number(row.selection_rate), number(row.selection_impact_ratio)] \
                if selection else []
            label = " ".join(f"[bold red]{f} < 0.8[/]" for f in flags) or note.get(row.status, "")
            table.add_row(*cells, label)
        out.print(table)
    rule = (f"threshold {report.threshold:g}" if report.threshold is not None
            else f"top {report.top}" if report.top is not None else "no selection rule given")
    out.print(f"{report.scored} scored rows audited by {', '.join(report.groups)}; "
              f"{report.not_scored} row(s) without a fit left out; selection: {rule}. "
              "Scoring rate = share above the median fit; impact ratio = rate / highest rate "
              "among included categories.")
    for note in report.notes:
        out.print(note)


@app.command()
def counterfactual(
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Also write the figures as JSON.")] = None,
    model_path: Annotated[Path | None, typer.Option("--model", help="Model folder.")] = None,
    no_redact: Annotated[bool, typer.Option(
        "--no-redact", help="Score unmasked text, to see what masking prevents.")] = False,
) -> None:
    """Swap names, pronouns, ages and colleges in every development résumé and report how far
    each role's fit moves (the model card's counterfactual figures)."""
    from rolefit import fairness
    from rolefit.scoring import load

    model = _load(lambda: load(model_path))
    model.extractor.redact = not no_redact
    report = fairness.measure_dev(model)
    out.print(fairness.format_report(report), soft_wrap=True)
    if output:
        output.write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")


@app.command("eval-extract")
def eval_extract(
    dataset: Annotated[str, typer.Option(
        help="dev | paraphrases | real | real-dev | real-test")] = "dev",
    duty_model: Annotated[Path | None, typer.Option(
        "--duty-model", help="Another duty classifier folder (default: the shipped one).")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Also write the report as JSON.")] = None,
) -> None:
    """Per-criterion precision/recall of the extractor beside a keyword baseline."""
    from rolefit import evaluation

    try:
        report = evaluation.evaluate_extraction(dataset, duty_model=duty_model)
    except (RolefitError, FileNotFoundError, ValueError) as exc:
        err.print(f"rolefit: {exc}")
        raise typer.Exit(2) from None
    out.print(evaluation.format_extraction_report(report))
    if dataset == "real":
        report["annotator_agreement"] = evaluation.annotator_agreement()
        out.print("agreement of two independent labelling passes: "
                  + json.dumps(report["annotator_agreement"]))
    if output:
        output.write_text(json.dumps(report, indent=2), encoding="utf-8")


@app.command("train-extractor")
def train_extractor(
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Folder for the duty classifier.")] = None,
) -> None:
    """Retrain the learned duty classifier from data/train (fixed seed, reproducible)."""
    from rolefit.pipeline import train_duties

    metrics = train_duties.train_and_save(output)
    out.print(json.dumps(metrics, indent=2))


@app.command()
def train(
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Folder for the models (default models/).")
                      ] = None,
    refresh_generated: Annotated[bool, typer.Option(
        help="Regenerate data/train/generated.jsonl first.")] = False,
) -> None:
    """Rebuild the shipped models reproducibly from data/train (fixed seeds)."""
    from rolefit import training

    meta = training.train(output, refresh_generated=refresh_generated,
                          log=lambda m: err.print(m))
    out.print(f"model written to {output or 'models/'} (threshold {meta['threshold']:.3f}, "
              f"sha256 {meta['artefact_sha256'][:12]}…)")


@app.command()
def evaluate(
    labels: Annotated[str, typer.Argument(
        help="dev | dev2 | dev3 | dev4 | heldout | heldout2 | ... | heldout8 | "
             "real | real-dev | real-test | a CSV/JSONL file")],
    model_path: Annotated[Path | None, typer.Option("--model", help="Model folder.")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Also write the full report as JSON.")
                      ] = None,
) -> None:
    """Macro-F1, per-class report, confusion matrix, Spearman, Brier, calibration and trap
    accuracy of the model on a labelled set, beside keyword and title-only baselines."""
    from rolefit import model_evaluation
    from rolefit.scoring import load

    model = _load(lambda: load(model_path))
    try:
        items = model_evaluation.load_labelled(labels)
    except (FileNotFoundError, ValueError, KeyError) as exc:
        err.print(f"rolefit: {exc}")
        raise typer.Exit(2) from None
    report = model_evaluation.evaluate(model, items)
    out.print(model_evaluation.format_report(labels, report), soft_wrap=True)
    if output:
        output.write_text(json.dumps(report, indent=2), encoding="utf-8")


@app.command("model-card")
def model_card_command(
    model_path: Annotated[Path | None, typer.Option("--model", help="Model folder.")] = None,
) -> None:
    """Re-measure the model on the labelled sets and rewrite its MODEL_CARD.md."""
    from rolefit import model_card
    from rolefit.scoring import load

    model = _load(lambda: load(model_path))
    path = model_card.write(model.meta, model_card.measure(model),
                            model_path if model_path else None)
    out.print(f"wrote {path}")


def _load(factory):
    try:
        return factory()
    except RolefitError as exc:
        err.print(f"rolefit: {exc}")
        raise typer.Exit(2) from None
