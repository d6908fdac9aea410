"""Entity-level scores of the shipped NER model on the corpora's test splits (conlleval style).

An entity counts as correct only when its span (first and last token) and its type both match.
``evaluate_corpora`` is what ``marsad eval ner`` and the model-floor test call.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

TYPES = ("PER", "ORG", "LOC")


def spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """Return the ``(start, end, type)`` entities of a BIO sequence (end exclusive).

    Like conlleval, an ``I-X`` after anything but ``X`` opens a new entity.
    """
    out: set[tuple[int, int, str]] = set()
    start, typ = -1, ""
    for i, t in enumerate([*tags, "O"]):
        if t == "O":  # closes an open entity, opens none
            if start >= 0:
                out.add((start, i, typ))
                start = -1
            continue
        kind, _, ttyp = t.partition("-")
        if start >= 0 and (kind != "I" or ttyp != typ):
            out.add((start, i, typ))
            start = -1
        if kind == "B" or (kind == "I" and start < 0):
            start, typ = i, ttyp
    return out


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    """Return precision, recall, F1 and the counts they come from."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "pred": n_pred, "gold": n_gold}


def score(gold: list[list[str]], pred: list[list[str]]) -> dict[str, dict[str, float | int]]:
    """Return micro-averaged scores overall (``"all"``) and per entity type."""
    if len(gold) != len(pred):
        raise ValueError(f"score: {len(gold)} gold sentences but {len(pred)} predicted")
    tp: Counter[str] = Counter()
    npred: Counter[str] = Counter()
    ngold: Counter[str] = Counter()
    for g, p in zip(gold, pred):
        gs, ps = spans(g), spans(p)
        for s in gs:
            ngold[s[2]] += 1
        for s in ps:
            npred[s[2]] += 1
        for s in gs & ps:
            tp[s[2]] += 1
    res = {"all": prf(sum(tp.values()), sum(npred.values()), sum(ngold.values()))}
    for t in TYPES:
        res[t] = prf(tp[t], npred[t], ngold[t])
    return res


def evaluate_corpora(corpora: list[str] | None = None, model_dir: str | Path | None = None,
                     data: str | Path | None = None, split: str = "test", doc_window: int = 0) -> dict:
    """Tag each corpus's ``split`` with the shipped (or given) model; return scores per corpus and type.

    Sentences are tagged one by one (comparable with published scores); with ``doc_window`` > 0
    every run of that many consecutive sentences is treated as one article and names are
    propagated across it, as the pipeline stage does within an article.

    The result maps corpus name → ``{"all": {...}, "PER": {...}, ...}`` plus ``"_meta"`` (model,
    split, tokens and seconds), the shape ``format_report`` prints.
    """
    from marsad.ner import corpora as C
    from marsad.ner.features import norm_tokens
    from marsad.ner.model import load_model, propagate

    model = load_model(str(model_dir) if model_dir else None)
    names = corpora or list(C.CORPORA)
    result: dict = {}
    n_tokens = 0
    t0 = time.perf_counter()
    for name in names:
        sents = C.load(name, split, data)
        gold = [tags for _, tags in sents]
        words = [norm_tokens(toks) for toks, _ in sents]
        step = doc_window or 256
        pred = []
        for k in range(0, len(words), step):
            tagged = model.tag_many(words[k:k + step])
            pred += [tags for tags, _ in (propagate(words[k:k + step], tagged) if doc_window else tagged)]
        n_tokens += sum(len(t) for t, _ in sents)
        result[name] = score(gold, pred)
    result["_meta"] = {"model": str(model.path), "split": split, "doc_window": doc_window, "tokens": n_tokens,
                       "seconds": round(time.perf_counter() - t0, 2)}
    return result


def format_report(result: dict) -> str:
    """Return the scores as a fixed-width table (one block per corpus, rows all/PER/ORG/LOC)."""
    lines = [f"{'corpus':<10} {'type':<4} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}"]
    for name, res in result.items():
        if name.startswith("_"):
            continue
        for t in ("all", *TYPES):
            r = res[t]
            lines.append(f"{name:<10} {t:<4} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} "
                         f"{r['gold']:6d} {r['pred']:6d}")
    meta = result.get("_meta")
    if meta:
        prop = f" · names propagated over {meta['doc_window']}-sentence windows" if meta.get("doc_window") else ""
        lines.append(f"model {meta['model']} · split {meta['split']}{prop} · {meta['tokens']} tokens in {meta['seconds']} s")
    return "\n".join(lines)
