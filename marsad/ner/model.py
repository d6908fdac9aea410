"""The shipped CRF tagger: loaded once from ``marsad/ner/model/`` with no network access.

The model folder holds ``ner.crfsuite`` (the weights CRFsuite trained), ``ner.npz`` (the same
weights compiled to arrays for fast tagging), ``gazetteer.json`` (word → types lists from the
corpora and from outside name lists, used as features), ``settings.json``, ``MODEL_CARD.md``
and ``floors.json`` (test-score floors).

Tagging does not go through CRFsuite: its per-attribute string lookups cost ~10 µs a token.
Features depend on a token and its ±2 neighbours only, so each distinct word's contribution to
the emission scores (as itself and as each neighbour) is summed once and cached as a row; a
sentence's scores are then a few array additions, and Viterbi / forward-backward run over all
sentences of an article at once, one loop step per word position (the per-step cost is numpy
call overhead, so a step does as few whole-batch operations as it can). The Viterbi sums are
those of the plain recursion, so the tags are exactly the same; the marginals differ from a
per-step normalisation only in the last bits. ``test_ner_model`` checks the result equals
CRFsuite's.
"""

from __future__ import annotations

import json
from functools import lru_cache
from itertools import accumulate, chain, compress
from pathlib import Path
from typing import NamedTuple

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


