"""Tokens with Arabic clitics split off, on raw offsets.

Tokens are found with one regex over ``doc.norm``: Arabic letter runs, Latin words, digit groups
(``1,200`` / ``2.5``) and single punctuation marks, so ``15مبنى`` gives ``15`` + ``مبنى`` and
``بـ14`` gives ``ب`` + ``14``. Each Arabic word is then segmented into proclitics
(و/ف, ب/ل/ك, ال, future س) + stem + pronoun suffix. Whether a leading letter is a clitic is
decided by data (``clitics.yaml`` rules and ``stem_vocab.tsv`` frequencies built from NER train
splits by ``tools/build_stem_vocab.py``): ``ولبنان`` → و + لبنان, but ``وزارة``, ``بولندا``,
``كييف`` and ``لبنان`` stay whole. Segmentations are cached per word form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from marsad.document import Document, Token
from marsad.pipeline import stage
from marsad.text.normalize import normalize

ARABIC_LETTERS = "\u0621-\u064a\u0671-\u06d3"
_HAMZA_ALEF = frozenset("أإآٱ")
_UNSEEN = object()
_TOKEN_RX = re.compile(
    rf"(?P<ar>[{ARABIC_LETTERS}]+)"
    r"|(?P<num>\d+(?:[.,]\d+)*)"
    r"|(?P<lat>[a-z\u00c0-\u024f]+(?:['’][a-z\u00c0-\u024f]+)*)"
    r"|(?P<w>[^\W\d_]+)"  # other scripts (Cyrillic, Hebrew …): one word token
    r"|(?P<p>[^\w\s]|_)"
)
# the same tokens, for re.split: one group around the whole pattern (only whitespace lies between tokens)
_TOKEN_SPLIT_RX = re.compile("(" + re.sub(r"\(\?P<\w+>", "(?:", _TOKEN_RX.pattern) + ")")


@dataclass(frozen=True)
class Segmentation:
    """How one normalised word splits: proclitics, stem bounds within the word, suffix."""

    prefixes: tuple[str, ...]
    stem_from: int  # index into the word where the stem starts
    stem_to: int  # index where the suffix starts (== len(word) without suffix)
    stem: str  # the stem, with a ت before a suffix restored to ه (حكومتها → حكومه)
    suffix: str


class _Rules:
    """clitics.yaml plus the word-frequency vocabulary, normalised."""

    def __init__(self) -> None:
        spec = yaml.safe_load(resources.files("marsad.data.lexicons").joinpath("clitics.yaml").read_text("utf-8"))
        n = normalize
        self.conj = tuple(n(x) for x in spec["conjunctions"])
        self.preps = tuple(n(x) for x in spec["prepositions"])
        self.article = n(spec["article"])
        self.future = n(spec["future"])
        self.future_verb = tuple(n(x) for x in spec["future_verb_prefixes"])
        self.suffixes = tuple(sorted((n(x) for x in spec["suffixes"]), key=len, reverse=True))
        ratios = spec.get("suffix_ratio") or {}
        self.default_suffix_ratio = float(ratios.get("default", 0.1))
        self.suffix_ratio = {n(k): float(v) for k, v in ratios.items() if k != "default"}
        self.possessive_only_after_ta = frozenset(n(x) for x in spec.get("suffix_only_after_ta", []))
        self.proclitic_ratio = float(spec["proclitic_ratio"])
        self.min_count = int(spec["min_stem_count"])
        self.min_len = int(spec["min_stem_length"])
        self.min_article_stem = int(spec["min_article_stem"])
        self.unknown_waw = int(spec["unknown_waw_min_stem"])
        self.short = frozenset(n(x) for x in spec["short_stems"])
        self.no_split = frozenset(n(x) for x in spec["no_split"])
        self.keep_initial = tuple(n(x) for x in spec["keep_initial"])
        self.suffix_hosts = frozenset(n(x) for x in spec["suffix_hosts"])
        self.vocab = _vocab(self.min_count)

    def count(self, w: str) -> int:
        return self.vocab.get(w, 0)

    def lexical(self, word: str) -> bool:
        """A word seen with the article (البيان، الوسائل، الكامل) is a word, not clitic + stem."""
        return self.count(self.article + word) > 0

    def stem_ok(self, stem: str, whole: int, ratio: float) -> bool:
        """A stem is acceptable when known (or a listed short word) and not much rarer than the whole."""
        if stem in self.short:
            return True
        if len(stem) < self.min_len:
            return False
        c = self.count(stem)
        if c < self.min_count and stem.startswith(self.article):
            c = self.count(stem[len(self.article):])
        return c >= self.min_count and c >= ratio * whole


def _dual_forms(s: str) -> list[str]:
    """Dual forms of a normalised singular: شخص → شخصان/شخصين, مسيره → مسيرتان/مسيرتين."""
    if s.endswith("ه"):
        return [s[:-1] + "تان", s[:-1] + "تين"]
    if s.endswith("ي"):
        return [s + "ان"]
    return [s + "ان", s + "ين"]


def load_lexicon(name: str) -> dict:
    """A YAML file of ``marsad/data/lexicons``."""
    return yaml.safe_load(resources.files("marsad.data.lexicons").joinpath(name).read_text("utf-8"))


def counted_noun_forms(entry: dict) -> tuple[list[str], list[str], set[str]]:
    """Normalised (singulars, duals, plurals) of one ``counted_nouns.yaml`` entry: duals are the
    listed ones plus those generated from each singular, unless that form is a plural too
    (ناشطين is a plural, not "two activists")."""
    singulars = [normalize(w) for w in entry["singular"]]
    plurals = {normalize(w) for w in entry.get("plural", ())}
    duals = [d for w in singulars for d in _dual_forms(w) if d not in plurals]
    duals += [normalize(w) for w in entry.get("dual", ())]
    return singulars, duals, plurals


@lru_cache(maxsize=1)
def _vocab(floor: int) -> dict[str, int]:
    """Word counts of ``stem_vocab.tsv``, plus every form of the counted nouns of
    ``counted_nouns.yaml`` at count ``floor`` at least (the corpora rarely show "صاروخين", so
    "بصاروخين" stayed one word)."""
    text = resources.files("marsad.data.lexicons").joinpath("stem_vocab.tsv").read_text("utf-8")
    out: dict[str, int] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            w, _, c = line.partition("\t")
            out[w] = int(c)
    for entries in load_lexicon("counted_nouns.yaml")["nouns"].values():
        for e in entries:
            singulars, duals, plurals = counted_noun_forms(e)
            for form in (*singulars, *duals, *plurals):
                if " " not in form:
                    out[form] = max(out.get(form, 0), floor)
    return out


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """The loaded clitic rules (once per process)."""
    return _Rules()


def _strip_proclitics(word: str, r: _Rules, article_ok: bool = True) -> tuple[tuple[str, ...], int]:
    """Return the proclitics of ``word`` and where its stem starts."""
    if word in r.no_split or word.startswith(r.keep_initial):
        return (), 0
    prefixes: list[str] = []
    i = 0
    if word[0] in r.conj and len(word) > 2 and _conj_ok(word, r):
        prefixes.append(word[0])
        i = 1
    rest = word[i:]
    if rest[:1] in r.preps and len(rest) > 2 and rest not in r.no_split and not rest.startswith(r.keep_initial):
        if rest.startswith("لل") and len(rest) - 2 >= r.min_article_stem:
            return (*prefixes, "ل", r.article), i + 2  # لل = ل + ال
        if (rest[1:].startswith(r.article) and len(rest) - 3 >= r.min_article_stem) or \
                (r.stem_ok(rest[1:], r.count(rest), r.proclitic_ratio) and not r.lexical(rest)):
            prefixes.append(rest[0])
            i += 1
    rest = word[i:]
    if article_ok and rest.startswith(r.article) and len(rest) - 2 >= r.min_article_stem and rest not in r.no_split:
        prefixes.append(r.article)
        i += 2
    elif rest[:1] == r.future and rest[1:2] in r.future_verb and len(rest) >= 5 and \
            r.stem_ok(rest[1:], r.count(rest), r.proclitic_ratio):
        prefixes.append(r.future)  # سيواصل → س + يواصل (a known word like سياسة stays whole)
        i += 1
    return tuple(prefixes), i


def _conj_ok(word: str, r: _Rules) -> bool:
    """Is the leading و/ف of ``word`` a conjunction? (ولبنان yes; وزارة, فولوديمير no)."""
    rest = word[1:]
    if rest in r.no_split or (rest.startswith(r.article) and len(rest) >= 4):
        return True
    whole = r.count(word)
    if r.lexical(word):
        return False
    if r.stem_ok(rest, whole, r.proclitic_ratio):
        return True
    if rest[:1] in r.preps and len(rest) > 3 and (rest[2:].startswith(r.article) or r.count(rest) >= r.min_count):
        return True  # وبالقرب، ولهذا
    # an unknown word whose remainder is long enough: وزيلينسكي
    return whole == 0 and word[0] == r.conj[0] and len(rest) >= r.unknown_waw


@lru_cache(maxsize=131072)
def segment_word(word: str, ta_marbuta_end: bool = False, article_ok: bool = True) -> Segmentation:
    """Segment a normalised Arabic word.

    ``ta_marbuta_end``: its raw last letter is ة (so a final ه is no pronoun); ``article_ok`` False
    when the raw letters read as ال are أل/آل (ألفين، آلاف: no article).
    """
    r = rules()
    prefixes, i = _strip_proclitics(word, r, article_ok)
    stem = word[i:]
    suffix = ""
    end = len(word)
    if stem not in r.no_split and not (ta_marbuta_end and stem.endswith("ه")) and not r.lexical(stem):
        whole = r.count(stem)
        for suf in r.suffixes:
            if stem.endswith(suf) and len(stem) > len(suf):
                base = stem[: -len(suf)]
                ratio = r.suffix_ratio.get(suf, r.default_suffix_ratio)
                if base.endswith("ت"):
                    cands: tuple[str, ...] = (base, base[:-1] + "ه")
                elif suf in r.possessive_only_after_ta:
                    cands = (base,) if base in r.suffix_hosts else ()  # مدني، الروسي: ي is a nisba ending
                else:
                    cands = (base,)
                for cand in cands:
                    if cand in r.suffix_hosts or len(cand) >= r.min_len and r.stem_ok(cand, whole, ratio):
                        suffix, end, stem = suf, len(word) - len(suf), cand
                        break
                if suffix:
                    break
    return Segmentation(prefixes, i, end, stem, suffix)


def bare(tok: Token) -> str:
    """The token without its proclitics but with its suffix (``والصاروخين`` → ``صاروخين``)."""
    return tok.norm[len(tok.norm) - len(tok.stem) - len(tok.suffix):]


_FLAGS = {"ar": (), "w": (), "p": ((), "", True), "lat": ((), "", False, True), "num": ((), "", False, False, True)}
_SHAPES: dict[str, tuple | Segmentation | None] = {}  # word → see ``_shape``
_SHAPES_MAX = 131072


def _shape(word: str) -> tuple | Segmentation | None:
    """How a token of this word is built, cached per word (its kind: the group ``_TOKEN_RX`` takes it with).

    A tuple: the ``Token`` flags of a word that never splits; a ``Segmentation``: the split of a word
    whose raw letters cannot change it (no final ه that may be a raw ة); None: segment per token."""
    kind = _TOKEN_RX.match(word).lastgroup  # type: ignore[union-attr]
    flags: tuple | Segmentation | None = _FLAGS[kind]
    if kind == "ar":
        if word[-1] == "ه":
            if _splits(segment_word(word, False)) or _splits(segment_word(word, True)):
                flags = None
        elif _splits(seg := segment_word(word)):
            flags = seg
    if len(_SHAPES) >= _SHAPES_MAX:
        _SHAPES.clear()
    _SHAPES[word] = flags
    return flags


def _splits(seg: Segmentation) -> bool:
    return bool(seg.prefixes or seg.suffix)


def tokenize(doc: Document) -> list[Token]:
    """Return the tokens of ``doc`` (normalised already) with raw offsets and clitics split."""
    norm, n2r, text = doc.norm, doc.norm_to_raw, doc.text
    n2r_end = [*n2r[1:], len(text)] if n2r else []  # raw end of a token ending before norm char i+1
    out: list[Token] = []
    append = out.append
    shapes = _SHAPES
    parts = iter(_TOKEN_SPLIT_RX.split(norm))  # space, token, space, token, …, space
    ne = 0
    for space, w in zip(parts, parts):
        ns = ne + len(space)
        ne = ns + len(w)
        rs = n2r[ns]
        re_ = n2r_end[ne - 1]
        shape = shapes.get(w, _UNSEEN)
        if shape is _UNSEEN:
            shape = _shape(w)
        if shape.__class__ is tuple:  # (most words: no flags, and a plain call is faster than *())
            append(Token(rs, re_, w, w, rs, re_, *shape) if shape else Token(rs, re_, w, w, rs, re_))
            continue
        if shape is None:
            shape = segment_word(w, text[n2r[ne - 1]] == "ة")
            if not _splits(shape):
                append(Token(rs, re_, w, w, rs, re_))
                continue
        if "ال" in shape.prefixes and text[n2r[ns + shape.stem_from - 2]] in _HAMZA_ALEF:
            shape = segment_word(w, text[n2r[ne - 1]] == "ة", False)  # أل / آل are not the article
        ss = n2r[ns + shape.stem_from]
        se = n2r[ns + shape.stem_to] if shape.stem_to < len(w) else re_
        append(Token(rs, re_, w, shape.stem, ss, se, shape.prefixes, shape.suffix))
    return out


@stage("tokenize", requires=["norm"], assigns=["tokens"])
def tokenize_stage(doc: Document) -> None:
    doc.tokens = tokenize(doc)
