"""STUB (owner: store helper) — ingest, events, event, reference, export."""

import typer

reference_app = typer.Typer(help="Reference records (e.g. Ukrainian Air Force counts).", no_args_is_help=True)


def ingest_command(inputs: list[str] = typer.Argument(None)) -> None:
    """Ingest articles into the store."""
    raise NotImplementedError


def events_command() -> None:
    """List linked events."""
    raise NotImplementedError


def event_command(event_id: str) -> None:
    """Show one event with every claim."""
    raise NotImplementedError


def export_command() -> None:
    """Export events."""
    raise NotImplementedError


@reference_app.command("load")
def reference_load(path: str) -> None:
    """Load reference records."""
    raise NotImplementedError
