"""Pipeline stage adding the statistical tagger's mentions to the knowledge-base ones.

Each sentence's tokens are tagged by the shipped CRF; every predicted entity that overlaps no
mention already in ``doc.mentions`` (KB matches come first and win) is appended as
``Mention(origin="ner")``. KB names also constrain the decoding (``known_labels``), numbered
military units are added by pattern (``units``), and names tagged once are tagged where they
recur in the article (``model.propagate``: a surname alone after the full name, a repeated
place). Conjunction and preposition clitics (و ف ب ل ك) are left out of a span, the article ال
is kept: "وبالقدس" → "القدس".
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import attrgetter

from marsad.document import Document, Mention, Token
from marsad.ner.features import misc_heads, trigger_words
from marsad.ner.model import NerModel, load_model, propagate
from marsad.ner.units import find_units, unit_pattern
from marsad.pipeline import stage

_CREDIT_KINDS = frozenset(("credit", "dateline"))
MIN_CONFIDENCE = 0.5  # mentions below are dropped: +0.3 F1 on ANERcorp test, fewer stray words in articles
_ARTICLE = "ال"
_IS_DIGIT = attrgetter("is_digit")


def _norm_index(doc: Document, raw: int) -> int:
    """Return the index in ``doc.norm`` of the first normalised char at or after raw offset ``raw``."""
    return bisect_left(doc.norm_to_raw, raw)


def entity_start(doc: Document, tok: Token) -> int:
    """Return the raw start of an entity's first token without its conjunction/preposition clitics."""
    if not tok.prefixes:
        return tok.start
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


def known_labels(mentions: list[Mention], starts: list[int], ends: list[int], groups: list[tuple[int, int, bool]],
                 labels: list[str]) -> list[dict[int, tuple[str, ...]]]:
    """Return, per sentence group, the labels allowed at tokens covered by existing (KB) mentions.

    A KB name keeps its type and boundaries (B-/I- of its type; an adjectival mention such as
    الروسية is ``O``, as in the training corpora) and the token after it takes neither label of
    its type (two same-type names are not written back to back: "العراق الكولونيل" is no place),
    so the tagger decides the words around a known name, not the name itself. ``starts`` and
    ``ends`` are the raw offsets of the document's tokens.
    """
    out: list[dict[int, tuple[str, ...]]] = [{} for _ in groups]
    if not mentions:
        return out
    firsts = [a for a, _, _ in groups]
    by_type: dict[str, tuple[tuple[str], tuple[str], tuple[str, ...]]] = {}  # begin, inside, after
    for m in mentions:
        lo, hi = bisect_right(ends, m.start), bisect_left(starts, m.end)
        g = bisect_right(firsts, lo) - 1
        if lo >= hi or g < 0 or lo >= groups[g][1]:
            continue
        a, b = groups[g][0], groups[g][1]
        known = out[g]
        if m.adjectival:
            for k in range(lo, min(hi, b)):
                known[k - a] = ("O",)
            continue
        if m.type not in by_type:
            by_type[m.type] = (("B-" + m.type,), ("I-" + m.type,), tuple(x for x in labels if x[2:] != m.type))
        begin, inside, after = by_type[m.type]
        known[lo - a] = begin
        for k in range(lo + 1, min(hi, b)):
            known[k - a] = inside
        if hi < b:  # no continuation, nor a same-type name glued on
            known.setdefault(hi - a, after)
    return out


def _forced(known: dict[int, tuple[str, ...]], k: int) -> bool:
    """True when position ``k`` lies inside a KB name (one allowed label), not just after one."""
    return len(known.get(k, ("", ""))) == 1