class Batch(NamedTuple):
    """Sentences scored together, all starting at step 0.

    ``scores`` is ``(steps, labels, sentences)``; the steps after a sentence's length are never
    read. ``step`` and ``row`` locate each word of the sentences taken end to end.
    """

    scores: np.ndarray
    lens: list[int]
    step: np.ndarray
    row: np.ndarray


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
        self._bigrams = bigram_index(self.attr_index)
        nl = len(self.labels)
        # forward messages (rows 0..nl) go through expT, backward ones through its transpose: one
        # matrix product moves both, label-major (``step @ messages``)
        self._step = np.zeros((2 * nl, 2 * nl))
        self._step[:nl, :nl] = self.expT.T
        self._step[nl:, nl:] = self.expT
        self._rescale = rescale_interval(self.T)
        self._ban_id: dict[tuple[str, ...], int] = {}  # allowed labels → row of _ban_table
        self._ban_table = np.zeros((0, nl), dtype=bool)
        self._reset_rows()

    def _reset_rows(self) -> None:
        self._row: dict[str, int] = {}
        # own, as -2, -1, +1, +2 neighbour; row 0 stays empty (the neighbours of sentence edges)
        self._rows = np.zeros((1024, 5, len(self.labels)))

    def _vec(self, feats) -> np.ndarray:
        idx = [i for i in map(self.attr_index.get, feats) if i is not None]
        return self.W[idx].sum(0) if idx else np.zeros(len(self.labels))

    def _row_of(self, w: str) -> int:
        r = self._row.get(w)
        if r is None:
            r = self._row[w] = len(self._row) + 1
            if r >= len(self._rows):
                self._rows = np.concatenate([self._rows, np.zeros_like(self._rows)])
            f = self.featurizer
            self._rows[r, 0] = self._vec(f.own(w))
            for k, ctx in enumerate(f.ctx(w), 1):
                self._rows[r, k] = self._vec(ctx)
        return r

    def _row_ids(self, words: list[str]) -> list[int]:
        """Return the cached score row of each word, computing the rows of new words."""
        ids = list(map(self._row.get, words))
        if None in ids:
            if len(self._row) + len(words) >= _CACHE_ROWS:
                self._reset_rows()
            ids = [self._row_of(w) for w in words]
        return ids

    def _banned(self, kinds: list[tuple[str, ...]]) -> np.ndarray:
        """Return, for each tuple of allowed labels, the mask of the labels it rules out."""
        ids = list(map(self._ban_id.get, kinds))
        if None in ids:
            for labs in kinds:
                if labs not in self._ban_id:
                    keep = {self.label_index[x] for x in labs}
                    row = [[k not in keep for k in range(len(self.labels))]]
                    self._ban_id[labs] = len(self._ban_table)
                    self._ban_table = np.concatenate([self._ban_table, row])
            ids = list(map(self._ban_id.get, kinds))
        return self._ban_table[ids]

    def emissions(self, sentences: list[list[str]],
                  allowed: list[dict[int, tuple[str, ...]]] | None = None) -> Batch:
        """Return the state scores of a batch of sentences (``Batch``).

        A position with ``allowed`` labels scores -1e4 under every other label.
        """
        lens = [len(s) for s in sentences]
        b, n, nl = len(sentences), max(lens), len(self.labels)
        words = [w for s in sentences for w in s]
        ar = np.arange(b)
        col = np.repeat(ar, lens)
        ends = np.cumsum(lens)
        step = np.arange(len(words)) - np.repeat(ends - lens, lens)
        grid = np.zeros((n + 4, b), dtype=np.intp)  # two empty rows around every sentence
        grid[step + 2, col] = self._row_ids(words)
        v = self._rows[grid]
        e = v[2:-2, :, 0] + v[1:-3, :, 2]  # own features + those of the word before, the one
        e += v[:-4, :, 1]  # two before, and the two after
        e += v[3:-1, :, 3]
        e += v[4:, :, 4]
        e[0] += self.bos
        e[np.array(lens) - 1, ar] += self.eos
        flat = e.reshape(n * b, nl)
        cell = (step * b + col).tolist()
        self._add_bigrams(flat, words, lens, cell)
        if allowed:
            cells: list[int] = []
            kinds: list[tuple[str, ...]] = []
            o = 0
            for s, known in zip(sentences, allowed):
                if known:
                    cells += [cell[o + pos] for pos in known]
                    kinds += known.values()
                o += len(s)
            if cells:
                scores = flat[cells]
                scores[self._banned(kinds)] = -1e4
                flat[cells] = scores
        return Batch(e.transpose(0, 2, 1).copy(), lens, step, col)

    def _add_bigrams(self, flat: np.ndarray, words: list[str], lens: list[int], cell: list[int]) -> None:
        """Add the weights of word-pair features (``bi-=`` to the right word, ``bi+=`` to the left).

        ``words`` are the batch's sentences end to end; a pair across two sentences is no pair.
        """
        seconds = list(map(self._bigrams.get, words[:-1]))
        firsts = set(accumulate(lens))
        right: list[int] = []  # bi- weights, added before the bi+ ones (a word can take both)
        right_w: list[int] = []
        left: list[int] = []
        left_w: list[int] = []
        for i in compress(range(len(seconds)), seconds):
            hit = seconds[i].get(words[i + 1])
            if hit is None or i + 1 in firsts:
                continue
            a, b = hit
            if a >= 0:
                right.append(cell[i + 1])
                right_w.append(a)
            if b >= 0:
                left.append(cell[i])
                left_w.append(b)
        if right or left:
            np.add.at(flat, right + left, self.W[right_w + left_w])

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
                allowed[k] if b - a == len(sentences[k]) else {i - a: v for i, v in allowed[k].items() if a <= i < b}
                for k, a, b in pieces]
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
        batch = self.emissions([sentences[i] for i in live], [allowed[i] for i in live] if allowed else None)
        paths, conf = self._decode(batch, with_confidence)
        label = self.labels.__getitem__
        o = 0
        for i, path in zip(live, paths):
            out[i] = (list(map(label, path)), conf[o:o + len(path)] if conf else [1.0] * len(path))
            o += len(path)
        return out

    def _decode(self, batch: Batch, with_confidence: bool) -> tuple[list[list[int]], list[float]]:
        """Return the best label path of each sentence and, if asked, the marginal of each path label.

        Viterbi and the scaled forward-backward recursions advance in the same loop: each step
        is a few whole-batch array operations. The forward and backward messages move together
        (the backward ones from the last step down) and are rescaled every few steps
        (``rescale_interval``) rather than at each.
        """
        e, lens = batch.scores, batch.lens
        n, nl, b = e.shape
        best = np.empty_like(e)  # best path score ending in each label
        top = np.empty_like(e)  # the same before the step's emission
        cand = np.empty((n, nl, nl, b))  # (from, to) scores of each step
        best[0] = e[0]
        ar = np.arange(b)
        if with_confidence:
            scores = e[batch.step, :, batch.row]
            pe = np.exp(scores - scores.max(1, keepdims=True))  # (words, labels)
            # backward messages start at each sentence's last word and go down to its first
            rev = np.repeat(np.array(lens) - 1, lens) - batch.step
            weight = np.ones((n, 2 * nl, b))  # forward | backward weights; ones past the words
            weight[batch.step, :nl, batch.row] = pe
            weight[rev, nl:, batch.row] = pe
            msg = np.empty_like(weight)  # message into each step, before its emission
            msg[0] = 1.0
            z = weight[0].copy()
            halves = z.reshape(2, nl, b)  # forward and backward totals differ: rescaled apart
            M, Wt = list(msg), list(weight)
        B, Bx, Tp, C, E = list(best), list(best[:, :, None, :]), list(top), list(cand), list(e)
        add, maximum = np.add, np.maximum.reduce
        trans = np.repeat(self.T[:, :, None], b, axis=2)  # (from, to, rows)
        for t in range(1, n):
            add(Bx[t - 1], trans, C[t])
            maximum(C[t], 0, None, Tp[t])
            add(Tp[t], E[t], B[t])
            if with_confidence:
                np.dot(self._step, z, M[t])
                np.multiply(M[t], Wt[t], z)
                if t % self._rescale == 0:
                    halves /= halves.sum(1, keepdims=True)
        last = best[np.array(lens) - 1, :, ar].argmax(1).tolist()
        paths = _backtrack(_first_argmax(cand[1:], top[1:]), last, lens)
        if not with_confidence:
            return paths, []
        m = msg[batch.step, :nl, batch.row] * pe * msg[rev, nl:, batch.row]
        path = list(chain.from_iterable(paths))
        return paths, (m[np.arange(len(path)), path] / m.sum(1)).tolist()

    def tag(self, words: list[str], with_confidence: bool = False) -> tuple[list[str], list[float]]:
        """Return BIO tags for one sentence of normalised ``words`` (and marginals, if asked)."""
        return self.tag_many([words], with_confidence)[0]

    def tag_words(self, tokens: list[str]) -> list[str]:
        """Return BIO tags for raw corpus tokens (normalised here first)."""
        return self.tag(norm_tokens(tokens))[0]


