"""STUB (owner: batch/eval helper) — `marsad eval`, `marsad bench`."""


def eval_command(gold_dir: str) -> None:
    """Score predictions against gold."""
    raise NotImplementedError


def bench_command() -> None:
    """Benchmark the pipeline."""
    raise NotImplementedError
