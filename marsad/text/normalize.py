"""Offset-preserving Arabic normalisation.

The character map is data (``data/lexicons/charmap.json``): hamza/alef forms to bare alef,
ى/ی to ي, ة to ه, Persian letters to Arabic, Arabic-Indic and Persian digits to ASCII,
Arabic punctuation to ASCII, diacritics / tatweel / bidi marks dropped, Latin lower-cased.
Every normalised character remembers the raw offset it came from, so spans found on the
normalised text map back exactly to the raw text (``Document.raw_span``).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Callable

from marsad.document import Document
from marsad.pipeline import stage


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    spec = json.loads(resources.files("marsad.data.lexicons").joinpath("charmap.json").read_text("utf-8"))
    table = {ord(k): v for k, v in spec["map"].items()}
    if any(len(v) > 1 for v in table.values()):
        raise ValueError("charmap.json: every character must map to one character or to \"\"")
    if spec.get("lowercase_latin", True):
        for c in range(ord("A"), ord("Z") + 1):
            table[c] = chr(c + 32)
    return table


@lru_cache(maxsize=1)
def _dropped() -> re.Pattern[str]:
    """Runs of characters the map deletes (diacritics, tatweel, bidi marks)."""
    chars = "".join(chr(k) for k, v in _table().items() if v == "")
    return re.compile(f"[{re.escape(chars)}]+")


@lru_cache(maxsize=1)
def _rewriter() -> tuple[re.Pattern[str], Callable[[re.Match[str]], str]]:
    """The characters the map changes, and their replacement, for ``re.sub``.

    ``str.translate`` looks every character up in the map; on article-length text substituting only
    the few changed ones (ة، أ، ى، diacritics …) gives the same string about twice as fast."""
    changed = {chr(k): v for k, v in _table().items() if v != chr(k)}
    rx = re.compile(f"[{re.escape(''.join(changed))}]" if changed else "(?!)")
    return rx, lambda m: changed[m.group()]


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Return ``(normalised, offsets)`` where ``normalised[i]`` came from ``text[offsets[i]]``."""
    rx, replace = _rewriter()
    norm = rx.sub(replace, text)
    if len(norm) == len(text):  # the map is 1:1 except for deletions
        return norm, list(range(len(text)))
    offsets: list[int] = []
    prev = 0
    for m in _dropped().finditer(text):
        offsets.extend(range(prev, m.start()))
        prev = m.end()
    offsets.extend(range(prev, len(text)))
    return norm, offsets


def raw_bounds(doc: Document, ns: int, ne: int) -> tuple[int, int]:
    """Map norm span ``[ns, ne)`` to raw offsets, keeping deleted marks (tanween, tatweel) at its end.

    Unlike ``Document.raw_span`` the end runs up to the raw position of the next normalised
    character, so ``شخصٌ`` keeps its final diacritic and ``بـ`` its tatweel.
    """
    n2r = doc.norm_to_raw
    if ne <= ns:
        pos = n2r[ns] if ns < len(n2r) else len(doc.text)
        return pos, pos
    end = n2r[ne] if ne < len(n2r) else len(doc.text)
    return n2r[ns], end


def alternation(phrases) -> str:
    """Regex (no groups) matching any of ``phrases`` after normalisation, as a prefix trie.

    Python's ``re`` tries alternatives one by one; factoring common prefixes (حوالي/حول …)
    makes big lexicon alternations cheap. A space inside a phrase matches any whitespace run.
    """
    trie: dict = {}
    for p in phrases:
        words = normalize(p).split()
        if not words:
            continue
        node = trie
        for ch in " ".join(words):
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie) if trie else "(?!)"


def _trie_regex(node: dict) -> str:
    ends = "" in node
    branches = [(r"\s+" if ch == " " else re.escape(ch)) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        body = f"(?:{body})?" if len(branches) == 1 else body + "?"
    return body


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Normalise a string (lexicon entries, queries) the same way article text is."""
    return text.translate(_table())


@stage("normalize", requires=["text"], assigns=["norm", "norm_to_raw"])
def normalize_stage(doc: Document) -> None:
    doc.norm, doc.norm_to_raw = normalize_with_offsets(doc.text)
