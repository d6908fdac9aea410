"""The NER training corpora (ANERcorp CAMeL split, WikiANN-ar, AQMAR) read as BIO sequences.

Corpus labels are mapped to marsad's three types: PERS→PER, GPE→LOC, MISC/MIS dropped to ``O``.
The corpora are read-only shared data, never copied into the package; their folder is
``--data-dir``, else ``$MARSAD_NER_DATA``, else ``../shared/data/ner`` beside the repository.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

Sentence = tuple[list[str], list[str]]  # tokens, BIO tags

TYPE_MAP = {"PER": "PER", "PERS": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC"}


@dataclass(frozen=True)
class Corpus:
    """Where one corpus keeps its splits and how its lines are separated."""

    name: str
    folder: str
    splits: dict[str, str]
    sep: str


CORPORA: dict[str, Corpus] = {
    "anercorp": Corpus("anercorp", "anercorp-camel",
                       {"train": "ANERCorp_CamelLab_train.txt", "test": "ANERCorp_CamelLab_test.txt"}, " "),
    "wikiann": Corpus("wikiann", "wikiann-ar",
                      {"train": "train-ar.tsv", "dev": "dev-ar.tsv", "test": "test-ar.tsv"}, "\t"),
    "aqmar": Corpus("aqmar", "aqmar", {"train": "train.txt", "dev": "dev.txt", "test": "test.txt"}, " "),
}


def data_dir(override: str | Path | None = None) -> Path:
    """Return the folder holding the corpora (argument, env var, or ``../shared/data/ner``)."""
    if override:
        return Path(override)
    env = os.environ.get("MARSAD_NER_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ner"


def map_label(label: str) -> str:
    """Return the marsad BIO tag for a corpus tag (``B-PERS`` → ``B-PER``, ``B-MISC`` → ``O``)."""
    if label == "O" or "-" not in label:
        return "O"
    prefix, _, typ = label.partition("-")
    mapped = TYPE_MAP.get(typ)
    return f"{prefix}-{mapped}" if mapped and prefix in ("B", "I") else "O"


def repair_bio(tags: list[str]) -> list[str]:
    """Return ``tags`` with an ``I-X`` that follows no ``X`` turned into ``B-X`` (left by dropping MISC)."""
    out: list[str] = []
    prev = "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def read_conll(path: Path, sep: str) -> list[Sentence]:
    """Read ``token<sep>label`` lines (blank line between sentences) into mapped BIO sentences."""
    if not path.is_file():
        raise FileNotFoundError(f"NER corpus file {path} does not exist (set --data-dir or MARSAD_NER_DATA)")
    sents: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip():
                if toks:
                    sents.append((toks, repair_bio(tags)))
                    toks, tags = [], []
                continue
            tok, s, lab = line.rpartition(sep)
            if not s or not tok:
                raise ValueError(f"{path}:{n}: expected 'token{sep!r}label', got {line!r}")
            toks.append(tok)
            tags.append(map_label(lab.strip()))
    if toks:
        sents.append((toks, repair_bio(tags)))
    return sents


def load(name: str, split: str, root: str | Path | None = None) -> list[Sentence]:
    """Return the sentences of one split (``train``/``dev``/``test``) of a named corpus."""
    if name not in CORPORA:
        raise ValueError(f"unknown NER corpus {name!r}; known: {', '.join(CORPORA)}")
    c = CORPORA[name]
    if split not in c.splits:
        raise ValueError(f"corpus {name!r} has no {split!r} split; it has {', '.join(c.splits)}")
    return read_conll(data_dir(root) / c.folder / c.splits[split], c.sep)
