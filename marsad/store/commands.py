"""``marsad ingest | events | event | reference load | export``: thin layers over the store's library.

Heavy imports (SQLAlchemy, trafilatura, rich) happen inside the commands so ``marsad extract``
starts fast. ``--db`` (or ``$MARSAD_DB``) names a SQLite file or a PostgreSQL URL.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

reference_app = typer.Typer(help="Reference records (e.g. Ukrainian Air Force counts).", no_args_is_help=True)

DbOption = typer.Option(None, "--db", help="SQLite file or PostgreSQL URL (default: $MARSAD_DB or marsad.db)")


def _open(db: Optional[str]):  # type: ignore[no-untyped-def]
    from marsad.store.db import StoreError, open_store

    try:
        return open_store(db)
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def ingest_command(
    inputs: Optional[list[str]] = typer.Argument(None, help="files (.txt .jsonl .html .xml), directories, or - for stdin"),
    feed: Optional[list[str]] = typer.Option(None, "--feed", help="RSS/Atom feed URL to fetch (repeatable)"),
    db: Optional[str] = DbOption,
    embed: bool = typer.Option(True, "--embed/--no-embed", help="use the multilingual embedding for borderline links"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar"),
) -> None:
    """Ingest articles into the store: extract, deduplicate, link into events. Exit 1 if any input failed."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from marsad.ingest import iter_sources
    from marsad.io import InputProblem
    from marsad.store.ingest import ingest, iter_results

    if not inputs and not feed:
        typer.echo("error: give files/directories to ingest or --feed URL", err=True)
        raise typer.Exit(2)
    store = _open(db)
    err = Console(stderr=True)
    progress = Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                        TimeElapsedColumn(), console=err, transient=True, disable=quiet or not err.is_terminal)
    with progress:
        task = progress.add_task("", total=None)

        def tick(result) -> None:  # type: ignore[no-untyped-def]
            name = result.origin if isinstance(result, InputProblem) else result.article_id
            progress.update(task, advance=1, description=name[-40:])

        summary = ingest(store, iter_sources(inputs or [], feeds=feed or []), embed=embed, on_result=tick)
    out = Console()
    table = Table(title=f"marsad ingest → {store.url.split('@')[-1]}")
    table.add_column("result")
    table.add_column("articles", justify="right")
    for status, n in iter_results(summary):
        table.add_row(status, str(n))
    table.add_row("problems", str(len(summary.problems)))
    table.add_row("events touched", str(len(summary.events)))
    out.print(table)
    if summary.problems:
        err.print(f"[red]{len(summary.problems)} input(s) failed:[/red]")
        for p in summary.problems:
            err.print(f"  {p.origin}: {p.message}", markup=False, highlight=False)
        raise typer.Exit(1)


def events_command(
    date_from: Optional[str] = typer.Option(None, "--from", help="first date (YYYY-MM-DD)"),
    date_to: Optional[str] = typer.Option(None, "--to", help="last date (YYYY-MM-DD)"),
    kind: Optional[str] = typer.Option(None, help="attack or diplomacy"),
    country: Optional[str] = typer.Option(None, help="target, attacker, participant or place country"),
    place: Optional[str] = typer.Option(None, help="a place hit (canonical name)"),
    weapon: Optional[str] = typer.Option(None, help="a weapon kind (drone, missile, …)"),
    limit: int = typer.Option(1000, help="at most this many events"),
    as_json: bool = typer.Option(False, "--json", help="JSON: one object per event with its article ids"),
    db: Optional[str] = DbOption,
) -> None:
    """List linked events, newest first, with their totals and conflicts."""
    from marsad.store import queries

    store = _open(db)
    try:
        events = queries.list_events(store, date_from=date_from, date_to=date_to, kind=kind, country=country,
                                     place=place, weapon=weapon, with_articles=True, limit=limit)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(events, ensure_ascii=False, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(events)} events")
    for col in ("event", "date", "kind", "what", "places", "launched", "intercepted", "killed", "injured", "articles", "conflicts"):
        table.add_column(col)
    for ev in events:
        what = (f"{ev['attacker'] or '?'} → {ev['target'] or '?'} {'/'.join(ev['weapons'] or [])}" if ev["kind"] == "attack"
                else f"{ev['type']}: {' · '.join(p if isinstance(p, str) else p[0] for p in ev['participants'] or [])}")
        table.add_row(ev["id"], ev["date"] or "—", ev["kind"], what, ", ".join(ev["locations"] or []),
                      *(str(ev[m] or "") for m in ("launched", "intercepted", "killed", "injured")),
                      str(ev["n_articles"]), str(ev["conflicts"] or ""))
    Console().print(table)


