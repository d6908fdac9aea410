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

    ``prefix`` must start with ``(?<!\\w)``, and no pattern may match the empty string. The scan
    looks, at each word start, for the literal words some match of a body must begin with (a
    trie of them, see ``literal_heads``), and only there tries the patterns themselves.
    """

    def __init__(self, prefix: str, bodies: Sequence[str]):
        if not prefix.startswith(WORD_START):
            raise ValueError(f"PatternSet prefix must start with {WORD_START}: {prefix!r}")
        self.patterns = [re.compile(prefix + b) for b in bodies]
        heads: set[str] = set()
        opaque: list[str] = []  # bodies without known literal heads take part as they are
        for b in bodies:
            found = literal_heads(b)
            if found is None:
                opaque.append(f"(?:{b})")
            else:
                heads |= found
        head = prefix[len(WORD_START):] + "(?:" + "|".join(([_trie(heads)] if heads else []) + opaque) + ")"
        self._at_start = re.compile(head)
        self._after_break = re.compile(r"\W(?=" + head + ")")  # a non-word character, then a word start

    def starts(self, text: str) -> list[int]:
        """Positions of ``text`` where one of the patterns may match (every one where one does)."""
        out = [0] if self._at_start.match(text) else []
        out += [m.end() for m in self._after_break.finditer(text)]
        return out

    def spans_each(self, text: str) -> list[list[tuple[int, int]]]:
        """``[[m.span() for m in p.finditer(text)] for p in self.patterns]``, from one scan."""
        out: list[list[tuple[int, int]]] = [[] for _ in self.patterns]
        ends = [0] * len(self.patterns)
        for pos in self.starts(text):
            for i, rx in enumerate(self.patterns):
                if pos >= ends[i] and (m := rx.match(text, pos)):
                    out[i].append(m.span())
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


_META = set("\\.^$*+?{}[]()|")


def literal_heads(regex: str) -> set[str] | None:
    """Non-empty literal strings, one of which starts every match of ``regex``; None when unknown.

    Understands top-level alternatives, a leading run of plain characters (and a plain class
    after it), a leading group (capturing or not) and an optional (``?``, ``*``) first character
    or group; anything else (classes, escapes, lookarounds, ``{m,n}`` starts) gives None.
    """
    heads: set[str] = set()
    for alt in _split_alternatives(regex):
        found = _alternative_heads(alt)
        if found is None:
            return None
        heads |= found
    return heads


def _alternative_heads(alt: str) -> set[str] | None:
    """``literal_heads`` of one alternative (no top-level ``|``)."""
    i = 0
    while i < len(alt) and alt[i] not in _META and not (i + 1 < len(alt) and alt[i + 1] in "?*{"):
        i += 1
    if i:
        chars = _plain_class(alt, i)
        return {alt[:i] + c for c in chars} if chars else {alt[:i]}
    if alt and alt[0] not in _META:
        item, options, after = None, {alt[0]}, 1
    else:
        inner = 3 if alt.startswith("(?:") else 1 if alt.startswith("(") and not alt.startswith("(?") else 0
        close = _group_end(alt, 0) if inner else None
        if close is None:
            return None
        item, after = alt[inner:close], close + 1
        if after == len(alt) or alt[after] not in "?*{":
            return literal_heads(item)
        options = _plain_alternatives(item)
    # an optional first item ("(?:ال)?تسليم"): it then what follows, or what follows alone
    if alt[after] not in "?*":
        return None
    lazy = after + 1 < len(alt) and alt[after + 1] in "?+"
    rest = _alternative_heads(alt[after + 1 + lazy:])
    if rest is None:
        return None
    if alt[after] == "?" and options is not None:
        return rest | {o + h for o in options for h in rest}
    first = options if options is not None else literal_heads(item)  # type: ignore[arg-type]
    return None if first is None else rest | first


def _plain_class(regex: str, at: int) -> str | None:
    """The characters of a plain class (``[حا]``: no ranges, escapes or negation) at ``at``
    that is not quantified, else None."""
    if not regex.startswith("[", at):
        return None
    end = regex.find("]", at)
    chars = regex[at + 1:end]
    if end < 0 or not chars or set(chars) & (_META | {"-", "^"}) or regex[end + 1:end + 2] in ("?", "*", "{", "+"):
        return None
    return chars


def _plain_alternatives(regex: str) -> set[str] | None:
    """The strings ``regex`` matches when it is an alternation of plain strings, else None."""
    alts = _split_alternatives(regex)
    return set(alts) if all(a and not (_META & set(a)) for a in alts) else None


def _structure(regex: str, start: int = 0):  # type: ignore[no-untyped-def]
    """Yield ``(index, char, depth)`` for the group brackets and ``|`` of ``regex`` from ``start``
    (escapes and character classes skipped); ``depth`` is the nesting after the character."""
    depth, i = 0, start
    while i < len(regex):
        ch = regex[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _class_end(regex, i)
        elif ch in "()|":
            depth += {"(": 1, ")": -1, "|": 0}[ch]
            yield i, ch, depth
        i += 1


def _split_alternatives(regex: str) -> list[str]:
    """``regex`` split at its top-level ``|``."""
    parts, start = [], 0
    for i, ch, depth in _structure(regex):
        if ch == "|" and depth == 0:
            parts.append(regex[start:i])
            start = i + 1
    parts.append(regex[start:])
    return parts


def _group_end(regex: str, open_at: int) -> int | None:
    """Index of the ``)`` closing the group opened at ``open_at``."""
    return next((i for i, ch, depth in _structure(regex, open_at) if ch == ")" and depth == 0), None)


def _class_end(regex: str, open_at: int) -> int:
    """Index of the ``]`` closing the character class opened at ``open_at``."""
    i = open_at + 1
    if i < len(regex) and regex[i] == "^":
        i += 1
    if i < len(regex) and regex[i] == "]":
        i += 1
    while i < len(regex) and regex[i] != "]":
        i += 2 if regex[i] == "\\" else 1
    return i


def _trie(words: set[str]) -> str:
    """A regex matching where one of ``words`` starts (a word that extends another adds nothing)."""
    tree: dict = {}
    for w in sorted(words, key=len):
        node = tree
        for ch in w:
            if node.get("") is True:
                break
            node = node.setdefault(ch, {})
        else:
            node.clear()
            node[""] = True

    def emit(node: dict) -> str:
        if node.get("") is True:
            return ""
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(tree)


class Prefiltered:
    """A pattern that need not start at a word start, tried only where one of the literal words
    its matches begin with occurs (``literal_heads``); ``search`` gives what ``re.search`` gives."""

    def __init__(self, regex: str):
        self.rx = re.compile(regex)
        heads = literal_heads(regex)
        self._heads = re.compile(_trie(heads)) if heads else None

    def search(self, text: str) -> re.Match | None:
        if self._heads is None:
            return self.rx.search(text)
        pos = 0
        while (head := self._heads.search(text, pos)) is not None:
            if m := self.rx.match(text, head.start()):
                return m
            pos = head.start() + 1
        return None


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
    return _words(doc)[0]


def word_starts(doc: Document) -> list[int]:
    """The starts of ``word_spans(doc)``."""
    return _words(doc)[1]


def _words(doc: Document) -> tuple[list[tuple[int, int]], list[int]]:
    cached = doc.__dict__.get("_norm_words")
    if cached is None or cached[0] is not doc.norm:
        spans = [m.span() for m in _WORD.finditer(doc.norm)]
        cached = doc.__dict__["_norm_words"] = (doc.norm, spans, [a for a, _ in spans])
    return cached[1], cached[2]
