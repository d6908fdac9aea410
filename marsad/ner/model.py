"""The shipped CRF tagger: loaded once from ``marsad/ner/model/`` with no network access.

The model folder holds ``ner.crfsuite`` (the weights CRFsuite trained), ``ner.npz`` (the same
weights compiled to arrays for fast tagging), ``gazetteer.json`` (word → types lists from the
corpora and from outside name lists, used as features), ``settings.json``, ``MODEL_CARD.md``
and ``floors.json`` (test-score floors).

Tagging does not go through CRFsuite: its per-attribute string lookups cost ~10 µs a token.
Features depend on a token and its ±2 neighbours only, so each distinct word's contribution to
the emission scores (as itself and as each neighbour) is summed once and cached as a row; a
sentence's scores are then a few array additions, and Viterbi / forward-backward run over all
sentences of an article at once. ``test_ner_model`` checks the result equals CRFsuite's.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from marsad.ner.evaluate import spans
from marsad.ner.features import Featurizer, norm_tokens

MODEL_DIR = Path(__file__).resolve().parent / "model"
WEIGHTS = "ner.crfsuite"
COMPILED = "ner.npz"
GAZETTEER = "gazetteer.json"
SETTINGS = "settings.json"
_CACHE_ROWS = 200_000  # distinct words kept before the row cache restarts (long batches)
MAX_CHUNK = 40  # longer sentences are decoded in pieces cut at punctuation (decoding steps = longest piece)
_BREAKS = frozenset((",", ";", ":", ".", "?", "!", "-", "(", ")", '"'))


def chunks(words: list[str], limit: int = MAX_CHUNK) -> list[tuple[int, int]]:
    """Return ``(start, end)`` pieces of a sentence no longer than ``limit``, cut after punctuation if possible."""
    out: list[tuple[int, int]] = []
    a, n = 0, len(words)
    while n - a > limit:
        cut = next((i + 1 for i in range(a + limit - 1, a + limit // 2, -1) if words[i] in _BREAKS), a + limit)
        out.append((a, cut))
        a = cut
    out.append((a, n))
    return out


def compile_weights(crfsuite_path: Path, out: Path) -> None:
    """Write CRFsuite's state and transition weights as arrays (``attrs``, ``W``, ``T``, ``labels``)."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(crfsuite_path))
    info = tagger.info()
    labels = sorted(info.labels, key=lambda lab: int(info.labels[lab]))
    li = {lab: i for i, lab in enumerate(labels)}
    attrs = sorted({a for a, _ in info.state_features})
    ai = {a: i for i, a in enumerate(attrs)}
    w = np.zeros((len(attrs), len(labels)), dtype=np.float64)
    for (a, lab), v in info.state_features.items():
        w[ai[a], li[lab]] = v
    t = np.zeros((len(labels), len(labels)), dtype=np.float64)
    for (a, b), v in info.transitions.items():
        t[li[a], li[b]] = v
    np.savez_compressed(out, attrs=np.array(attrs), W=w, T=t, labels=np.array(labels))


