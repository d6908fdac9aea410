"""Time the four text stages: µs of CPU per article and stage on the seed + dev texts.

Best of 7 rounds of 20 passes (a first round warms lexicons and caches). Usage:
    python tools/time_text_stages.py [SHARED_DIR]   (default ../shared)
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from marsad.document import ArticleMeta, Document
from marsad.text.dates import dates_stage
from marsad.text.normalize import normalize_stage
from marsad.text.numbers import numbers_stage
from marsad.text.segment import segment_stage
from marsad.text.tokens import tokenize_stage

STAGES = [normalize_stage, segment_stage, tokenize_stage, numbers_stage, dates_stage]
ROUNDS, PASSES = 8, 20


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared"
    paths = sorted((shared / "data/seeds").glob("*.txt")) + sorted((shared / "data/dev").glob("*.txt"))
    texts = [p.read_text("utf-8") for p in paths]
    if not texts:
        raise SystemExit(f"no seed/dev texts under {shared}")
    best = {s.name: float("inf") for s in STAGES}
    for rnd in range(ROUNDS):
        total = dict.fromkeys(best, 0.0)
        for _ in range(PASSES):
            for text in texts:
                doc = Document(text, ArticleMeta(published=date(2025, 7, 4)))
                for s in STAGES:
                    t0 = time.process_time()
                    s(doc)
                    total[s.name] += time.process_time() - t0
        if rnd:
            for k, v in total.items():
                best[k] = min(best[k], v / (PASSES * len(texts)) * 1e6)
    print(f"{len(texts)} articles, avg {sum(map(len, texts)) / len(texts):.0f} chars")
    for k, v in best.items():
        print(f"  {k:10s} {v:7.1f} µs/article")
    print(f"  {'sum':10s} {sum(best.values()):7.1f} µs/article")


if __name__ == "__main__":
    main()
