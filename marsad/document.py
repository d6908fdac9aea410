"""The typed document that flows through the pipeline.

Every annotation is a light slotted dataclass holding ``start``/``end`` character offsets
into the **raw** article text (never into a normalised copy). Stages fill the lists below;
each stage declares which attributes it needs and which it adds (see ``pipeline.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

SentenceKind = Literal["headline", "body", "caption", "credit", "dateline", "boilerplate"]
EntityType = Literal["PER", "ORG", "LOC"]


@dataclass(slots=True)
class ArticleMeta:
    """Metadata that travels with an article (sidecar ``NAME.meta.json`` or JSONL fields)."""

    id: str = "article"
    published: date | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None


@dataclass(slots=True)
class Sentence:
    """A sentence (or headline, caption, credit line) of the raw text."""

    start: int
    end: int
    kind: SentenceKind = "body"
    paragraph: int = 0


@dataclass(slots=True)
class Quotation:
    """Text between quotation marks. ``start``/``end`` exclude the marks themselves."""

    start: int
    end: int
    open_mark: str
    close_mark: str


@dataclass(slots=True)
class Token:
    """A whitespace/punctuation token with its clitics split off.

    ``norm`` is the normalised form of the whole token; ``stem``/``stem_start``/``stem_end``
    the token without proclitics (و ف ب ل ك ال س) and pronoun suffixes, with raw offsets.
    """

    start: int
    end: int
    norm: str
    stem: str
    stem_start: int
    stem_end: int
    prefixes: tuple[str, ...] = ()
    suffix: str = ""
    is_punct: bool = False
    is_latin: bool = False
    is_digit: bool = False


@dataclass(slots=True)
class NumberMention:
    """A count written in digits or words. ``value`` is None for vague magnitudes (عشرات)."""

    start: int
    end: int
    value: int | None
    qualifier: str = "exact"  # exact|approx|at_least|more_than|up_to|less_than
    qualifier_start: int | None = None
    vague: bool = False
    counted_noun: str | None = None  # normalised noun that follows the number, if any
    implicit: bool = False  # a singular/dual noun read as 1/2 (جرح شخص، صاروخين)


@dataclass(slots=True)
class DateMention:
    """A date expression resolved against ``published`` (value None when unanchored)."""

    start: int
    end: int
    value: date | None
    kind: str = "absolute"  # absolute|relative|weekday|month_day
    overnight: bool = False  # "الليلة الماضية" / "خلال الليل": dated to the morning it ended


@dataclass(slots=True)
class Mention:
    """A named-entity mention, from the knowledge base or the NER model."""

    start: int
    end: int
    type: EntityType
    entity_id: str | None = None  # canonical KB id, or a minted id for a new entity
    name: str | None = None  # canonical English name
    origin: str = "kb"  # kb|ner|title
    adjectival: bool = False  # الروسي، الأمريكية: mentioned only through an adjective
    in_credit: bool = False  # inside a caption credit / photo credit line / dateline
    confidence: float = 1.0


@dataclass(slots=True)
class Warning_:
    """Something the reader of a report should know (caption, unattributed figure, …)."""

    code: str
    message: str
    start: int | None = None
    end: int | None = None


@dataclass
class Document:
    """One article and everything the stages have found in it."""

    text: str
    meta: ArticleMeta = field(default_factory=ArticleMeta)
    # normalise
    norm: str = ""
    norm_to_raw: list[int] = field(default_factory=list)
    # segment
    sentences: list[Sentence] = field(default_factory=list)
    quotations: list[Quotation] = field(default_factory=list)
    # tokenize
    tokens: list[Token] = field(default_factory=list)
    # numbers / dates
    numbers: list[NumberMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    # entities
    mentions: list[Mention] = field(default_factory=list)
    # extraction results (schema objects, see marsad.schema)
    attacks: list = field(default_factory=list)
    diplomacy: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    entities: list = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def raw_span(self, norm_start: int, norm_end: int) -> tuple[int, int]:
        """Map a span of ``norm`` back to the raw text."""
        if norm_end <= norm_start:
            pos = self.norm_to_raw[norm_start] if norm_start < len(self.norm_to_raw) else len(self.text)
            return pos, pos
        return self.norm_to_raw[norm_start], self.norm_to_raw[norm_end - 1] + 1

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing raw ``offset`` (binary search; sentences are sorted)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid - 1
            elif offset >= s.end:
                lo = mid + 1
            else:
                return s
        return None
