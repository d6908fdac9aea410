"""Counts written in digits or Arabic number words, with their hedges and counted nouns.

Reads ``doc.tokens`` (clitics split, so ``وعشرين`` is و + عشرين) and finds:
digits with separators (``1,200``, ``77704``, ``2.5 مليون``), number words from واحد to ملايين
in both genders (ثلاث/ثلاثة، إحدى عشرة، ثلاثة وعشرين، ثلاثمائة، ثلاثة آلاف، 35 ألف), vague
magnitudes (عشرات، مئات، عدد من → value None, vague), singular and dual countable nouns
(``شخص`` → implicit 1, ``صاروخين`` → implicit 2, from ``counted_nouns.yaml``), "one of them"
(إحداها), and the qualifier of each count (حوالي، على الأقل، أكثر من … from ``numbers.yaml``,
before the number or after its noun). Numbers inside dates, clock times, years and percentages
are not counts and are left out.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache


from marsad.document import Document, NumberMention, Token
from marsad.pipeline import stage
from marsad.text.dates import calendar_spans
from marsad.text.normalize import alternation, normalize
from marsad.text.tokens import ARABIC_LETTERS, bare, counted_noun_forms, load_lexicon, segment_word

# word categories
UNIT, TEEN, TEN, HUNDRED, SCALE_ONE, SCALE_TWO, SCALE_MANY, VAGUE = range(8)
_YEAR_RX = re.compile(r"(?:19|20)\d\d")
_DIGIT_SEPARATOR = re.compile(r"[.,]")
_ARABIC_WORD = re.compile(f"[{ARABIC_LETTERS}]+")


@dataclass(frozen=True)
class _Lexicon:
    starts: frozenset[str]  # bare token forms that may start a mention (a fast pre-filter)
    stem_starts: frozenset[str]  # … and their stems, to test a token with clitics without slicing
    # the token's form without proclitics must be one of these (number words, counted nouns, the first
    # words of phrases ± ال) for a word to start anything; None when a phrase word is not all letters
    bare_starts: frozenset[str] | None
    words: dict[str, tuple[int, int]]  # normalised word → (category, value)
    teen: frozenset[str]
    hundred_words: frozenset[str]
    vague_phrase: re.Pattern[str]
    vague_leads: frozenset[str]  # the letters a vague phrase can start with (a cheap test before the regex)
    one_of_them: re.Pattern[str]
    one_of_them_leads: frozenset[str]
    qual_before: re.Pattern[str]
    qual_after: re.Pattern[str]
    not_after: re.Pattern[str]
    digits_not_after: re.Pattern[str]  # clock times: only after digits
    not_before: re.Pattern[str]
    noun_skip: dict[str, tuple[tuple[str, ...], ...]]  # first word → words skipped before a noun, longest first
    not_nouns: frozenset[str]
    singular: dict[str, str]  # form → category
    dual: dict[str, str]
    plural: dict[str, str]
    ones: frozenset[str]  # واحد / واحدة after a singular noun
    twos: frozenset[str]  # اثنين / اثنتين after a dual noun
    no_implicit_after: frozenset[str]  # "بدون طيار": no count
    model_markers: frozenset[str]  # "طراز شاهد 136": a model number


@lru_cache(maxsize=1)
def unit_words() -> dict[str, int]:
    """Normalised unit/ten words → value (also used by the date reader for "قبل ثلاثة أيام")."""
    spec = load_lexicon("numbers.yaml")
    out = {normalize(w): int(v) for v, ws in spec["units"].items() for w in ws}
    out.update({normalize(w): int(v) for v, ws in spec["tens"].items() for w in ws})
    return out


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """numbers.yaml and counted_nouns.yaml, normalised and compiled (once per process)."""
    spec = load_lexicon("numbers.yaml")
    n = normalize
    words: dict[str, tuple[int, int]] = {}
    for v, ws in spec["units"].items():
        for w in ws:
            words[n(w)] = (UNIT, int(v))
    for v, ws in spec["tens"].items():
        for w in ws:
            words[n(w)] = (TEN, int(v))
    for v, ws in spec["hundreds"].items():
        for w in ws:
            words[n(w)] = (HUNDRED, int(v))
    hundred_words = frozenset(n(w) for w in spec["hundred_words"])
    for w, (cat, v) in list(words.items()):  # ثلاثمائة، خمسمئة، ثمانمائة
        if cat == UNIT and 3 <= v <= 9:
            for h in hundred_words:
                words[w.removesuffix("ه") + h] = (HUNDRED, v * 100)
                words[w + h] = (HUNDRED, v * 100)
    for scale, forms in spec["scales"].items():
        for key, cat in (("one", SCALE_ONE), ("two", SCALE_TWO), ("many", SCALE_MANY)):
            for w in forms.get(key, []):
                words[n(w)] = (cat, int(scale))
    for w in spec["vague_words"]:
        words.setdefault(n(w), (VAGUE, 0))
    before = "|".join(f"(?P<{k}>{alternation(v)})" for k, v in spec["qualifiers_before"].items())
    after = "|".join(f"(?P<{k}>{alternation(v)})" for k, v in spec["qualifiers_after"].items())
    noun_spec = load_lexicon("counted_nouns.yaml")
    nouns = noun_spec["nouns"]
    no_implicit = set(noun_spec.get("no_implicit_singular", []))
    singular: dict[str, str] = {}
    dual: dict[str, str] = {}
    plural: dict[str, str] = {}
    for category, entries in nouns.items():
        for e in entries:
            singulars, duals, plurals = counted_noun_forms(e)
            plural.update(dict.fromkeys(plurals, category))
            if category not in no_implicit:
                singular.update(dict.fromkeys(singulars, category))
            dual.update(dict.fromkeys(duals, category))
    vague_phrases = [n(w) for w in spec["vague_phrases"]]
    one_of_them = [n(w) for w in spec["one_of_them"]]
    starts = frozenset([*words, *singular, *dual, *(w.split()[0] for w in vague_phrases + one_of_them),
                        *(w.split()[0].removeprefix("ال") for w in vague_phrases)])
    firsts = [w.split()[0] for w in vague_phrases + one_of_them]
    bare_starts = frozenset([*words, *singular, *dual, *firsts, *("ال" + w.split()[0] for w in vague_phrases)])
    return _Lexicon(
        starts=starts,
        stem_starts=starts | {segment_word(w).stem for w in starts if " " not in w},
        bare_starts=bare_starts if all(_ARABIC_WORD.fullmatch(w) for w in firsts) else None,
        words=words,
        teen=frozenset(n(w) for w in spec["teen"]),
        hundred_words=hundred_words,
        vague_phrase=re.compile(rf"(?:ال)?(?:{alternation(spec['vague_phrases'])})(?!\w)"),
        vague_leads=frozenset(["ا", *(w.split()[0][0] for w in vague_phrases)]),  # "ا": the optional ال
        one_of_them=re.compile(rf"(?:{alternation(spec['one_of_them'])})(?!\w)"),
        one_of_them_leads=frozenset(w.split()[0][0] for w in one_of_them),
        qual_before=re.compile(rf"(?:^|(?<=[^\w]))[وفب]?(?:{before})\s*(?:ال)?\s*$"),
        qual_after=re.compile(rf"\s*,?\s*(?:{after})(?!\w)"),
        not_after=re.compile(rf"\s*(?:{alternation(spec['not_count_after'])})(?!\w)"),
        digits_not_after=re.compile(rf"\s*(?:{alternation(spec['digits_not_count_after'])})(?!\w)"),
        not_before=re.compile(rf"(?:^|(?<=[^\w]))[وفبل]?(?:{alternation(spec['not_count_before'])})\s*\(?\s*$"),
        noun_skip=_by_first_word(sorted((tuple(n(w).split()) for w in spec["noun_skip"]), key=len, reverse=True)),
        not_nouns=frozenset(n(w) for w in spec["not_nouns"]),
        singular=singular,
        dual=dual,
        plural=plural,
        ones=frozenset(w for w, (c, v) in words.items() if c == UNIT and v == 1 and w.startswith("واحد")),
        twos=frozenset(w for w, (c, v) in words.items() if c == UNIT and v == 2),
        no_implicit_after=frozenset(n(w) for w in spec["no_implicit_after"]),
        model_markers=frozenset(n(w) for w in spec["model_markers"]),
    )


def _by_first_word(seqs: list[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Word sequences grouped by their first word, in their given order."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for seq in seqs:
        out.setdefault(seq[0], []).append(seq)
    return {k: tuple(v) for k, v in out.items()}


def parse_digits(s: str) -> float | None:
    """``1,200``/``1.200`` → 1200 (groups of three are separators), ``2.5`` → 2.5."""
    parts = _DIGIT_SEPARATOR.split(s)
    if len(parts) == 1:
        return float(int(s))
    if all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3:
        return float(int("".join(parts)))
    if len(parts) == 2:
        return float(f"{parts[0]}.{parts[1]}")
    return None


class _Reader:
    """Walks the tokens of one document and collects number mentions."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.lex = lexicon()
        self.toks = doc.tokens
        self.norm = doc.norm
        self.blocked = calendar_spans(doc.norm)
        self.out: list[NumberMention] = []
        self.used: set[int] = set()  # token indices consumed (number words, counted nouns)

    # ----------------------------------------------------------------- helpers
    def n_start(self, tok: Token) -> int:
        """Norm offset of a token's start (binary search over norm_to_raw)."""
        return bisect_left(self.doc.norm_to_raw, tok.start)

    def n_end(self, tok: Token) -> int:
        """Norm offset just after a token."""
        return bisect_left(self.doc.norm_to_raw, tok.end)

    def word(self, i: int) -> tuple[int, int, bool] | None:
        """(category, value, has_و) of token ``i`` when it is a number word (never with ال)."""
        if i >= len(self.toks):
            return None
        t = self.toks[i]
        if t.is_punct or t.is_digit or t.is_latin:
            return None
        key = bare(t)
        hit = self.lex.words.get(key) or self.lex.words.get(t.norm)
        if hit is None:
            return None
        if "ال" in t.prefixes and hit[0] not in (VAGUE, SCALE_MANY):  # الأحد، الاثنين are weekdays
            return None
        return hit[0], hit[1], t.prefixes[:1] == ("و",)

    def blocked_at(self, ns: int, ne: int) -> bool:
        """Does norm span [ns, ne) overlap a date or a clock time?"""
        k = bisect_right(self.blocked, (ns, 1 << 60)) - 1
        return (k >= 0 and self.blocked[k][1] > ns) or (k + 1 < len(self.blocked) and self.blocked[k + 1][0] < ne)

    # ----------------------------------------------------------------- phrases
    def phrase(self, i: int) -> tuple[float, int] | None:
        """Parse a number phrase starting at token ``i``: (value, index after it)."""
        toks = self.toks
        t = toks[i]
        total = 0.0
        cur = 0.0
        j = i
        last_cat = -1
        if t.is_digit:
            v = parse_digits(t.norm)
            if v is None:
                return None
            cur = v
            j = i + 1
            w = self.word(j)
            if w and w[0] in (SCALE_ONE, SCALE_MANY) and not w[2]:
                return v * w[1], j + 1
            return v, j
        w = self.word(i)
        if w is None or w[0] == VAGUE:
            return None
        first = True
        while True:
            w = self.word(j)
            if w is None:
                break
            cat, val, conj = w
            if not first and not conj and cat not in (TEEN, SCALE_ONE, SCALE_TWO, SCALE_MANY, HUNDRED):
                break
            if not first and conj and not self._may_join(last_cat, cur, total, cat, val):
                break
            if cat == UNIT:
                nxt = self.word(j + 1)
                key = bare(toks[j + 1]) if nxt else ""
                if nxt and not nxt[2] and key in self.lex.teen and val < 10:
                    cur += val + 10  # ثلاثة عشر
                    j += 2
                    last_cat = TEN
                elif nxt and not nxt[2] and key in self.lex.hundred_words and 3 <= val <= 9:
                    cur += val * 100  # ثلاث مئة
                    j += 2
                    last_cat = HUNDRED
                else:
                    cur += val
                    j += 1
                    last_cat = UNIT
            elif cat in (TEN, HUNDRED):
                if not first and not conj:
                    break
                cur += val
                j += 1
                last_cat = cat
            elif cat == SCALE_ONE:
                if not first and (conj or cur == 0 or cur < 11 and last_cat == UNIT):
                    break
                total += (cur or 1) * val
                cur = 0
                j += 1
                last_cat = cat
            elif cat == SCALE_TWO:
                if not first:
                    break
                total += 2 * val
                j += 1
                last_cat = cat
            elif cat == SCALE_MANY:
                if first or conj or not (3 <= cur <= 10):
                    break  # آلاف alone is vague
                total += cur * val
                cur = 0
                j += 1
                last_cat = cat
            else:
                break
            first = False
        if j == i:
            return None
        return total + cur, j

    @staticmethod
    def _may_join(last_cat: int, cur: float, total: float, cat: int, val: int) -> bool:
        """و joins ثلاثة + عشرين, مئة + عشرون, ألف + خمسمائة; not two separate counts."""
        if last_cat == UNIT:
            return cat == TEN
        if last_cat == HUNDRED:
            return cat in (UNIT, TEN)
        if last_cat in (SCALE_ONE, SCALE_TWO, SCALE_MANY):
            return cat in (UNIT, TEN, HUNDRED) or (cat in (SCALE_ONE, SCALE_TWO) and val < total)
        return False

    # ----------------------------------------------------------------- nouns / qualifiers
    def noun_after(self, j: int) -> tuple[int, str] | None:
        """Index and stem of the counted noun after token ``j`` ("ثلاثة من المدنيين" → مدنيين)."""
        toks = self.toks
        for skip in self.lex.noun_skip.get(toks[j].norm, ()) if j < len(toks) else ():
            if all(j + k < len(toks) and toks[j + k].norm == w for k, w in enumerate(skip)):
                j += len(skip)
                break
        if j >= len(toks):
            return None
        t = toks[j]
        if t.is_punct or t.is_digit or t.is_latin or len(t.stem) < 2 or t.start >= self.sentence_end(toks[j - 1]):
            return None
        if t.norm in self.lex.not_nouns or t.stem in self.lex.not_nouns or self.word(j) is not None:
            return None
        return j, t.stem

    def sentence_end(self, tok: Token) -> int:
        """Raw end of the sentence holding ``tok`` (a counted noun never crosses it)."""
        s = self.doc.sentence_at(tok.start)
        return s.end if s is not None else len(self.doc.text)

    def qualifier(self, ns: int, ne_after: int, before: bool = True) -> tuple[str, int | None]:
        """The qualifier before norm ``ns`` or after norm ``ne_after`` (and the raw offset where it starts)."""
        lex = self.lex
        m = lex.qual_before.search(self.norm, max(0, ns - 30), ns) if before else None
        if m:
            kind = m.lastgroup
            return kind, self.doc.norm_to_raw[m.start(kind)]
        m = lex.qual_after.match(self.norm, ne_after)
        if m:
            kind = m.lastgroup
            return kind, self.doc.norm_to_raw[m.start(kind)]
        return "exact", None

    def not_a_count(self, i: int, j: int, ns: int, ne: int, value: float, has_noun: bool) -> bool:
        """Dates, times, years, percentages, model numbers (ميج-29)."""
        norm = self.norm
        if self.blocked_at(ns, ne):
            return True
        if self.lex.not_after.match(norm, ne):
            return True
        if self.lex.not_before.search(norm, max(0, ns - 16), ns):
            return True
        t = self.toks[i]
        if t.is_digit:
            if self.lex.digits_not_after.match(norm, ne):
                return True  # "10 مساء" is a clock time
            if norm[max(0, ns - 2):ns].endswith(("-", "- ")) or norm[max(0, ns - 2):ns] == " -":
                return True  # model numbers: "ميج-29", "شاهد -136"
            if j == i + 1 and not has_noun and _YEAR_RX.fullmatch(t.norm):
                return True  # a bare 2022 is a year
            if any(self.toks[k].norm in self.lex.model_markers for k in range(max(0, i - 3), i)):
                return True
        return value != int(value)

    # ----------------------------------------------------------------- main
    def run(self) -> list[NumberMention]:
        toks = self.toks
        lex = self.lex
        i = 0
        starts, stem_starts = lex.starts, lex.stem_starts
        n = len(toks)
        # punctuation, Latin and most words: nothing can start there
        for k in [k for k, t in enumerate(toks) if t.is_digit or t.norm in starts or t.stem in stem_starts]:
            if k < i:
                continue  # inside a mention already read
            i = k
            t = toks[i]
            b = bare(t)
            if not (t.is_digit or self._may_start(t, b)):
                continue  # e.g. في (a candidate as the stem of الفي)
            ns = self.n_start(t)
            pos = ns + len(t.norm) - len(b)  # where the token's stem (with its suffix) starts
            lead = self.norm[pos:pos + 1]
            # vague phrases: "عدد من", "عشرات الآلاف"
            m = lex.vague_phrase.match(self.norm, pos) if not t.is_digit and lead in lex.vague_leads else None
            if m:
                j = self._token_after(m.end(), i)
                self._emit_vague(i, j, ns)
                i = j
                continue
            w = self.word(i) if not t.is_digit else None
            if w is not None and w[0] in (VAGUE, SCALE_MANY):  # a count never starts with آلاف: "آلاف الأشخاص"
                j = i + 1
                if j < len(toks) and lex.words.get(bare(toks[j]), (None,))[0] in (SCALE_MANY, VAGUE) \
                        and toks[j].prefixes[:1] != ("و",):
                    j += 1  # عشرات الآلاف
                self._emit_vague(i, j, ns)
                i = j
                continue
            m = lex.one_of_them.match(self.norm, pos) if lead in lex.one_of_them_leads else None
            if m:
                j = self._token_after(m.end(), i)
                self._emit(i, j, 1.0, None, implicit=False)
                i = j
                continue
            if t.is_digit or w is not None:
                parsed = self.phrase(i)
                if parsed is not None:
                    value, j = parsed
                    noun = self.noun_after(j)
                    ne = self.n_end(toks[j - 1])
                    if not self.not_a_count(i, j, ns, ne, value, noun is not None):
                        self._emit(i, j, value, noun)
                    i = max(j, i + 1)
                    continue
            if "ال" not in t.prefixes and i not in self.used and \
                    not (i and t.prefixes[:1] != ("و",) and self._modifies(i - 1)):
                # a dual noun is 2, a singular one 1; "شخص واحد" / "صاروخين اثنين" is one explicit count
                for forms, value, spelled in ((lex.dual, 2.0, lex.twos), (lex.singular, 1.0, lex.ones)):
                    if b in forms:
                        explicit = i + 1 < n and toks[i + 1].norm in spelled
                        j = i + 1 + explicit
                        self._emit(i, j, value, (i, t.stem), implicit=not explicit, noun_first=True)
                        i = j
                        break
                else:
                    i += 1
                continue
            i += 1
        self.out.sort(key=lambda x: x.start)
        return self.out

    def _may_start(self, t: Token, b: str) -> bool:
        """Can word token ``t`` (``b``: its form without proclitics) start a number word, a counted noun or
        a phrase? A phrase regex matches at its stem only when ``b`` is the phrase's first word (± ال)."""
        starts = self.lex.bare_starts
        return starts is None or b in starts or t.norm in self.lex.words

    def _modifies(self, k: int) -> bool:
        """Token ``k`` makes the next noun no count: "بدون طيار", "طائرة مسيرة" (an adjective)."""
        t = self.toks[k]
        if t.norm in self.lex.no_implicit_after:
            return True
        b = bare(t)
        return b in self.lex.singular or b in self.lex.plural or b in self.lex.dual

    def _prefix_len(self, t: Token) -> int:
        return len(t.norm) - len(bare(t))

    def _token_after(self, norm_end: int, i: int) -> int:
        """Index of the first token starting at or after norm offset ``norm_end``."""
        raw = self.doc.norm_to_raw[norm_end] if norm_end < len(self.norm) else len(self.doc.text)
        j = i
        while j < len(self.toks) and self.toks[j].start < raw:
            j += 1
        return j

    def _emit_vague(self, i: int, j: int, ns: int) -> None:
        noun = self.noun_after(j)
        t0 = self.toks[i]
        start = t0.stem_start if t0.prefixes and "ال" not in t0.prefixes else t0.start
        qual, qs = self.qualifier(ns, self.n_end(self.toks[j - 1]))
        self.out.append(NumberMention(start, self.toks[j - 1].end, None, qual, qs, vague=True,
                                      counted_noun=noun[1] if noun else None))

    def _emit(self, i: int, j: int, value: float, noun, implicit: bool = False, noun_first: bool = False) -> None:
        toks = self.toks
        t0 = toks[i]
        start = t0.stem_start if t0.prefixes and not t0.is_digit else t0.start
        if noun_first:
            start = t0.start if not t0.prefixes else self.doc.norm_to_raw[self.n_start(t0) + self._prefix_len(t0)]
        end = toks[j - 1].end
        after = self.n_end(toks[noun[0]]) if noun and not noun_first else self.n_end(toks[j - 1])
        # a bare noun takes only a following hedge: "قتل شخص على الأقل" (not "بدون طيار")
        qual, qs = self.qualifier(self.n_start(t0), after, before=not noun_first)
        self.used.update(range(i, j))
        if noun and not noun_first:
            self.used.add(noun[0])
        self.out.append(NumberMention(start, end, int(value), qual, qs, counted_noun=noun[1] if noun else None,
                                      implicit=implicit))


def find_numbers(doc: Document) -> list[NumberMention]:
    """Return the number mentions of a tokenised document, sorted by start."""
    return _Reader(doc).run()


@stage("numbers", requires=["tokens", "sentences"], assigns=["numbers"])
def numbers_stage(doc: Document) -> None:
    doc.numbers = find_numbers(doc)