def bigram_index(attr_index: dict[str, int]) -> dict[str, dict[str, tuple[int, int]]]:
    """Return first word → second word → attribute index of the pair's ``bi-=`` and ``bi+=`` features.

    -1 stands for a missing feature. A pair feature is ``first|second``; one whose words hold a
    ``|`` themselves is listed under every split, as the joined words would have matched it.
    """
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for attr, i in attr_index.items():
        if attr.startswith(("bi-=", "bi+=")):
            pair = attr[4:]
            for cut in (k for k, ch in enumerate(pair) if ch == "|"):
                seconds = out.setdefault(pair[:cut], {})
                a, b = seconds.get(pair[cut + 1:], (-1, -1))
                seconds[pair[cut + 1:]] = (i, b) if attr[2] == "-" else (a, i)
    return out


def rescale_interval(T: np.ndarray, limit: float = 250.0) -> int:
    """Return how many forward-backward steps may pass between rescalings of the messages.

    A step multiplies a message's total by at most ``labels × e^max(T)`` and at least
    ``e^min(T)`` (emissions are scaled to a maximum of 1), so ``limit`` bounds the exponent;
    a forward times a backward message stays within floats (e^±709).
    """
    per_step = max(float(T.max()) + np.log(len(T)), -float(T.min()), 1.0)
    return max(1, int(limit / per_step))


def _first_argmax(cand: np.ndarray, top: np.ndarray) -> np.ndarray:
    """Return, per step, label and row, the first ``from`` label reaching the step's best score.

    ``cand`` is ``(steps, from, to, rows)``, ``top`` its maximum over ``from``; this equals
    ``cand.argmax(1)`` and is several times faster for a handful of labels.
    """
    nl = cand.shape[1]
    hit = (cand == top[:, None]).view(np.uint8)
    rank = np.arange(nl, 0, -1, dtype=np.uint8)[None, :, None, None]
    return nl - (hit * rank).max(1)


def _backtrack(back: np.ndarray, last: list[int], lens: list[int]) -> list[list[int]]:
    """Return each row's path from its back pointers (``(steps-1, labels, rows)``, small ints)."""
    nl, b = back.shape[1], back.shape[2]
    ptr = back.astype(np.uint8, copy=False).tobytes()  # indexing bytes yields ints: cheaper than nested lists
    paths = []
    for r, n in enumerate(lens):
        k = last[r]
        path = [k]
        for t in range(n - 2, -1, -1):
            k = ptr[(t * nl + k) * b + r]
            path.append(k)
        path.reverse()
        paths.append(path)
    return paths


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
        if tags.count("O") == len(tags):
            continue
        forced = {i for i, labs in fixed[k].items() if len(labs) == 1} if fixed else set()
        for a, b, typ in sorted(spans(tags)):
            c = min(conf[a:b]) if conf else 1.0
            if c < PROPAGATE_MIN_CONFIDENCE or not forced.isdisjoint(range(a, b)):
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
        if by_first.keys().isdisjoint(words):
            out.append((tags, conf))
            continue
        tags, conf = list(tags), list(conf)
        for i in [i for i, w in enumerate(words) if w in by_first]:
            for key in by_first[words[i]]:
                k = len(key)
                if tuple(words[i + 1:i + k]) == key[1:] and tags[i:i + k].count("O") == k \
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
