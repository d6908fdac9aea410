"""``marsad extract``: reports for files, directories, JSONL and stdin, one bad article never stopping the batch.

``extract_all`` is the library function (the command is a thin layer over it): it yields one
``BatchItem`` per input article or input problem, turning an exception raised by the pipeline on
one article into a reported problem.
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Optional

import typer

from marsad.io import DEFAULT_MAX_BYTES, ArticleInput, InputProblem, iter_articles, parse_published

if TYPE_CHECKING:
    from marsad.schema import Report


@dataclass(slots=True)
class BatchItem:
    """The outcome for one input: a report, or the problem that prevented one (never both)."""

    origin: str
    id: str | None = None
    report: Report | None = None
    problem: str | None = None
    warnings: list[str] = field(default_factory=list)


def extract_all(
    paths: Iterable[str | Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    overrides: dict | None = None,
) -> Iterator[BatchItem]:
    """Extract a report for every article of ``paths``; unreadable inputs and pipeline errors become problems.

    ``overrides`` (``published``/``url``/``outlet``/``title``) replace the metadata of every article read.
    """
    from marsad import extract_document

    for item in iter_articles(paths, max_bytes=max_bytes):
        if isinstance(item, InputProblem):
            yield BatchItem(origin=item.origin, problem=item.message)
            continue
        meta = replace(item.meta, **overrides) if overrides else item.meta
        try:
            report = extract_document(item.text, meta)
        except Exception as exc:  # one article's failure must not stop the batch
            yield BatchItem(origin=item.origin, id=item.id, warnings=item.warnings,
                            problem=f"extraction failed: {type(exc).__name__}: {exc}")
            continue
        yield BatchItem(origin=item.origin, id=item.id, report=report, warnings=item.warnings)


_UNSAFE = re.compile(r"[^\w.\-]+")


def report_filename(article_id: str, taken: set[str]) -> str:
    """A safe, unused ``NAME.json`` for ``article_id`` (path separators and odd characters replaced)."""
    base = _UNSAFE.sub("_", article_id).strip("._") or "article"
    name, n = f"{base}.json", 1
    while name in taken:
        n += 1
        name = f"{base}-{n}.json"
    taken.add(name)
    return name


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _overrides(inputs: list[str], published: str | None, url: str | None, outlet: str | None, title: str | None) -> dict:
    given = {k: v for k, v in (("url", url), ("outlet", outlet), ("title", title)) if v is not None}
    if published is not None:
        try:
            given["published"] = parse_published(published)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--published") from None
    if given and (len(inputs) != 1 or Path(inputs[0]).is_dir()):
        raise typer.BadParameter("metadata options apply to a single input file or -, not to several inputs or a directory",
                                 param_hint="--" + next(iter(given)))
    return given


def extract_command(
    inputs: list[str] = typer.Argument(..., help="article files (.txt, .jsonl), directories (searched recursively) or - for stdin"),
    json_output: bool = typer.Option(False, "--json", help="print the full report JSON (JSON lines for several articles)"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="write one NAME.json per article into this directory"),
    published: Optional[str] = typer.Option(None, help="publication date YYYY-MM-DD (single input): anchors relative dates"),
    url: Optional[str] = typer.Option(None, help="article URL (single input)"),
    outlet: Optional[str] = typer.Option(None, help="outlet name (single input)"),
    title: Optional[str] = typer.Option(None, help="article title (single input)"),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, help="largest article accepted, in bytes"),
) -> None:
    """Extract attacks, figures, diplomacy, quotes and entities from Arabic articles.

    Problems (unreadable files, failed articles) go to stderr with the input's name; the batch goes
    on and the exit code is 1 when anything failed.
    """
    overrides = _overrides(inputs, published, url, outlet, title)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    taken: set[str] = set()
    written = failed = 0
    pending: Report | None = None  # --json: held back to print one pretty object when it is the only one
    several = False
    for item in extract_all(inputs, max_bytes=max_bytes, overrides=overrides):
        for w in item.warnings:
            _err(f"{item.origin}: warning: {w}")
        if item.report is None:
            failed += 1
            _err(f"{item.origin}: {item.problem}")
            continue
        report = item.report
        if out is not None:
            name = report_filename(report.id, taken)
            (out / name).write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
            written += 1
        elif json_output:
            if pending is not None:
                several = True
                sys.stdout.write(pending.model_dump_json() + "\n")
            if several:
                sys.stdout.write(report.model_dump_json() + "\n")
                sys.stdout.flush()
                pending = None
            else:
                pending = report
        else:
            from marsad.render import render_report

            typer.echo(render_report(report, item.origin) + "\n")
    if pending is not None:
        typer.echo(pending.model_dump_json(indent=2))
    if out is not None:
        typer.echo(f"wrote {written} report{'s' * (written != 1)} to {out}/ in {time.perf_counter() - t0:.2f} s"
                   + (f"; {failed} input{'s' * (failed != 1)} failed (see above)" if failed else ""))
    if failed:
        if out is None:
            _err(f"marsad extract: {failed} input{'s' * (failed != 1)} failed")
        raise typer.Exit(code=1)
