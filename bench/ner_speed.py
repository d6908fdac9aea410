"""Cost of the NER stage per article on the seed + dev texts (read from ../shared, never copied).

Usage: python bench/ner_speed.py [--repeat 20]
Runs normalize → segment (or one sentence per line if the segmenter is absent) → tokenize →
ner on every article ``repeat`` times and prints milliseconds per article and per KB of text
for the tagger alone (CPU time of this process, so other jobs on the machine do not count),
with the first (cold-cache) pass reported apart.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from marsad.document import Document, Sentence
from marsad.ner.model import load_model
from marsad.ner.stage import ner_stage
from marsad.text.normalize import normalize_stage
from marsad.text.tokens import tokenize_stage

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def prepare(text: str) -> Document:
    """Return a document with norm, sentences and tokens, ready for the NER stage."""
    doc = Document(text)
    normalize_stage(doc)
    try:
        from marsad.text.segment import segment_stage

        segment_stage(doc)
    except ImportError:
        pos = 0
        for line in text.split("\n"):
            doc.sentences.append(Sentence(pos, pos + len(line)))
            pos += len(line) + 1
    tokenize_stage(doc)
    return doc


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    texts = [p.read_text("utf-8") for d in ("seeds", "dev") for p in sorted((SHARED / d).glob("*.txt"))]
    t0 = time.process_time()
    load_model()
    print(f"model load {1000 * (time.process_time() - t0):.0f} ms")
    docs = [prepare(t) for t in texts]
    kb = sum(len(t.encode("utf-8")) for t in texts) / 1024
    for label, reps in (("cold", 1), ("warm", args.repeat)):
        elapsed = 0.0
        for _ in range(reps):
            for d in docs:
                d.mentions = []
                t1 = time.process_time()
                ner_stage(d)
                elapsed += time.process_time() - t1
        per_article = 1000 * elapsed / (reps * len(docs))
        print(f"{label}: {per_article:.2f} ms/article ({len(docs)} articles, {kb / len(docs):.1f} KB avg), "
              f"{1000 * elapsed / (reps * kb):.2f} ms/KB, {sum(len(d.tokens) for d in docs) / len(docs):.0f} tokens/article")


if __name__ == "__main__":
    main()
