"""Ordered stages over one ``Document``.

A stage is a function ``Document -> None`` that declares the document attributes it
``requires`` and those it ``assigns``; ``Pipeline`` checks the order before running anything,
so a mis-ordered pipeline fails at construction, not half-way through an article.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterable

from marsad.document import Document


@dataclass(frozen=True)
class Stage:
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    run: Callable[[Document], None]

    def __call__(self, doc: Document) -> None:
        self.run(doc)


def stage(name: str, requires: Iterable[str] = (), assigns: Iterable[str] = ()) -> Callable[[Callable[[Document], None]], Stage]:
    """Decorator turning ``fn(doc)`` into a declared ``Stage``."""

    def wrap(fn: Callable[[Document], None]) -> Stage:
        return Stage(name, tuple(requires), tuple(assigns), fn)

    return wrap


class PipelineOrderError(ValueError):
    pass


class Pipeline:
    """Runs stages in order, recording per-stage timings on the document."""

    def __init__(self, stages: list[Stage]):
        available = {"text", "meta"}
        for s in stages:
            missing = [r for r in s.requires if r not in available]
            if missing:
                raise PipelineOrderError(f"stage {s.name!r} needs {missing} which no earlier stage assigns")
            available.update(s.assigns)
        self.stages = stages

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, doc: Document) -> Document:
        for s in self.stages:
            t0 = time.perf_counter()
            s(doc)
            doc.timings[s.name] = (time.perf_counter() - t0) * 1000.0
        return doc


def default_stages(ner: bool = True) -> list[Stage]:
    """The standard extraction pipeline, in order (``ner=False`` leaves out the statistical tagger)."""
    from marsad.text.normalize import normalize_stage
    from marsad.text.segment import segment_stage
    from marsad.text.tokens import tokenize_stage
    from marsad.text.numbers import numbers_stage
    from marsad.text.dates import dates_stage
    from marsad.kb.gazetteer import kb_mentions_stage
    from marsad.ner.stage import ner_stage
    from marsad.kb.linking import entities_stage
    from marsad.extractors.quotes import quotes_stage
    from marsad.extractors.attacks import attacks_stage
    from marsad.extractors.diplomacy import diplomacy_stage

    return [
        normalize_stage, segment_stage, tokenize_stage, numbers_stage, dates_stage,
        kb_mentions_stage, *([ner_stage] if ner else []), entities_stage,
        quotes_stage, attacks_stage, diplomacy_stage,
    ]
