"""One-pass scanning for sets of word-start patterns, and per-document word spans.

The extractors match many lexicon patterns that all start at a word start after the same
optional proclitics (``prefix + body``). Running each pattern over a text costs one regex pass
per pattern; ``PatternSet`` instead finds, in one pass, every position where *some* pattern
matches (their union, with the shared prefix factored out), and tries the patterns only there.
The results are exactly those of the separate passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from marsad.document import Document

WORD_START = r"(?<!\w)"
_WORD = re.compile(r"\w+|[^\w\s]")


class PatternSet:
    """The patterns ``prefix + body`` for each body, scanned together.

    ``prefix`` must start with ``(?<!\\w)``, and no pattern may match the empty string.
    """

    def __init__(self, prefix: str, bodies: Sequence[str]):
        if not prefix.startswith(WORD_START):
            raise ValueError(f"PatternSet prefix must start with {WORD_START}: {prefix!r}")
        self.patterns = [re.compile(prefix + b) for b in bodies]
        union = "|".join(f"(?:{b})" for b in bodies)
        # a zero-width lookahead, so that finditer reports every start, overlapping or not
        self._starts = re.compile(WORD_START + "(?=" + prefix[len(WORD_START):] + "(?:" + union + "))")

    def starts(self, text: str) -> list[int]:
        """Every position of ``text`` where at least one of the patterns matches."""
        return [m.start() for m in self._starts.finditer(text)]

    def finditer_each(self, text: str) -> list[list[re.Match]]:
        """``[list(p.finditer(text)) for p in self.patterns]``, from one scan."""
        out: list[list[re.Match]] = [[] for _ in self.patterns]
        ends = [0] * len(self.patterns)
        for pos in self.starts(text):
            for i, rx in enumerate(self.patterns):
                if pos >= ends[i] and (m := rx.match(text, pos)):
                    out[i].append(m)
                    ends[i] = m.end()
        return out

    def matching(self, text: str) -> list[bool]:
        """``[bool(p.search(text)) for p in self.patterns]``, from one scan."""
        hit = [False] * len(self.patterns)
        for pos in self.starts(text):
            for i, rx in enumerate(self.patterns):
                if not hit[i] and rx.match(text, pos):
                    hit[i] = True
        return hit


def finditer_at(rx: re.Pattern, text: str, starts: Sequence[int]) -> Iterator[re.Match]:
    """``rx.finditer(text)`` when ``starts`` holds every position where ``rx`` can match
    (``rx`` must not match the empty string)."""
    end = 0
    for pos in starts:
        if pos >= end and (m := rx.match(text, pos)):
            yield m
            end = m.end()


def word_spans(doc: Document) -> list[tuple[int, int]]:
    """``(start, end)`` of every word and punctuation mark of ``doc.norm`` (computed once per text)."""
    cached = doc.__dict__.get("_norm_words")
    if cached is not None and cached[0] is doc.norm:
        return cached[1]
    spans = [m.span() for m in _WORD.finditer(doc.norm)]
    doc.__dict__["_norm_words"] = (doc.norm, spans)
    return spans
