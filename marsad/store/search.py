"""Arabic-aware full-text search terms, shared by SQLite FTS5 and PostgreSQL.

Text and queries are normalised (hamza forms, ى/ي, ة/ه, diacritics, digits) and each word is
indexed both as written and without its proclitics (و ف ب ك ل + ال), so a query for
"كييف" finds "وكييف" and "القوات" finds "وللقوات".
"""

from __future__ import annotations

import re
from functools import lru_cache

from marsad.text.normalize import normalize

_WORD = re.compile(r"\w+")
# Longest first: conjunction + preposition + article, down to a bare conjunction.
_PROCLITICS = ("وبال", "فبال", "وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
_ARABIC = re.compile(r"[\u0621-\u064a]")


@lru_cache(maxsize=1 << 16)
def core(word: str) -> str:
    """A normalised word without its proclitics (kept whole when too little would remain)."""
    if not _ARABIC.match(word):
        return word
    for p in _PROCLITICS:
        if word.startswith(p) and len(word) - len(p) >= 3:
            return word[len(p):]
    return word


def index_text(*parts: str | None) -> str:
    """The text indexed for search: normalised words plus their clitic-free cores."""
    return index_normalized(normalize(" ".join(p for p in parts if p)))


def index_normalized(norm: str) -> str:
    """``index_text`` of text already normalised (``normalize`` maps each character on its own)."""
    words = _WORD.findall(norm)
    extra = {c for w in set(words) if (c := core(w)) != w}
    return " ".join(words) + (" " + " ".join(sorted(extra)) if extra else "")


def query_terms(query: str) -> list[str]:
    """The clitic-free normalised terms of a user query (all must match)."""
    return [core(w) for w in _WORD.findall(normalize(query))]
