"""Realistic variants of annotated articles, for linking benchmarks and tests (generated in memory only).

Each *event instance* takes an annotated base article (text + gold attacks), moves it to a new
night and scales its counts (another night has other numbers); each instance is then reported
by one to five outlets, which reword it (drop sentences, add a dateline), publish it the same day
or the next, and sometimes report a count slightly differently (a conflicting claim). The gold
cluster of an article is its instance, so linking can be scored pairwise at any scale.
Nothing generated is written to the repository.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

from marsad.document import ArticleMeta
from marsad.io import ArticleInput
from marsad.schema import Attack, Diplomacy, Figure, Place, Report, Span

OUTLETS = ["صحيفة الأفق", "موقع النبأ", "وكالة الرصد", "قناة المدار", "جريدة الحدث", "شبكة الخبر", "منصة الشاهد"]
EVENTS_PER_DAY = 5
REST_DAYS = 2
START = date(2021, 1, 1)
_NUMBER = re.compile(r"\d+")
_SENTENCE = re.compile(r"(?<=[.!؟?])\s+|\n+")


@dataclass
class Base:
    id: str
    text: str
    attacks: list[dict]
    diplomacy: list[dict]


def load_bases(*dirs: Path) -> list[Base]:
    """Annotated articles (``NAME.txt`` + ``NAME.gold.json``) with at least one attack."""
    bases = []
    for d in dirs:
        for gold_path in sorted(Path(d).glob("*.gold.json")):
            gold = json.loads(gold_path.read_text("utf-8"))
            text_path = gold_path.with_name(gold_path.name[: -len(".gold.json")] + ".txt")
            if gold.get("attacks") and text_path.is_file():
                bases.append(Base(gold["id"], text_path.read_text("utf-8"), gold["attacks"], gold.get("diplomacy", [])))
    return bases


def _flat(name: str | list) -> str:
    return name if isinstance(name, str) else name[0]


def gold_report(gold: dict) -> Report:
    """A report holding a gold file's attacks and diplomacy (no spans: for linking without extraction)."""
    attacks = [
        Attack(id=f"a{i}", date=g["date"], attacker=g["attacker"], target=g["target"], locations=g["locations"],
               places=[Place(name=x) for x in g["locations"]], weapons=g["weapons"], claims=g["claims"],
               figures=[Figure(id=f"a{i}f{j}", measure=f["measure"], weapon=f["weapon"], value=f["value"],
                               qualifier=f["qualifier"], source=f["source"][:1] if f["source"] else None,
                               span=Span(start=0, end=0), sentence="", sentence_span=Span(start=0, end=0))
                        for j, f in enumerate(g["figures"])])
        for i, g in enumerate(gold["attacks"])
    ]
    diplomacy = [Diplomacy(id=f"d{i}", type=d["type"], participants=[_flat(p) for p in d["participants"]],
                           status=d["status"], span=Span(start=0, end=0), sentence="")
                 for i, d in enumerate(gold.get("diplomacy", []))]
    return Report(id=gold["id"], published=gold.get("published"), outlet=gold.get("outlet"), attacks=attacks,
                  diplomacy=diplomacy)


def variants(bases: list[Base], n: int, seed: int = 7) -> Iterator[tuple[ArticleInput, Report, list[str]]]:
    """``n`` articles as (article, report, gold cluster keys — one per attack).

    Each day gets ``EVENTS_PER_DAY`` instances of different bases hitting different places, and a
    base is not reused within ``REST_DAYS`` days: as in the news, one city's nights are told apart
    by their dates, not by guesswork.
    """
    rng = random.Random(seed)
    made = instance = day = 0
    recent: list[set[str]] = []
    while made < n:
        night = START + timedelta(days=day)
        used = set().union(*recent) if recent else set()
        places: set[str] = set()
        today: set[str] = set()
        for base in rng.sample(bases, len(bases)):
            if len(today) == EVENTS_PER_DAY or made >= n:
                break
            where = {x for a in base.attacks for x in a["locations"]}
            if base.id in used or where & places:
                continue
            today.add(base.id)
            places |= where
            scale = rng.uniform(0.5, 1.6)
            for k in range(min(rng.randint(1, 5), n - made)):
                yield _article(rng, base, instance, k, night, scale)
                made += 1
            instance += 1
        recent = (recent + [today])[-REST_DAYS:]
        day += 1


def _article(rng: random.Random, base: Base, instance: int, k: int, night: date, scale: float):  # type: ignore[no-untyped-def]
    aid = f"{base.id}-i{instance}-o{k}"
    published = night + timedelta(days=rng.choice((0, 0, 1)))
    # this instance's numbers; one outlet in three reports one count a little differently
    values = {v for a in base.attacks for f in a["figures"] for v in (f["value"],)}
    mapping = {v: max(1, round(v * scale)) for v in values}
    if k and rng.random() < 0.33 and mapping:
        v = rng.choice(sorted(mapping))
        mapping[v] = max(1, mapping[v] + rng.choice((-1, 1)) * max(1, round(0.08 * mapping[v])))
    attacks = []
    context_sentences = []
    for i, a in enumerate(base.attacks):
        figures = []
        for j, f in enumerate(a["figures"]):
            sentence = f"{f['measure']} {mapping[f['value']]}"
            context_sentences.append(sentence)
            figures.append(Figure(id=f"f{i}.{j}", measure=f["measure"], weapon=f["weapon"], value=mapping[f["value"]],
                                  qualifier=f["qualifier"], source=f["source"][:1] if f["source"] else None,
                                  span=Span(start=0, end=0), sentence=sentence, sentence_span=Span(start=0, end=0)))
        attacks.append(Attack(id=f"a{i}", date=night.isoformat() if a["date"] else None, attacker=a["attacker"],
                              target=a["target"], locations=a["locations"], places=[Place(name=x) for x in a["locations"]],
                              weapons=a["weapons"], claims=a["claims"], figures=figures))
    diplomacy = [Diplomacy(id=f"d{i}", type=d["type"], participants=[_flat(p) for p in d["participants"]],
                           status=d["status"], span=Span(start=0, end=0), sentence="")
                 for i, d in enumerate(base.diplomacy)]
    text = _reword(rng, base.text, mapping, rng.choice(OUTLETS))
    meta = ArticleMeta(id=aid, published=published, outlet=rng.choice(OUTLETS))
    report = Report(id=aid, published=published.isoformat(), outlet=meta.outlet, attacks=attacks, diplomacy=diplomacy)
    return (ArticleInput(id=aid, text=text, meta=meta, origin=aid), report,
            [f"{base.id}/{i}/{instance}" for i in range(len(base.attacks))])


def _reword(rng: random.Random, text: str, mapping: dict[int, int], outlet: str) -> str:
    """The base text with this instance's numbers, some sentences dropped, and a dateline."""
    text = _NUMBER.sub(lambda m: str(mapping.get(int(m.group()), m.group())), text)
    sentences = [s for s in _SENTENCE.split(text) if s.strip()]
    kept = [s for s in sentences if rng.random() < 0.7] or sentences[:1]
    return f"{outlet} – " + " ".join(kept)
