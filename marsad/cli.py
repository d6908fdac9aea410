"""The ``marsad`` command line: a thin layer over the library's functions.

Each command lives beside the library code it drives; this module only assembles them.
Heavy dependencies (SQLAlchemy, FastAPI, the NER model) are imported inside the commands,
so ``marsad extract`` starts fast.
"""

from __future__ import annotations

import typer

from marsad.batch import extract_command
from marsad.eval.commands import bench_command, eval_command
from marsad.ner.commands import train_app
from marsad.store.commands import event_command, events_command, export_command, ingest_command, reference_app
from marsad.web.commands import serve_command

app = typer.Typer(
    name="marsad",
    help="مرصد — source-attributed conflict-event records from Arabic news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.command("extract")(extract_command)
app.command("eval")(eval_command)
app.command("bench")(bench_command)
app.add_typer(train_app, name="train")
app.command("ingest")(ingest_command)
app.command("events")(events_command)
app.command("event")(event_command)
app.add_typer(reference_app, name="reference")
app.command("export")(export_command)
app.command("serve")(serve_command)

if __name__ == "__main__":
    app()
