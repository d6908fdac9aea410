"""``marsad eval`` (score against gold; ``marsad eval ner`` for the NER model) and ``marsad bench``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer


def _eval_ner(corpora: list[str], json_output: bool) -> None:
    from marsad.ner.evaluate import evaluate_corpora, format_report

    try:
        result = evaluate_corpora(corpora or None)
    except (FileNotFoundError, KeyError, ValueError) as exc:
        typer.echo(f"marsad eval ner: {exc}", err=True)
        raise typer.Exit(code=2) from None
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2) if json_output else format_report(result))


def eval_command(
    paths: list[str] = typer.Argument(..., metavar="GOLD_DIR [PRED]",
                                      help="gold directory (NAME.txt + NAME.gold.json) and optionally predictions "
                                           "(a directory of NAME.json or a JSON-lines file); `ner [CORPUS…]` scores the NER model"),
    json_output: bool = typer.Option(False, "--json", help="print the scores as JSON (with the per-article breakdown)"),
    articles: bool = typer.Option(False, "--articles", "-a", help="also print F1 per article and layer"),
    errors: bool = typer.Option(False, "--errors", "-e", help="also list every miss, false positive and wrong attribute"),
    save: Optional[Path] = typer.Option(None, "--save", help="when extracting: also write each report to DIR/ID.json"),
) -> None:
    """Score reports against gold annotations (spec/gold-format.md matching rules).

    Without PRED the gold directory's texts are extracted first, with metadata from NAME.meta.json or the gold file's published/outlet/url fields.
    """
    if paths[0] == "ner" and not Path("ner").is_dir():
        _eval_ner(paths[1:], json_output)
        return
    if len(paths) > 2:
        raise typer.BadParameter(f"expected GOLD_DIR [PRED], got {len(paths)} paths", param_hint="GOLD_DIR [PRED]")
    from marsad.eval.evaluate import evaluate
    from marsad.eval.gold import EvalInputError
    from marsad.eval.score import format_table

    try:
        if save is not None and len(paths) == 2:
            raise typer.BadParameter("--save applies when extracting (no PRED given)", param_hint="--save")
        result = evaluate(paths[0], paths[1] if len(paths) == 2 else None, save=save)
    except EvalInputError as exc:
        typer.echo(f"marsad eval: {exc}", err=True)
        raise typer.Exit(code=2) from None
    if json_output:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(format_table(result, per_article=articles, errors=errors))


def bench_command(
    corpus: Optional[list[Path]] = typer.Option(None, "--corpus", help="directory of .txt articles (repeatable; default ../shared seeds + dev)"),
    runs: int = typer.Option(5, min=1, help="timed passes; the median is reported"),
    min_mb: float = typer.Option(2.0, "--min-mb", min=0.01, help="repeat the texts until the workload holds this many MB"),
    first_result: bool = typer.Option(True, "--first-result/--no-first-result", help="time `marsad extract` in a subprocess"),
    json_output: bool = typer.Option(False, "--json", help="print the numbers as JSON"),
) -> None:
    """Benchmark the full pipeline: articles/s, MB/s, memory, per-stage time, spaCy tokenizer ratio, first result."""
    from marsad.bench import format_bench, run_bench

    try:
        result = run_bench(list(corpus) if corpus else None, runs=runs, min_mb=min_mb, first_result=first_result)
    except FileNotFoundError as exc:
        typer.echo(f"marsad bench: {exc}", err=True)
        raise typer.Exit(code=2) from None
    typer.echo(json.dumps(result, indent=2) if json_output else format_bench(result))
