"""Ingest cost WITH extraction, split into extraction and storage (nothing is written to the repo).

    python bench/ingest_bench.py --n 1000            # one fresh SQLite file, 1000 generated articles
    python bench/ingest_bench.py --n 1000 --runs 3   # median of three runs

The articles are generated variants of the dev + seed texts (``marsad.link.synthetic.variants``:
reworded, renumbered, some sentences dropped), ingested through ``marsad.store.ingest.ingest`` with
the real extractor into a fresh SQLite file. CPU time is measured (what one core costs, whatever
else the machine runs): extraction is timed around the extractor, storage is the rest of the run
(hashing, dedup, inserts, linking, reconciliation, commits). Text generation is excluded.
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

from marsad import extract_document  # noqa: E402
from marsad.link.synthetic import load_bases, variants  # noqa: E402
from marsad.store.db import open_store  # noqa: E402
from marsad.store.ingest import ingest  # noqa: E402
from tests.conftest import DEV, SEEDS  # noqa: E402


def run(n: int, *, seed: int = 7, embed: bool = False) -> dict:
    """Ingest ``n`` generated articles with extraction; CPU seconds split into extraction and storage."""
    articles = [article for article, _report, _keys in variants(load_bases(DEV, SEEDS), n, seed)]
    extract_document(articles[0].text, articles[0].meta)  # load models and lexicons outside the timing
    spent = {"extract": 0.0}

    def extract(text, meta):  # type: ignore[no-untyped-def]
        c = time.process_time()
        try:
            return extract_document(text, meta)
        finally:
            spent["extract"] += time.process_time() - c

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.db")
        t0, c0 = time.perf_counter(), time.process_time()
        summary = ingest(store, articles, extract=extract, embed=embed)
        cpu = time.process_time() - c0
        wall = time.perf_counter() - t0
        store.close()
    storage = cpu - spent["extract"]
    return {
        "articles": n, "cpu_seconds": round(cpu, 2), "wall_seconds": round(wall, 2),
        "articles_per_cpu_s": round(n / cpu, 1),
        "extract_ms_per_article": round(1000 * spent["extract"] / n, 2),
        "storage_ms_per_article": round(1000 * storage / n, 2),
        "statuses": dict(summary.counts),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="articles per run")
    ap.add_argument("--runs", type=int, default=1, help="runs; the median run (by CPU seconds) is printed")
    ap.add_argument("--embed", action="store_true", help="use the e5 embedding for borderline links")
    args = ap.parse_args()
    results = [run(args.n, embed=args.embed) for _ in range(args.runs)]
    if args.runs > 1:
        for r in results:
            print(json.dumps(r, ensure_ascii=False), file=sys.stderr)
    median = sorted(results, key=lambda r: r["cpu_seconds"])[(len(results) - 1) // 2]
    print(json.dumps(median, ensure_ascii=False))


if __name__ == "__main__":
    main()
