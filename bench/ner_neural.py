"""Candidate: a small char-CNN + BiLSTM tagger (PyTorch CPU) on the same data as the CRF.

Not shipped (torch is not a runtime dependency); trained to compare with the CRF.
Usage: python bench/ner_neural.py [--corpora anercorp,aqmar] [--epochs 12] [--threads 1]
Prints per-corpus test scores and appends a JSON line to bench/ner_candidates.jsonl.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter

import numpy as np
import torch
from torch import nn

from marsad.ner import corpora as C
from marsad.ner.evaluate import score
from marsad.ner.features import norm_tokens, split_clitics, trigger_words
from marsad.ner.model import load_model

TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
TRIG = ["loc_head", "loc_prep", "org_head", "per_speech", "per_title"]
GAZ = ["PER", "ORG", "LOC"]


class Tagger(nn.Module):
    def __init__(self, n_words: int, n_chars: int, n_extra: int, wdim=100, cdim=32, cfil=64, hid=128):
        super().__init__()
        self.wemb = nn.Embedding(n_words, wdim, padding_idx=0)
        self.semb = nn.Embedding(n_words, wdim // 2, padding_idx=0)
        self.cemb = nn.Embedding(n_chars, cdim, padding_idx=0)
        self.conv = nn.Conv1d(cdim, cfil, 3, padding=1)
        self.lstm = nn.LSTM(wdim + wdim // 2 + cfil + n_extra, hid, batch_first=True, bidirectional=True)
        self.drop = nn.Dropout(0.4)
        self.out = nn.Linear(2 * hid, len(TAGS))

    def forward(self, w, s, c, x):
        b, n, k = c.shape
        ce = self.cemb(c.view(b * n, k)).transpose(1, 2)
        cf = torch.relu(self.conv(ce)).max(2).values.view(b, n, -1)
        h = torch.cat([self.wemb(w), self.semb(s), cf, x], -1)
        h, _ = self.lstm(self.drop(h))
        return self.out(self.drop(h))


def allowed() -> np.ndarray:
    """Return the BIO transition mask (an I-X only after B-X or I-X)."""
    m = np.ones((len(TAGS), len(TAGS)), dtype=bool)
    for j, t in enumerate(TAGS):
        if t.startswith("I-"):
            for i, p in enumerate(TAGS):
                m[i, j] = p[2:] == t[2:]
    return m


def viterbi(logp: np.ndarray, mask: np.ndarray) -> list[str]:
    trans = np.where(mask, 0.0, -1e9)
    start = np.array([0.0 if not t.startswith("I-") else -1e9 for t in TAGS])
    delta = logp[0] + start
    back = []
    for t in range(1, len(logp)):
        s = delta[:, None] + trans
        back.append(s.argmax(0))
        delta = s.max(0) + logp[t]
    path = [int(delta.argmax())]
    for bp in reversed(back):
        path.append(int(bp[path[-1]]))
    return [TAGS[i] for i in reversed(path)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpora", default="anercorp,aqmar")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    t0 = time.perf_counter()
    train = [(norm_tokens(t), y) for name in args.corpora.split(",") for t, y in C.load(name, "train")]
    gaz = load_model().featurizer.gazetteer  # the shipped CRF's gazetteer (same training corpora)
    trig = trigger_words()
    freq = Counter(w for s, _ in train for w in s)
    vocab = {w: i + 2 for i, w in enumerate(sorted(w for w, n in freq.items() if n >= 2))}
    stems = Counter(split_clitics(w)[1] for s, _ in train for w in s)
    for st in sorted(st for st, n in stems.items() if n >= 2):
        vocab.setdefault(st, len(vocab) + 2)
    chars = {ch: i + 2 for i, ch in enumerate(sorted({ch for s, _ in train for w in s for ch in w}))}

    def encode(words):
        w = [vocab.get(x, 1) for x in words]
        s = [vocab.get(split_clitics(x)[1], 1) for x in words]
        c = [[chars.get(ch, 1) for ch in x[:20]] for x in words]
        ex = []
        for x in words:
            st = split_clitics(x)[1]
            g = (gaz.get(x) or gaz.get(st) or "").split("|")
            tr = (trig.get(x) or trig.get(st) or "").split("|")
            ex.append([float(t in g) for t in GAZ] + [float(t in tr) for t in TRIG])
        return w, s, c, ex

    def batchify(items):
        n = max(len(i[0]) for i in items)
        k = max(len(ch) for i in items for ch in i[2])
        b = len(items)
        W = torch.zeros(b, n, dtype=torch.long)
        S = torch.zeros(b, n, dtype=torch.long)
        Cc = torch.zeros(b, n, k, dtype=torch.long)
        X = torch.zeros(b, n, len(GAZ) + len(TRIG))
        for i, (w, s, c, ex) in enumerate(items):
            W[i, : len(w)] = torch.tensor(w)
            S[i, : len(s)] = torch.tensor(s)
            for j, cc in enumerate(c):
                Cc[i, j, : len(cc)] = torch.tensor(cc)
            X[i, : len(ex)] = torch.tensor(ex)
        return W, S, Cc, X

    data = [(encode(s), [TAGS.index(t) for t in y]) for s, y in train]
    model = Tagger(len(vocab) + 2, len(chars) + 2, len(GAZ) + len(TRIG))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    lossf = nn.CrossEntropyLoss(ignore_index=-1)
    for ep in range(args.epochs):
        model.train()
        random.shuffle(data)
        total = 0.0
        for k in range(0, len(data), 32):
            chunk = data[k:k + 32]
            W, S, Cc, X = batchify([e for e, _ in chunk])
            # word dropout: unknown-word behaviour is learned from rare training words
            W = torch.where((torch.rand(W.shape) < 0.1) & (W > 0), torch.ones_like(W), W)
            Y = torch.full(W.shape, -1, dtype=torch.long)
            for i, (_, y) in enumerate(chunk):
                Y[i, : len(y)] = torch.tensor(y)
            loss = lossf(model(W, S, Cc, X).view(-1, len(TAGS)), Y.view(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += loss.item()
        print(f"epoch {ep + 1}: loss {total:.1f} ({time.perf_counter() - t0:.0f} s)", flush=True)
    train_seconds = time.perf_counter() - t0
    model.eval()
    mask = allowed()
    results = {}
    t1 = time.perf_counter()
    ntok = 0
    with torch.no_grad():
        for name in C.CORPORA:
            test = C.load(name, "test")
            pred = []
            for k in range(0, len(test), 64):
                chunk = test[k:k + 64]
                enc = [encode(norm_tokens(t)) for t, _ in chunk]
                logp = torch.log_softmax(model(*batchify(enc)), -1).numpy()
                for i, (t, _) in enumerate(chunk):
                    pred.append(viterbi(logp[i, : len(t)], mask))
                    ntok += len(t)
            results[name] = score([y for _, y in test], pred)
            print(name, {t: results[name][t]["f1"] for t in results[name]})
    tok_s = ntok / (time.perf_counter() - t1)
    params = sum(p.numel() for p in model.parameters())
    row = {"name": f"bilstm-charcnn-{args.corpora.replace(',', '+')}", "train_seconds": round(train_seconds),
           "size_mb": round(params * 4 / 1e6, 1), "tokens_per_s": round(tok_s),
           "settings": vars(args), "test": {c: {t: r[t]["f1"] for t in r} for c, r in results.items()}}
    with open("bench/ner_candidates.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(row) + "\n")
    print(json.dumps(row))


if __name__ == "__main__":
    main()
