"""CRF features of normalised Arabic tokens.

Features are computed once per distinct token string (cached) and combined by position:
the token's own features, a smaller set for each neighbour in a ±2 window, and word bigrams.
The same code serves the pre-tokenised corpora and ``doc.tokens`` (via ``Token.norm``), so
training and tagging see identical strings: both go through ``marsad.text.normalize``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

import yaml

from marsad.text.normalize import normalize

# Proclitics in normalised spelling: conjunction, then preposition, then the article.
_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")
_ARABIC = re.compile(r"[\u0621-\u064A\u066E-\u06D3\u06FA-\u06FF]")  # letters, not Arabic punctuation
_LATIN = re.compile(r"[a-z]")
_DIGIT = re.compile(r"[0-9]")
_PRON_SUFFIX = ("هما", "هم", "ها", "كم", "نا", "ه")


@lru_cache(maxsize=65536)
def split_clitics(w: str) -> tuple[str, str]:
    """Return ``(proclitics, stem)`` of a normalised word, keeping a stem of at least 2 letters."""
    pre = ""
    rest = w
    if len(rest) > 3 and rest[0] in _CONJ:
        pre, rest = rest[0], rest[1:]
    if rest.startswith("لل") and len(rest) > 3:  # ل + ال with the alef dropped (للجيش)
        return pre + "لل", rest[2:]
    if len(rest) > 3 and rest[0] in _PREP:
        pre, rest = pre + rest[0], rest[1:]
    if rest.startswith("ال") and len(rest) > 3:
        pre, rest = pre + "ال", rest[2:]
    return pre, rest


_WORD_CLASS_FILES = ("triggers.yaml", "given_names.yaml")
_NOT_FEATURES = frozenset(("misc_head",))  # word lists the pipeline uses after tagging, not the tagger


@lru_cache(maxsize=None)
def _word_lists(fname: str) -> dict[str, list[str]]:
    """A word-list file of ``marsad/data/ner`` (class → words), read once."""
    return yaml.safe_load(resources.files("marsad.data.ner").joinpath(fname).read_text("utf-8"))


@lru_cache(maxsize=1)
def misc_heads() -> frozenset[str]:
    """Normalised nouns (and their stems) that head a name that is no person, place or organisation
    here: weapons, ships, aircraft, operations (``misc_head`` in ``triggers.yaml``)."""
    words = _word_lists("triggers.yaml")["misc_head"]
    return frozenset(k for word in words for k in (normalize(word), split_clitics(normalize(word))[1]))


@lru_cache(maxsize=1)
def trigger_words() -> dict[str, str]:
    """Return normalised cue word (and its clitic-free stem) → ``"per_title|org_head"`` classes.

    Read once from ``marsad/data/ner/triggers.yaml`` (words announcing a name next to them)
    and ``given_names.yaml`` (first names, class ``given_name``).
    """
    classes: dict[str, set[str]] = {}
    for fname in _WORD_CLASS_FILES:
        for cls, words in _word_lists(fname).items():
            if cls in _NOT_FEATURES:
                continue
            for word in words:
                w = normalize(word)
                # a trigger also matches through its stem (للرئيس); a name only as written, so
                # that فادي does not list the stem ادي
                for key in {w, split_clitics(w)[1]} if cls != "given_name" else (w,):
                    classes.setdefault(key, set()).add(cls)
    return {k: "|".join(sorted(v)) for k, v in classes.items()}


def shape(w: str) -> str:
    """Return a coarse shape class: script, digits, punctuation."""
    if _DIGIT.search(w):
        return "num" if not _ARABIC.search(w) else "arnum"
    if _ARABIC.search(w):
        return "ar" if not _LATIN.search(w) else "mixed"
    if _LATIN.search(w):
        return "lat"
    if all(unicodedata.category(c).startswith("P") or unicodedata.category(c).startswith("S") for c in w):
        return "punct"
    return "other"


class Featurizer:
    """Turns a sentence of token strings into CRF feature lists, with per-word caches.

    ``gazetteer`` maps a normalised word (or stem) to the entity types it was listed under in
    the training corpora, ``external`` to the types of the outside name lists it occurs in
    (``"B-LOC|I-PER"``: first / later word of a name); both are saved with the model so
    training and tagging use the same lists.
    """

    def __init__(self, gazetteer: dict[str, str] | None = None, features: tuple[str, ...] = (),
                 external: dict[str, str] | None = None):
        unknown = set(features) - {"triggers", "ngrams"}
        if unknown:
            raise ValueError(f"unknown NER feature groups {sorted(unknown)}; known: triggers, ngrams")
        self.gazetteer = gazetteer or {}
        self.external = external or {}
        self.triggers = trigger_words() if "triggers" in features else {}
        self.ngrams = "ngrams" in features
        self._own: dict[str, tuple[str, ...]] = {}
        self._ctx: dict[str, tuple[tuple[str, ...], ...]] = {}

    def own(self, w: str) -> tuple[str, ...]:
        """Return the features of a token that do not depend on its neighbours."""
        f = self._own.get(w)
        if f is not None:
            return f
        pre, stem = split_clitics(w)
        sh = shape(w)
        feats = [
            "w=" + w, "stem=" + stem, "pre=" + pre, "sh=" + sh,
            "p2=" + stem[:2], "p3=" + stem[:3],
            "s1=" + w[-1:], "s2=" + w[-2:], "s3=" + w[-3:],
            "ss2=" + stem[-2:], "ss3=" + stem[-3:],
            "len=" + str(min(len(stem), 8)),
        ]
        for suf in _PRON_SUFFIX:
            if stem.endswith(suf) and len(stem) > len(suf) + 2:
                feats.append("pron=" + suf)
                break
        g = self.gazetteer.get(w) or self.gazetteer.get(stem)
        if g:
            feats.extend("gaz=" + t for t in g.split("|"))
        tr = self.triggers.get(w) or self.triggers.get(stem)
        if tr:
            feats.extend("trig=" + t for t in tr.split("|"))
        ex = self.external.get(w) or self.external.get(stem)
        if ex:
            feats.extend("ext=" + t for t in ex.split("|"))
        if self.ngrams and sh == "ar" and len(stem) > 3:
            padded = "<" + stem + ">"
            feats.extend({"ng=" + padded[i:i + 3] for i in range(len(padded) - 2)})
        f = self._own[w] = tuple(feats)
        return f

    def ctx(self, w: str) -> tuple[tuple[str, ...], ...]:
        """Return the features a token lends to its neighbours at offsets -2, -1, +1, +2."""
        c = self._ctx.get(w)
        if c is not None:
            return c
        pre, stem = split_clitics(w)
        g = self.gazetteer.get(w) or self.gazetteer.get(stem)
        tr = self.triggers.get(w) or self.triggers.get(stem)
        base = ["w=" + w, "stem=" + stem] + (["trig=" + tr] if tr else [])
        near = base + ["s2=" + w[-2:], "pre=" + pre, "sh=" + shape(w)]
        if g:
            near.append("gaz=" + g)
        ex = self.external.get(w) or self.external.get(stem)
        if ex:
            near.append("ext=" + ex)
        c = self._ctx[w] = (
            tuple("-2" + x for x in base), tuple("-1" + x for x in near),
            tuple("+1" + x for x in near), tuple("+2" + x for x in base),
        )
        return c

    def sentence(self, words: list[str]) -> list[list[str]]:
        """Return one feature list per token of an already normalised sentence."""
        n = len(words)
        ctx = [self.ctx(w) for w in words]
        out: list[list[str]] = []
        for i, w in enumerate(words):
            f = list(self.own(w))
            if i == 0:
                f.append("BOS")
            else:
                f.extend(ctx[i - 1][1])
                f.append("bi-=" + words[i - 1] + "|" + w)
                if i > 1:
                    f.extend(ctx[i - 2][0])
            if i == n - 1:
                f.append("EOS")
            else:
                f.extend(ctx[i + 1][2])
                f.append("bi+=" + w + "|" + words[i + 1])
                if i < n - 2:
                    f.extend(ctx[i + 2][3])
            out.append(f)
        return out


def norm_tokens(tokens: list[str]) -> list[str]:
    """Return corpus tokens normalised like ``doc.norm`` (an emptied token becomes ``_``)."""
    return [normalize(t) or "_" for t in tokens]