class NerModel:
    """A compiled linear-chain CRF with its featurizer; tags sentences of normalised words."""

    def __init__(self, path: Path):
        compiled = path / COMPILED
        if not compiled.is_file():
            raise FileNotFoundError(f"NER model {compiled} is missing; run `marsad train ner`")
        self.path = path
        with np.load(compiled) as z:
            self.labels: list[str] = z["labels"].tolist()
            self.W = z["W"]
            self.T = z["T"]
            self.attr_index = {a: i for i, a in enumerate(z["attrs"].tolist())}
        self.expT = np.exp(self.T)
        self.label_index = {lab: i for i, lab in enumerate(self.labels)}
        gpath, spath = path / GAZETTEER, path / SETTINGS
        gaz = json.loads(gpath.read_text("utf-8")) if gpath.is_file() else {}
        settings = json.loads(spath.read_text("utf-8"))["settings"] if spath.is_file() else {}
        self.featurizer = Featurizer(gaz.get("corpus"), tuple(settings.get("features", ())), gaz.get("external"))
        self.bos = self._vec(("BOS",))
        self.eos = self._vec(("EOS",))
        self._reset_rows()

    def _reset_rows(self) -> None:
        self._row: dict[str, int] = {}
        self._rows = np.zeros((1024, 5, len(self.labels)))  # own, as -2, -1, +1, +2 neighbour

    def _vec(self, feats) -> np.ndarray:
        idx = [i for i in map(self.attr_index.get, feats) if i is not None]
        return self.W[idx].sum(0) if idx else np.zeros(len(self.labels))

    def _row_of(self, w: str) -> int:
        r = self._row.get(w)
        if r is None:
            if len(self._row) >= _CACHE_ROWS:
                self._reset_rows()
            r = self._row[w] = len(self._row)
            if r >= len(self._rows):
                self._rows = np.concatenate([self._rows, np.zeros_like(self._rows)])
            f = self.featurizer
            self._rows[r, 0] = self._vec(f.own(w))
            for k, ctx in enumerate(f.ctx(w), 1):
                self._rows[r, k] = self._vec(ctx)
        return r

    def emissions(self, sentences: list[list[str]]) -> np.ndarray:
        """Return the state scores of the words of all ``sentences``, flat (``tokens × labels``).

        Sentences are scored together: neighbour contributions are masked at sentence edges.
        """
        words = [w for s in sentences for w in s]
        pos = np.concatenate([np.arange(len(s)) for s in sentences])
        left = np.concatenate([np.arange(len(s) - 1, -1, -1) for s in sentences])  # tokens after
        ids = [self._row_of(w) for w in words]  # may grow (or restart) self._rows
        v = self._rows[ids]
        e = v[:, 0].copy()
        e[1:] += v[:-1, 2] * (pos[1:] >= 1)[:, None]
        e[2:] += v[:-2, 1] * (pos[2:] >= 2)[:, None]
        e[:-1] += v[1:, 3] * (left[:-1] >= 1)[:, None]
        e[:-2] += v[2:, 4] * (left[:-2] >= 2)[:, None]
        e[pos == 0] += self.bos
        e[left == 0] += self.eos
        get = self.attr_index.get
        for i in np.flatnonzero(pos[1:]).tolist():  # i: index of the left word of each pair
            pair = words[i] + "|" + words[i + 1]
            a, b = get("bi-=" + pair), get("bi+=" + pair)
            if a is not None:
                e[i + 1] += self.W[a]
            if b is not None:
                e[i] += self.W[b]
        return e

    def tag_many(self, sentences: list[list[str]], with_confidence: bool = False,
                 allowed: list[dict[int, tuple[str, ...]]] | None = None) -> list[tuple[list[str], list[float]]]:
        """Return ``(tags, confidences)`` for each sentence of normalised words, decoded together.

        Confidence is each tag's marginal probability (1.0 for every tag when not asked for).
        ``allowed`` optionally restricts, per sentence, the labels of some positions (constrained
        decoding: words already known from the knowledge base keep their type and boundaries).
        Sentences longer than ``MAX_CHUNK`` words are decoded in pieces (``chunks``).
        """
        if any(len(s) > MAX_CHUNK for s in sentences):
            pieces = [(k, a, b) for k, s in enumerate(sentences) for a, b in chunks(s)]
            sub = None if allowed is None else [
                {i - a: v for i, v in allowed[k].items() if a <= i < b} for k, a, b in pieces]
            tagged = self.tag_many([sentences[k][a:b] for k, a, b in pieces], with_confidence, sub)
            joined: list[tuple[list[str], list[float]]] = [([], []) for _ in sentences]
            for (k, _, _), (tags, conf) in zip(pieces, tagged):
                joined[k][0].extend(tags)
                joined[k][1].extend(conf)
            return joined
        out: list[tuple[list[str], list[float]]] = [([], []) for _ in sentences]
        live = [i for i, s in enumerate(sentences) if s]
        if not live:
            return out
        lens = np.array([len(sentences[i]) for i in live])
        b, n, nl = len(live), int(lens.max()), len(self.labels)
        flat = self.emissions([sentences[i] for i in live])
        if allowed:
            offset = np.concatenate([[0], np.cumsum(lens)[:-1]])
            for j, i in enumerate(live):
                for pos, labs in allowed[i].items():
                    keep = flat[offset[j] + pos, [self.label_index[x] for x in labs]]
                    flat[offset[j] + pos] = -1e4
                    flat[offset[j] + pos, [self.label_index[x] for x in labs]] = keep
        # Sentences are right-aligned in the batch so that all of them end at step n-1.
        pad = n - lens
        e = np.zeros((b, n, nl))
        rows = np.repeat(np.arange(b), lens)
        cols = np.concatenate([np.arange(p, n) for p in pad.tolist()])
        e[rows, cols] = flat
        starts = pad[:, None]
        delta = e[:, 0].copy()
        back = np.zeros((b, n, nl), dtype=np.intp)
        for t in range(1, n):
            s = delta[:, :, None] + self.T
            back[:, t] = s.argmax(1)
            delta = np.where(starts >= t, e[:, t], s.max(1) + e[:, t])  # a sentence starting at t has no past
        best = np.empty((b, n), dtype=np.intp)
        best[:, -1] = delta.argmax(1)
        for t in range(n - 1, 0, -1):
            best[:, t - 1] = back[np.arange(b), t, best[:, t]]
        conf = self._marginals(e, starts) if with_confidence else None
        labels = self.labels
        for j, i in enumerate(live):
            p = int(pad[j])
            path = best[j, p:]
            tags = [labels[k] for k in path.tolist()]
            c = conf[j, np.arange(p, n), path].tolist() if conf is not None else [1.0] * len(tags)
            out[i] = (tags, c)
        return out

    def _marginals(self, e: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """Return per-position label marginals (scaled forward-backward, right-aligned batch)."""
        b, n, nl = e.shape
        pe = np.exp(e - e.max(2, keepdims=True))
        alpha = np.empty_like(pe)
        beta = np.ones_like(pe)
        a = pe[:, 0]
        alpha[:, 0] = a / a.sum(1, keepdims=True)
        for t in range(1, n):
            a = np.where(starts >= t, pe[:, t], (alpha[:, t - 1] @ self.expT) * pe[:, t])
            alpha[:, t] = a / a.sum(1, keepdims=True)
        for t in range(n - 2, -1, -1):
            bt = (pe[:, t + 1] * beta[:, t + 1]) @ self.expT.T
            beta[:, t] = bt / bt.sum(1, keepdims=True)
        m = alpha * beta
        return m / m.sum(2, keepdims=True)

    def tag(self, words: list[str], with_confidence: bool = False) -> tuple[list[str], list[float]]:
        """Return BIO tags for one sentence of normalised ``words`` (and marginals, if asked)."""
        return self.tag_many([words], with_confidence)[0]

    def tag_words(self, tokens: list[str]) -> list[str]:
        """Return BIO tags for raw corpus tokens (normalised here first)."""
        return self.tag(norm_tokens(tokens))[0]


PROPAGATE_MIN_CONFIDENCE = 0.8  # only names the tagger was sure of are copied to other occurrences
_PROCLITICS = ("و", "ف", "ب", "ل", "ك")


def propagate(sentences: list[list[str]], tagged: list[tuple[list[str], list[float]]],
              fixed: list[dict[int, tuple[str, ...]]] | None = None,
              min_letters: int = 3) -> list[tuple[list[str], list[float]]]:
    """Return ``tagged`` with names found once in a document tagged at their other occurrences.

    News names a person in full once and then by surname ("بوب وودورد" … "وودورد"), and repeats
    places and organisations; the tagger, seeing one sentence at a time, misses some repeats.
    Every confidently predicted entity, and the surname of every multi-word PER, is copied onto
    untagged occurrences of the same words (the first one may carry a proclitic: وودورد →
    ووودورد), with the source's confidence. Spans fixed by the knowledge base (``fixed``: one
    allowed label) are not sources: the KB matcher decided where its names occur.
    """
    known: dict[tuple[str, ...], tuple[str, float]] = {}
    for k, (words, (tags, conf)) in enumerate(zip(sentences, tagged)):
        fx = fixed[k] if fixed else {}
        for a, b, typ in sorted(spans(tags)):
            c = min(conf[a:b]) if conf else 1.0
            if c < PROPAGATE_MIN_CONFIDENCE or any(len(fx.get(i, "..")) == 1 for i in range(a, b)):
                continue
            known.setdefault(tuple(words[a:b]), (typ, c))
            if typ == "PER" and b - a >= 2:
                known.setdefault((words[b - 1],), (typ, c))
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for key in known:
        if sum(map(len, key)) >= min_letters:
            for first in (key[0], *(p + key[0] for p in _PROCLITICS)):
                by_first.setdefault(first, []).append(key)
    if not by_first:
        return tagged
    out = []
    for words, (tags, conf) in zip(sentences, tagged):
        tags, conf = list(tags), list(conf)
        for i, w in enumerate(words):
            for key in by_first.get(w, ()):
                k = len(key)
                if tuple(words[i + 1:i + k]) == key[1:] and all(t == "O" for t in tags[i:i + k]) \
                        and (i + k == len(tags) or not tags[i + k].startswith("I-")):
                    typ, c = known[key]
                    tags[i:i + k] = ["B-" + typ] + ["I-" + typ] * (k - 1)
                    conf[i:i + k] = [c] * k
        out.append((tags, conf))
    return out


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> NerModel:
    """Return the model in ``path`` (default: the one shipped in the package), loaded once."""
    return NerModel(Path(path) if path else MODEL_DIR)
