"""Pipeline stage adding the statistical tagger's mentions to the knowledge-base ones.

Each sentence's tokens are tagged by the shipped CRF; every predicted entity that overlaps no
mention already in ``doc.mentions`` (KB matches come first and win) is appended as
``Mention(origin="ner")``. Conjunction and preposition clitics (و ف ب ل ك) are left out of
the span, the article ال is kept: "وبالقدس" → "القدس".
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from marsad.document import Document, Mention, Token
from marsad.ner.model import NerModel, load_model
from marsad.pipeline import stage

_CREDIT_KINDS = frozenset(("credit", "dateline"))
_ARTICLE = "ال"


def _norm_index(doc: Document, raw: int) -> int:
    """Return the index in ``doc.norm`` of the first normalised char at or after raw offset ``raw``."""
    return bisect_left(doc.norm_to_raw, raw)


def entity_start(doc: Document, tok: Token) -> int:
    """Return the raw start of an entity's first token without its conjunction/preposition clitics."""
    clitics = [p for p in tok.prefixes if p != _ARTICLE]
    if not clitics:
        return tok.start
    skip = sum(len(p) for p in clitics)
    ni = _norm_index(doc, tok.start) + skip
    if _ARTICLE in tok.prefixes and not doc.norm.startswith(_ARTICLE, ni):
        return tok.stem_start  # ل + ال written لل: no raw span keeps the article, drop both
    if ni >= len(doc.norm_to_raw) or doc.norm_to_raw[ni] >= tok.end:
        return tok.start
    return doc.norm_to_raw[ni]


def _is_word(tok: Token) -> bool:
    return not tok.is_punct


def tag_document(doc: Document, model: NerModel) -> list[Mention]:
    """Return the model's mentions for every sentence of ``doc`` (before merging with KB ones)."""
    tokens = doc.tokens
    starts = [t.start for t in tokens]
    sentences = doc.sentences or []
    groups: list[tuple[int, int, bool]] = []
    if sentences:
        for s in sentences:
            a, b = bisect_left(starts, s.start), bisect_left(starts, s.end)
            if b > a:
                groups.append((a, b, s.kind in _CREDIT_KINDS))
    elif tokens:
        groups.append((0, len(tokens), False))
    found: list[Mention] = []
    tagged = model.tag_many([[t.norm for t in tokens[a:b]] for a, b, _ in groups], with_confidence=True)
    for (a, b, credit), (tags, conf) in zip(groups, tagged):
        sent = tokens[a:b]
        i, n = 0, len(tags)
        while i < n:
            if tags[i] == "O":
                i += 1
                continue
            typ = tags[i][2:]
            j = i + 1
            while j < n and tags[j] == "I-" + typ:
                j += 1
            lo, hi = i, j
            while lo < hi and not _is_word(sent[lo]):
                lo += 1
            while hi > lo and not _is_word(sent[hi - 1]):
                hi -= 1
            if hi > lo and any(not t.is_digit for t in sent[lo:hi]):
                found.append(Mention(
                    start=entity_start(doc, sent[lo]), end=sent[hi - 1].end, type=typ,  # type: ignore[arg-type]
                    origin="ner", in_credit=credit,
                    confidence=round(sum(conf[lo:hi]) / (hi - lo), 3),
                ))
            i = j
    return found


def merge_mentions(existing: list[Mention], new: list[Mention]) -> list[Mention]:
    """Return ``existing`` plus the ``new`` mentions overlapping none of them, sorted by start."""
    taken = sorted((m.start, m.end) for m in existing)
    t_starts = [s for s, _ in taken]
    max_end = 0
    prefix_max: list[int] = []
    for _, e in taken:
        max_end = max(max_end, e)
        prefix_max.append(max_end)
    kept = list(existing)
    for m in new:
        k = bisect_right(t_starts, m.end - 1)  # existing mentions starting before m ends
        if k and prefix_max[k - 1] > m.start:
            continue
        kept.append(m)
    kept.sort(key=lambda m: (m.start, -m.end))
    return kept


@stage("ner", requires=["tokens", "sentences", "mentions"], assigns=["mentions"])
def ner_stage(doc: Document) -> None:
    """Append the tagger's mentions that no knowledge-base mention already covers."""
    if not doc.tokens:
        return
    doc.mentions = merge_mentions(doc.mentions, tag_document(doc, load_model()))
