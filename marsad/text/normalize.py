"""Offset-preserving Arabic normalisation.

The character map is data (``data/lexicons/charmap.json``): hamza/alef forms to bare alef,
ى/ی to ي, ة to ه, Persian letters to Arabic, Arabic-Indic and Persian digits to ASCII,
Arabic punctuation to ASCII, diacritics / tatweel / bidi marks dropped, Latin lower-cased.
Every normalised character remembers the raw offset it came from, so spans found on the
normalised text map back exactly to the raw text (``Document.raw_span``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from marsad.document import Document
from marsad.pipeline import stage


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    spec = json.loads(resources.files("marsad.data.lexicons").joinpath("charmap.json").read_text("utf-8"))
    table = {ord(k): v for k, v in spec["map"].items()}
    if spec.get("lowercase_latin", True):
        for c in range(ord("A"), ord("Z") + 1):
            table[c] = chr(c + 32)
    return table


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Return ``(normalised, offsets)`` where ``normalised[i]`` came from ``text[offsets[i]]``."""
    table = _table()
    if not any(ord(ch) in table for ch in text):
        return text, list(range(len(text)))
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        rep = table.get(ord(ch), ch)
        if rep:
            out.append(rep)
            offsets.append(i)
    return "".join(out), offsets


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Normalise a string (lexicon entries, queries) the same way article text is."""
    return text.translate(_table())


@stage("normalize", requires=["text"], assigns=["norm", "norm_to_raw"])
def normalize_stage(doc: Document) -> None:
    doc.norm, doc.norm_to_raw = normalize_with_offsets(doc.text)
