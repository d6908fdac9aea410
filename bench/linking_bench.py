"""Linking quality and cost on generated variants of the dev + seed articles (nothing is written to the repo).

    python bench/linking_bench.py --sizes 1000 10000 100000       # cost: near-linear growth
    python bench/linking_bench.py --sizes 2000 --quality          # pairwise precision/recall too

Each size ingests that many generated articles (hand-made-style reports from the golds, no
extraction) into a fresh SQLite file through ``ingest`` (dedup + linking + reconcile), and
prints wall and CPU seconds (CPU time is what one core costs, whatever else the machine runs),
articles/s and milliseconds per article for the last 10% of the run (the cost of one more
article once the store is large).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marsad.link.evaluate import pairwise_scores  # noqa: E402
from marsad.link.synthetic import load_bases, variants  # noqa: E402
from marsad.store import queries  # noqa: E402
from marsad.store.db import open_store  # noqa: E402
from marsad.store.ingest import ingest  # noqa: E402
from tests.conftest import DEV, SEEDS  # noqa: E402


def run(n: int, *, quality: bool, embed: bool, seed: int = 7) -> dict:
    bases = load_bases(DEV, SEEDS)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.db")
        gold: dict[str, list[str]] = {}
        reports = {}
        tail_from = int(n * 0.9)
        marks: dict[str, float] = {}

        def articles():
            for i, (article, report, keys) in enumerate(variants(bases, n, seed)):
                if i == tail_from:
                    marks["tail"] = time.perf_counter()
                reports[article.id] = report
                for k in keys:
                    gold.setdefault(k, []).append(article.id)
                yield article

        t0, c0 = time.perf_counter(), time.process_time()
        summary = ingest(store, articles(), extract=lambda text, meta: reports.pop(meta.id), embed=embed)
        statuses = dict(summary.counts)
        t_tail = marks.get("tail", t0)
        total = time.perf_counter() - t0
        cpu = time.process_time() - c0
        tail = time.perf_counter() - t_tail
        out = {"articles": n, "seconds": round(total, 1), "cpu_seconds": round(cpu, 1),
               "articles_per_cpu_s": round(n / cpu, 1), "articles_per_s": round(n / total, 1),
               "ms_per_article_last_10pct": round(1000 * tail / max(1, n - tail_from), 2), "statuses": statuses,
               "events": queries.stats(store)["attack_events"]}
        if quality:
            events = queries.list_events(store, kind="attack", with_articles=True, limit=10 * n)
            out["linking"] = pairwise_scores([e["articles"] for e in events], gold.values())
        store.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--quality", action="store_true", help="also score linking pairwise against the generated clusters")
    ap.add_argument("--embed", action="store_true", help="use the e5 embedding for borderline links")
    args = ap.parse_args()
    for n in args.sizes:
        print(json.dumps(run(n, quality=args.quality, embed=args.embed), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