def event_command(
    event_id: str = typer.Argument(..., help="an event id from `marsad events`"),
    as_json: bool = typer.Option(False, "--json"),
    db: Optional[str] = DbOption,
) -> None:
    """Show one event: consensus, every claim with its outlet and sentence, conflicts, reference check."""
    from marsad.store import queries

    ev = queries.get_event(_open(db), event_id)
    if ev is None:
        typer.echo(f"error: no event {event_id!r}", err=True)
        raise typer.Exit(1)
    if as_json:
        typer.echo(json.dumps(ev, ensure_ascii=False, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    con = Console(soft_wrap=True)  # sentences stay whole (copyable, greppable)
    con.print(f"[bold]{ev['id']}[/bold]  {ev['kind']}  {ev['date'] or 'undated'}  "
              f"{ev.get('attacker') or ''} → {ev.get('target') or ''}  {', '.join(ev.get('locations') or [])}",
              highlight=False)
    for a in ev["articles"]:
        con.print(f"  article {a['id']}  {a['outlet'] or '?'}  {a['published'] or ''}  {a['title'] or ''}"
                  + (f"  (copy of {a['duplicate_of']})" if a.get("duplicate_of") else ""), highlight=False, markup=False)
    if ev["kind"] == "diplomacy":
        for r in ev["reports"]:
            con.print(f"  [{r['status']}] {r['outlet'] or '?'}: {r['sentence']}", highlight=False, markup=False)
        return
    con.print("[bold]claims[/bold] (✓ = the consensus of its measure)")
    chosen = {c["claim_id"] for c in ev["consensus"]}
    for c in ev["claims"]:
        mark = " ✓" if c["id"] in chosen else ""
        con.print(f"  {c['measure']} {c['weapon'] or ''} {c['qualifier']} {c['value']}{mark}  "
                  f"source: {', '.join(c['source'] or []) or 'unattributed'}  outlet: {c['outlet'] or '?'}  "
                  f"published: {c['published_at'] or c['published'] or '?'}  article: {c['article_id']}",
                  highlight=False, markup=False)
        if c["sentence"]:
            con.print(f"      «{c['sentence']}»", highlight=False, markup=False)
    for conflict in ev["conflicts"]:
        con.print(f"[yellow]{conflict['type']}[/yellow]: {conflict['values'][0]} ({conflict['outlets'][0]}) vs "
                  f"{conflict['values'][1]} ({conflict['outlets'][1]})", highlight=False)
    ref = ev.get("reference")
    if ref:
        con.print(f"reference records, night of {ref['night']} (matched by {ref['matched_by']}):", highlight=False)
        for c in ref["checks"]:
            verdict = "agrees" if c["agrees"] else ("differs, within its hedge" if c["within_qualifier"] else "DISAGREES")
            con.print(f"  {c['measure']} {c['weapon']}: article {c['qualifier']} {c['claimed']} vs record {c['record']} "
                      f"({'; '.join(c['models'])}) — {verdict}", highlight=False, markup=False)
    if ev.get("largest_check"):
        con.print(f"'largest' claim: {ev['largest_check']['status']} {json.dumps(ev['largest_check'], ensure_ascii=False)}",
                  highlight=False, markup=False)


def export_command(
    fmt: str = typer.Option("csv", "--format", help="csv (events + claims), jsonl or geojson"),
    out: Path = typer.Option(..., "--out", help="output file"),
    date_from: Optional[str] = typer.Option(None, "--from"),
    date_to: Optional[str] = typer.Option(None, "--to"),
    db: Optional[str] = DbOption,
) -> None:
    """Export events: ACLED-style CSV (+ OUT.claims.csv), JSONL, or GeoJSON points of places hit."""
    from marsad.store.export import export

    try:
        counts = export(_open(db), fmt, out, date_from=date_from, date_to=date_to)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"wrote {out} ({', '.join(f'{v} {k}' for k, v in counts.items())})")


@reference_app.command("load")
def reference_load(
    path: Path = typer.Argument(..., help="missile_attacks_daily.csv (Ukrainian Air Force format)"),
    db: Optional[str] = DbOption,
) -> None:
    """Load reference records; loading the same file again adds nothing."""
    from marsad.link.reference import ReferenceFormatError, load_air_force_csv

    if not path.is_file():
        typer.echo(f"error: {path}: no such file", err=True)
        raise typer.Exit(2)
    store = _open(db)
    try:
        with store.write() as conn:
            added, known, problems = load_air_force_csv(conn, path)
    except (ReferenceFormatError, UnicodeDecodeError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{path}: {added} records added, {known} already stored")
    for p in problems:
        print(p, file=sys.stderr)
