"""The report: what ``marsad extract`` returns.

Core field names and vocabularies are those of the gold format (``spec/gold-format.md``);
every item adds a stable ``id``, character ``span`` into the raw text and extra provenance.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Measure = Literal["launched", "intercepted", "lost", "hit", "killed", "injured", "missing", "displaced"]
Weapon = Literal[
    "drone", "missile", "ballistic_missile", "cruise_missile", "guided_bomb",
    "rocket", "artillery", "aircraft",
]
Qualifier = Literal["exact", "approx", "at_least", "more_than", "up_to", "less_than"]
DiplomacyType = Literal[
    "phone_call", "meeting", "sanction_threat", "sanctions", "aid_suspension",
    "aid_delivery", "ceasefire_proposal",
]
Status = Literal["happened", "planned", "refused"]


class Span(BaseModel):
    """Half-open character range ``[start, end)`` into the raw article text."""

    start: int
    end: int


class Place(BaseModel):
    name: str
    entity_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    span: Span | None = None


class Figure(BaseModel):
    id: str
    measure: Measure
    weapon: Weapon | None = None
    value: int
    qualifier: Qualifier = "exact"
    source: list[str] | None = None
    source_entity_id: str | None = None
    source_span: Span | None = None
    span: Span
    sentence: str
    sentence_span: Span
    in_quote: bool = False
    confidence: float = 1.0


class Attack(BaseModel):
    id: str
    date: str | None = None
    attacker: str | None = None
    target: str | None = None
    locations: list[str] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    weapons: list[Weapon] = Field(default_factory=list)
    claims: list[Literal["largest"]] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    spans: list[Span] = Field(default_factory=list)
    confidence: float = 1.0


class Diplomacy(BaseModel):
    id: str
    type: DiplomacyType
    participants: list[str]
    participant_ids: list[str | None] = Field(default_factory=list)
    status: Status = "happened"
    span: Span
    sentence: str


class Quote(BaseModel):
    id: str
    speaker: list[str] | None = None
    speaker_entity_id: str | None = None
    speaker_span: Span | None = None
    text: str
    optional: bool = False
    span: Span


class Entity(BaseModel):
    id: str
    name: str
    type: Literal["PER", "ORG", "LOC"]
    aliases: list[str] = Field(default_factory=list)
    mentions: list[str] = Field(default_factory=list)
    spans: list[Span] = Field(default_factory=list)
    optional: bool = False
    in_knowledge_base: bool = True
    transliteration: str | None = None
    lat: float | None = None
    lon: float | None = None
    role: str | None = None  # e.g. "credit" for photographers and agencies


class ReportWarning(BaseModel):
    code: str
    message: str
    span: Span | None = None


class Report(BaseModel):
    id: str
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    attacks: list[Attack] = Field(default_factory=list)
    diplomacy: list[Diplomacy] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    warnings: list[ReportWarning] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    marsad_version: str = ""
