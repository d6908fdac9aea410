"""STUB (owner: batch/eval helper) — `marsad extract` over files, directories, JSONL, stdin."""

import typer


def extract_command(inputs: list[str] = typer.Argument(..., help="files, directories or - for stdin")) -> None:
    """Extract reports from Arabic articles."""
    raise NotImplementedError
