"""Train and score NER candidates (CRF settings) side by side; one JSON line per candidate.

Usage: python bench/ner_candidates.py NAME '{"c1": 0.1, "train_corpora": ["anercorp"]}' [--out results.jsonl]
Each candidate is trained into a temporary folder, never into the shipped model folder.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from marsad.ner.evaluate import evaluate_corpora
from marsad.ner.train import Settings, train


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("settings", help="JSON object of Settings fields to override")
    ap.add_argument("--out", default="bench/ner_candidates.jsonl")
    args = ap.parse_args()
    s = Settings(**json.loads(args.settings))
    with tempfile.TemporaryDirectory() as tmp:
        info = train(s, Path(tmp), log=lambda _m: None)
        dev = evaluate_corpora(["aqmar", "wikiann"], tmp, split="dev")
    row = {"name": args.name, "settings": info["settings"], "train_seconds": info["train_seconds"],
           "size_mb": round(info["size_bytes"] / 1e6, 1),
           "test": {c: {t: r[t]["f1"] for t in r} for c, r in info["scores"].items()},
           "dev": {c: dev[c]["all"]["f1"] for c in ("aqmar", "wikiann")}}
    with open(args.out, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(row) + "\n")
    print(json.dumps(row))


if __name__ == "__main__":
    main()
