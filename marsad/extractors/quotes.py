"""Direct quotes: speech inside quotation marks, with its speaker.

The quotation spans come from the segmenter (marks excluded, nested quotes merged). A quotation
is direct speech unless it names something: it follows a naming noun (صحيفة “…”, منصته "…",
طراز “…”), it is covered by an entity mention ("معهد دراسة الحرب"), or it is a short term no
speech cue governs (scare quotes). The speaker comes from the same attribution mechanism as
figure sources (``attribution.speaker_for_quotation``): a cue before the quotation, a cue right
after it, or the previous quotation's speaker for a continuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from marsad.document import Document, Quotation
from marsad.extractors.attribution import Source, governing_cue, speaker_for_quotation
from marsad.pipeline import stage
from marsad.schema import Quote, Span
from marsad.text.normalize import normalize

OPTIONAL_WORDS = 3  # spec: quotes of three words or fewer are optional
_SKIP_KINDS = frozenset(("credit", "boilerplate"))
_WORD = re.compile(r"\w+")
_NAME_COVERAGE = 0.6  # share of a quotation's letters inside entity mentions that makes it a name
_MAX_NAME_WORDS = 6


@dataclass(frozen=True)
class Lexicon:
    naming: re.Pattern
    medium: re.Pattern


def _last_word_pattern(patterns: list[str]) -> re.Pattern:
    parts = []
    for p in patterns:
        p = normalize(p)
        parts.append(p[:-1] if p.endswith("$") else p)
    # the word right before the opening mark, with optional proclitics (و ف ب ل ك ال)
    return re.compile(r"(?<!\w)[وف]?[بلك]?(?:ال)?(?:" + "|".join(parts) + r")\s*$")


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The compiled quotes lexicon (loaded once)."""
    raw = yaml.safe_load(resources.files("marsad.data.lexicons").joinpath("quotes.yaml").read_text("utf-8"))
    return Lexicon(naming=_last_word_pattern(raw["naming_nouns"]), medium=_last_word_pattern(raw["medium_prepositions"]))


def word_count(text: str) -> int:
    """Words of a quotation as the scorer counts them (normalised runs of letters/digits)."""
    return len(_WORD.findall(normalize(text)))


def _before(doc: Document, pos: int) -> str:
    """Normalised text of the (at most) 30 characters before raw ``pos``, without trailing quote marks."""
    return normalize(doc.text[max(0, pos - 30):pos]).rstrip(" “”«»\"'")


def is_name(doc: Document, q: Quotation) -> bool:
    """True when the quotation names something (a title, a platform, an entity) instead of quoting speech."""
    text = doc.text[q.start:q.end]
    words = word_count(text)
    if words == 0:
        return True
    lex = lexicon()
    before = _before(doc, q.start - 1)
    if words <= _MAX_NAME_WORDS and lex.naming.search(before):
        return True
    if words <= OPTIONAL_WORDS and lex.medium.search(before):
        return True
    if words <= _MAX_NAME_WORDS:
        covered = sum(max(0, min(m.end, q.end) - max(m.start, q.start)) for m in doc.mentions
                      if m.start < q.end and m.end > q.start and not m.adjectival)
        letters = sum(1 for ch in text if ch.isalnum())
        if letters and covered / max(1, len(text.strip())) >= _NAME_COVERAGE:
            return True
    return False


def extract_quotes(doc: Document) -> list[Quote]:
    """The direct quotes of an analysed document, in text order, with speakers."""
    out: list[Quote] = []
    previous: tuple[Quotation, Source | None] | None = None
    for q in sorted(doc.quotations, key=lambda q: q.start):
        sent = doc.sentence_at(q.start)
        if sent is not None and sent.kind in _SKIP_KINDS:
            continue
        if is_name(doc, q):
            continue
        raw = doc.text[q.start:q.end]
        lead = len(raw) - len(raw.lstrip())
        start, end = q.start + lead, q.start + len(raw.rstrip())
        cue = governing_cue(doc, q)
        speaker = speaker_for_quotation(doc, q, previous)
        words = word_count(raw)
        continued = previous is not None and speaker is not None and speaker is previous[1] and cue is None
        if cue is None and not continued and words <= OPTIONAL_WORDS:
            continue  # a scare-quoted term, not speech
        previous = (q, speaker)
        n = len(out) + 1
        out.append(Quote(
            id=f"{doc.meta.id}:q{n}",
            speaker=list(speaker.names) if speaker else None,
            speaker_entity_id=speaker.entity_id if speaker else None,
            speaker_span=Span(start=speaker.span.start, end=speaker.span.end) if speaker else None,
            text=doc.text[start:end],
            optional=words <= OPTIONAL_WORDS,
            span=Span(start=start, end=end),
        ))
    return out


@stage("quotes", requires=["sentences", "quotations", "mentions", "entities"], assigns=["quotes"])
def quotes_stage(doc: Document) -> None:
    doc.quotes = extract_quotes(doc)
