"""Pairwise linking precision/recall on the dev set against tests/data/dev_clusters.json.

    python bench/linking_quality.py            # reports from the extractor (marsad.extract_document)
    python bench/linking_quality.py --gold     # reports built from the gold annotations

Articles are read from ../shared/data/dev with the metadata their gold file holds (published,
outlet, url), ingested into a temporary SQLite store, and every event's article ids are
compared pairwise with the hand-made clusters (marsad.link.evaluate).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marsad.link.evaluate import pairwise_scores  # noqa: E402
from tests.conftest import DEV  # noqa: E402

CLUSTERS = ROOT / "tests" / "data" / "dev_clusters.json"


def dev_articles(gold: bool):  # type: ignore[no-untyped-def]
    """(article, report or None) for each dev article, with the gold file's metadata."""
    from datetime import date

    from marsad.document import ArticleMeta
    from marsad.io import ArticleInput
    from marsad.link.synthetic import gold_report

    for path in sorted(DEV.glob("*.gold.json")):
        g = json.loads(path.read_text("utf-8"))
        aid = g["id"]
        meta = ArticleMeta(id=aid, published=date.fromisoformat(g["published"]) if g.get("published") else None,
                           url=g.get("url"), outlet=g.get("outlet"))
        text = path.with_name(f"{aid}.txt").read_text("utf-8")
        yield ArticleInput(id=aid, text=text, meta=meta, origin=str(path)), (gold_report(g) if gold else None)


def evaluate(gold: bool, embed: bool = True) -> dict:
    """Pairwise scores of the attack and diplomacy events built from the dev set."""
    from marsad import extract_document
    from marsad.store import queries
    from marsad.store.db import open_store
    from marsad.store.ingest import ingest

    items = list(dev_articles(gold))
    reports = {a.id: r for a, r in items}
    extract = (lambda text, meta: reports[meta.id]) if gold else extract_document
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "dev.db")
        ingest(store, [a for a, _ in items], extract=extract, embed=embed)
        events = queries.list_events(store, with_articles=True, limit=10_000)
        store.close()
    clusters = json.loads(CLUSTERS.read_text("utf-8"))["clusters"]
    out = {"reports": "gold" if gold else "extracted", "events": len(events)}
    for kind in ("attack", "diplomacy"):
        out[kind] = pairwise_scores([e["articles"] for e in events if e["kind"] == kind], clusters)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", action="store_true", help="build reports from the gold files instead of extracting")
    args = ap.parse_args()
    print(json.dumps(evaluate(args.gold), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
