"""STUB (owner: NER helper) — `marsad train ner`."""

import typer

train_app = typer.Typer(help="Train models shipped in the package.", no_args_is_help=True)


@train_app.command("ner")
def train_ner() -> None:
    """Train the Arabic NER model."""
    raise NotImplementedError
