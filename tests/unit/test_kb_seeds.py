"""The seeds' gold entities: every non-optional one found, no non-optional entity invented."""

import json
from datetime import date

import pytest

from marsad import analyse
from marsad.document import ArticleMeta
from tests.conftest import SEEDS, require


def _key(s: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in s.lower()).split())


def _seed_ids() -> list[str]:
    return sorted(p.name[: -len(".gold.json")] for p in SEEDS.glob("*.gold.json")) if SEEDS.is_dir() else []


@pytest.mark.parametrize("seed", _seed_ids() or ["missing"])
def test_seed_entities_match_gold(seed: str):
    require(SEEDS.is_dir(), f"seeds not found at {SEEDS}")
    gold = json.loads((SEEDS / f"{seed}.gold.json").read_text("utf-8"))
    published = date.fromisoformat(gold["published"]) if gold.get("published") else None
    doc = analyse((SEEDS / f"{seed}.txt").read_text("utf-8"), ArticleMeta(id=seed, published=published))
    predicted = [({_key(e.name), *map(_key, e.aliases)}, e) for e in doc.entities]
    used: set[int] = set()
    missing = []
    for g in gold["entities"]:
        names = {_key(g["name"]), *map(_key, g.get("aliases", []))}
        hit = next((i for i, (keys, _) in enumerate(predicted) if i not in used and keys & names), None)
        if hit is not None:
            used.add(hit)
        elif not g.get("optional"):
            missing.append(g["name"])
    invented = [e.name for i, (_, e) in enumerate(predicted) if i not in used and not e.optional]
    assert missing == []
    assert invented == []
