"""Build ``marsad/data/lexicons/stem_vocab.tsv``: normalised word frequencies from NER TRAIN splits.

The tokenizer uses it to decide whether a leading و/ف/ب/ل/ك or a pronoun suffix is a clitic
(``ولبنان`` → و + لبنان) or part of the word (``وزارة``, ``بولندا``, ``لبنان``). Only train splits
are read, so dev/test sentences stay unseen.

Usage: python tools/build_stem_vocab.py [SHARED_DIR]   (default ../shared relative to the repo)
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from marsad.text.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
TRAIN_FILES = (
    "data/ner/anercorp-camel/ANERCorp_CamelLab_train.txt",
    "data/ner/aqmar/train.txt",
    "data/ner/wikiann-ar/train-ar.tsv",
)
MIN_COUNT = 2
ARABIC_WORD = re.compile(r"^[\u0621-\u064a]{2,}$")


def count_words(shared: Path) -> Counter[str]:
    """Return normalised Arabic word counts over the train splits (first column of each line)."""
    counts: Counter[str] = Counter()
    for rel in TRAIN_FILES:
        path = shared / rel
        for line in path.read_text("utf-8").splitlines():
            parts = line.split()
            if not parts:
                continue
            w = normalize(parts[0])
            if ARABIC_WORD.match(w):
                counts[w] += 1
    return counts


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared"
    counts = count_words(shared)
    out = ROOT / "marsad" / "data" / "lexicons" / "stem_vocab.tsv"
    rows = sorted(((w, c) for w, c in counts.items() if c >= MIN_COUNT), key=lambda x: (-x[1], x[0]))
    header = "# normalised word\tcount — built by tools/build_stem_vocab.py from NER train splits\n"
    out.write_text(header + "".join(f"{w}\t{c}\n" for w, c in rows), "utf-8")
    print(f"{len(rows)} words → {out}")


if __name__ == "__main__":
    main()
