"""Hand-made articles and reports for the store tests (the extractors are tested elsewhere)."""

from __future__ import annotations

from datetime import date

from marsad.document import ArticleMeta
from marsad.io import ArticleInput
from marsad.schema import Attack, Diplomacy, Entity, Figure, Place, Quote, Report, Span

KYIV = Place(name="Kyiv", entity_id="Q1899", lat=50.45, lon=30.52, country="Ukraine")
LVIV = Place(name="Lviv", entity_id="Q36036", lat=49.84, lon=24.03, country="Ukraine")


def figure(fid: str, measure: str, value: int, sentence: str, *, weapon: str | None = None,
           qualifier: str = "exact", source: list[str] | None = None) -> Figure:
    """A figure whose span is the first occurrence of its value in ``sentence``."""
    start = max(sentence.find(str(value)), 0)
    return Figure(id=fid, measure=measure, weapon=weapon, value=value, qualifier=qualifier, source=source,
                  span=Span(start=start, end=start + len(str(value))), sentence=sentence,
                  sentence_span=Span(start=0, end=len(sentence)))


def article(aid: str, text: str, *, published: str | None = None, outlet: str | None = None,
            url: str | None = None) -> ArticleInput:
    meta = ArticleMeta(id=aid, published=date.fromisoformat(published) if published else None, url=url, outlet=outlet)
    return ArticleInput(id=aid, text=text, meta=meta, origin=f"{aid}.txt")


def attack_report(a: ArticleInput, *, date_: str | None, figures: list[Figure], places=(KYIV,),
                  weapons=("drone",), largest: bool = False, target: str = "Ukraine",
                  diplomacy: list[Diplomacy] = ()) -> Report:
    """A report with one Russian attack and the given figures."""
    attack = Attack(id="a1", date=date_, attacker="Russia", target=target, locations=[p.name for p in places],
                    places=list(places), weapons=list(weapons), claims=["largest"] if largest else [], figures=figures)
    ents = [Entity(id=p.entity_id or p.name, name=p.name, type="LOC", mentions=[p.name], lat=p.lat, lon=p.lon)
            for p in places]
    ents.append(Entity(id="Q7747", name="Vladimir Putin", type="PER", mentions=["بوتين"]))
    quote = Quote(id="q1", speaker=["Volodymyr Zelenskyy"], speaker_entity_id="Q3881", text="ليلة وحشية بلا نوم",
                  span=Span(start=0, end=5))
    return Report(id=a.id, published=a.meta.published.isoformat() if a.meta.published else None,
                  outlet=a.meta.outlet, url=a.meta.url, attacks=[attack], diplomacy=list(diplomacy),
                  quotes=[quote], entities=ents)


def call(did: str, a: str, b: str, status: str = "happened") -> Diplomacy:
    return Diplomacy(id=did, type="phone_call", participants=[a, b], status=status, span=Span(start=0, end=4),
                     sentence="أجرى الرئيسان اتصالا هاتفيا")
