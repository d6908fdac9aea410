"""Linking quality: the dev set's hand-made clusters, and generated multi-outlet variants of the dev articles."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from marsad.document import ArticleMeta
from marsad.io import ArticleInput
from marsad.link.evaluate import pairwise_scores
from marsad.link.synthetic import gold_report, load_bases, variants
from marsad.store import queries
from marsad.store.db import open_store
from marsad.store.ingest import ingest
from tests.conftest import DEV, SEEDS

CLUSTERS = Path(__file__).resolve().parent.parent / "data" / "dev_clusters.json"


def test_pairwise_scores():
    scores = pairwise_scores([["a", "b", "c"], ["d"]], [["a", "b"], ["c", "d"]])
    assert (scores["predicted_pairs"], scores["gold_pairs"], scores["true_pairs"]) == (3, 2, 1)
    assert (scores["precision"], scores["recall"]) == (0.3333, 0.5)
    assert pairwise_scores([["a"], ["b"]], [["a"], ["b"]])["precision"] == 1.0


def test_dev_set_events_follow_the_hand_made_clusters(shared_dir, tmp_path):
    clusters = json.loads(CLUSTERS.read_text("utf-8"))["clusters"]
    assert sorted(a for c in clusters for a in c) == sorted(p.name[:-4] for p in DEV.glob("*.txt"))
    articles, reports = [], {}
    for path in sorted(DEV.glob("*.gold.json")):
        g = json.loads(path.read_text("utf-8"))
        meta = ArticleMeta(id=g["id"], published=date.fromisoformat(g["published"]) if g.get("published") else None,
                           outlet=g.get("outlet"), url=g.get("url"))
        articles.append(ArticleInput(id=g["id"], text=path.with_name(f"{g['id']}.txt").read_text("utf-8"),
                                     meta=meta, origin=str(path)))
        reports[g["id"]] = gold_report(g)
    store = open_store(tmp_path / "dev.db")
    ingest(store, articles, extract=lambda text, meta: reports[meta.id], embed=False)
    events = queries.list_events(store, with_articles=True)
    scores = pairwise_scores([e["articles"] for e in events], clusters)
    assert scores["predicted_pairs"] == 0, scores["false_merges"]
    # ot22 reports two different rocket attacks on the same base: two events
    assert sum(1 for e in events if e["articles"] == ["ot22"] and e["kind"] == "attack") == 2


def test_generated_multi_outlet_variants_link_well(shared_dir, tmp_path):
    generated = list(variants(load_bases(DEV, SEEDS), 400, seed=11))
    reports = {a.id: r for a, r, _ in generated}
    gold: dict[str, list[str]] = {}
    for a, _, keys in generated:
        for k in keys:
            gold.setdefault(k, []).append(a.id)
    store = open_store(tmp_path / "variants.db")
    ingest(store, [a for a, _, _ in generated], extract=lambda text, meta: reports[meta.id], embed=False)
    events = queries.list_events(store, kind="attack", with_articles=True, limit=10_000)
    scores = pairwise_scores([e["articles"] for e in events], gold.values())
    assert scores["precision"] >= 0.75 and scores["recall"] >= 0.9, scores