def attach_given_names(words: list[str], known: dict[int, tuple[str, ...]], tags: list[str],
                       conf: list[float]) -> None:
    """Extend a person leftwards over untagged first names in place (فيتالي + هورباتشينكو).

    After a place ("حاكم مقاطعة بولتافا فيتالي …") the tagger tends to start the person one
    word late; a listed given name right before a PER belongs to it.
    """
    if "B-PER" not in tags:
        return
    classes = trigger_words()
    for i in range(len(tags) - 2, -1, -1):
        if tags[i] == "O" and tags[i + 1] == "B-PER" and not _forced(known, i) \
                and "given_name" in classes.get(words[i], ""):
            tags[i], tags[i + 1] = "B-PER", "I-PER"
            conf[i] = conf[i + 1]


def mark_units(words: list[str], known: dict[int, tuple[str, ...]], tags: list[str], conf: list[float]) -> None:
    """Tag numbered military units (``units.find_units``) as ORG in place, unless a KB name is inside."""
    for a, b in find_units(words):
        if any(_forced(known, k) for k in range(a, b)):
            continue
        tags[a:b] = ["B-ORG"] + ["I-ORG"] * (b - a - 1)
        conf[a:b] = [unit_pattern().confidence] * (b - a)
        if b < len(tags) and tags[b].startswith("I-"):
            tags[b] = "B-" + tags[b][2:]


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
    norms = [t.norm for t in tokens]
    words = [norms[a:b] for a, b, _ in groups]
    allowed = known_labels(doc.mentions, starts, [t.end for t in tokens], groups, model.labels)
    tagged = propagate(words, model.tag_many(words, with_confidence=True, allowed=allowed), allowed)
    for sent_words, known, (tags, conf) in zip(words, allowed, tagged):
        attach_given_names(sent_words, known, tags, conf)
        mark_units(sent_words, known, tags, conf)
    found: list[Mention] = []
    for (a, b, credit), (tags, conf) in zip(groups, tagged):
        found.extend(_mentions(doc, tokens[a:b], tags, conf, credit))
    return found


def _mentions(doc: Document, sent: list[Token], tags: list[str], conf: list[float], credit: bool) -> list[Mention]:
    """Return the mentions of one tagged sentence, trimmed of edge punctuation; bare numbers and
    mentions under ``MIN_CONFIDENCE`` dropped."""
    out: list[Mention] = []
    n = len(tags)
    named = [k for k, t in enumerate(tags) if t != "O"]
    k = 0
    while k < len(named):
        i = named[k]
        typ = tags[i][2:]
        inside = "I-" + typ
        j = i + 1
        while j < n and tags[j] == inside:
            j += 1
        k += j - i  # the words of this entity are the next j - i entries of ``named``
        lo, hi = i, j
        while lo < hi and sent[lo].is_punct:
            lo += 1
        while hi > lo and sent[hi - 1].is_punct:
            hi -= 1
        c = sum(conf[lo:hi]) / (hi - lo) if hi > lo else 0.0
        if c >= MIN_CONFIDENCE and not all(map(_IS_DIGIT, sent[lo:hi])) and not _names_a_thing(sent, lo):
            out.append(Mention(
                start=entity_start(doc, sent[lo]), end=sent[hi - 1].end, type=typ,  # type: ignore[arg-type]
                origin="ner", in_credit=credit, confidence=round(c, 3),
            ))
    return out


_OPENING_QUOTES = frozenset("“«\"'‘")


def _names_a_thing(sent: list[Token], lo: int) -> bool:
    """Whether the name at ``sent[lo]`` is a weapon's, ship's or operation's: it starts with a
    ``misc_heads`` noun ("صواريخ كروز"), or one comes right before it, past "من" ("من طراز باتريوت")
    or before a quotation opened at most two words earlier ("السفينة “إم في بروبيل فورتون”")."""
    heads = misc_heads()
    if sent[lo].stem in heads or sent[lo].norm in heads:
        return True
    k = lo - 1
    for q in range(lo - 1, max(-1, lo - 4), -1):
        if sent[q].is_punct and sent[q].norm in _OPENING_QUOTES:
            k = q - 1
            break
    while k >= 0 and (sent[k].is_punct or sent[k].norm == "من"):
        k -= 1
    return k >= 0 and (sent[k].stem in heads or sent[k].norm in heads)


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
