"""Military units written as head noun + number (+ modifiers), found by pattern.

The corpora the tagger learnt from are general news and Wikipedia, where numbered units
("اللواء 47 الميكانيكي") are rare; conflict news is full of them. The pattern lives in
``marsad/data/ner/units.yaml``; its matches are ORG mentions with the tagger's origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from marsad.ner.features import split_clitics, trigger_words
from marsad.text.normalize import normalize

_HEAD_CLITICS = "وفبل"


@dataclass(frozen=True)
class UnitPattern:
    heads: frozenset[str]
    ordinals: frozenset[str]
    stop: frozenset[str]
    max_modifiers: int
    confidence: float
    head_forms: frozenset[str]  # every word that starts a unit: a head, bare or after one clitic


@lru_cache(maxsize=1)
def unit_pattern() -> UnitPattern:
    """Return the unit pattern of ``units.yaml``, normalised."""
    spec = yaml.safe_load(resources.files("marsad.data.ner").joinpath("units.yaml").read_text("utf-8"))
    norm = lambda key: frozenset(normalize(w) for w in spec[key])  # noqa: E731
    heads = norm("heads")
    return UnitPattern(heads, norm("ordinals"), norm("stop"), int(spec["max_modifiers"]),
                       float(spec["confidence"]), heads | {c + h for c in _HEAD_CLITICS for h in heads})


def _is_title(word: str, triggers: dict[str, str]) -> bool:
    """True for a rank or title (العقيد): it starts a person's name, not a unit's modifier."""
    classes = triggers.get(word) or triggers.get(split_clitics(word)[1]) or ""
    return "per_title" in classes


def find_units(words: list[str]) -> list[tuple[int, int]]:
    """Return ``(start, end)`` word ranges of numbered units in a sentence of normalised words."""
    p = unit_pattern()
    heads = p.head_forms
    if heads.isdisjoint(words):
        return []
    triggers = trigger_words()
    out: list[tuple[int, int]] = []
    i, n = 0, len(words)
    while i < n - 1:
        head = words[i]
        if head in heads:
            nxt = words[i + 1]
            if nxt.isdigit() or nxt in p.ordinals:
                j = i + 2
                while j < n and j - i - 2 < p.max_modifiers and words[j].startswith(("ال", "لل")) \
                        and words[j] not in p.stop and not _is_title(words[j], triggers):
                    j += 1
                out.append((i, j))
                i = j
                continue
        i += 1
    return out
