"""`marsad train ner`: retrain the shipped Arabic NER model from the shared corpora."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

train_app = typer.Typer(help="Train models shipped in the package.", no_args_is_help=True)


def _split(value: str, option: str) -> list[str]:
    from marsad.ner.corpora import CORPORA

    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in CORPORA]
    if unknown:
        raise typer.BadParameter(f"unknown corpus {unknown} in {option}; known: {', '.join(CORPORA)}")
    return names


@train_app.command("ner")
def train_ner(
    corpora: str = typer.Option("anercorp,aqmar", help="Comma-separated train splits to learn from."),
    gazetteer: str = typer.Option("anercorp,aqmar,wikiann", help="Corpora whose train entities feed the gazetteer features ('' for none)."),
    out: Path = typer.Option(None, help="Output folder (default: the package's marsad/ner/model)."),
    data_dir: Optional[Path] = typer.Option(None, help="Folder with the corpora (default $MARSAD_NER_DATA or ../shared/data/ner)."),
    algorithm: str = typer.Option("lbfgs", help="CRFsuite training algorithm: lbfgs, l2sgd, ap, pa, arow."),
    c1: float = typer.Option(None, help="L1 penalty (lbfgs)."),
    c2: float = typer.Option(None, help="L2 penalty (lbfgs, l2sgd)."),
    max_iterations: int = typer.Option(None, help="Training iterations."),
    seed: int = typer.Option(13, help="Random seed."),
) -> None:
    """Train the Arabic NER model and write weights, model card and score floors."""
    from marsad.ner.evaluate import format_report
    from marsad.ner.model import MODEL_DIR
    from marsad.ner.train import Settings, train

    s = Settings(train_corpora=_split(corpora, "--corpora"), gazetteer_corpora=_split(gazetteer, "--gazetteer"),
                 algorithm=algorithm, seed=seed)
    if not s.train_corpora:
        raise typer.BadParameter("--corpora names no corpus")
    if algorithm not in ("lbfgs", "l2sgd", "ap", "pa", "arow"):
        raise typer.BadParameter(f"unknown --algorithm {algorithm!r}")
    for name, value in (("c1", c1), ("c2", c2), ("max_iterations", max_iterations)):
        if value is not None:
            setattr(s, name, value)
    info = train(s, out or MODEL_DIR, data_dir, log=typer.echo)
    typer.echo(format_report(info["scores"]))
