"""Paragraphs, sentences (with their kind) and quotation spans.

Works on ``doc.norm`` and reports raw offsets. Every non-blank line is a paragraph. A line is
classified as headline (leading short lines without a final stop, or a repeated title),
dateline (``واشنطن`` alone, ``كييف- (د ب أ)``, a scraped ``date 2025-08-23``; or the
``لندن –`` / ``أم درمان، 4 فبراير 2025 –`` prefix of the first paragraph, which becomes its own
sentence), credit (``Evgeniy Maloletka/AP``, ``(أ ف ب)``, ``المصدر: رويترز``), caption (a
one-sentence photo description ending in a date or an agency, or followed by a credit),
boilerplate (``Smaller Bigger``, ``اترك تعليقاً``) or body. Body text is split on . ! ? followed
by a space or the line end, but never inside a quotation, after a one-letter abbreviation or
inside 3.5 / 2:50. Patterns are data in ``segment.yaml``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from marsad.document import Document, Quotation, Sentence, SentenceKind, Warning_
from marsad.pipeline import stage
from marsad.text.dates import day_month_year_pattern
from marsad.text.normalize import alternation, normalize, raw_bounds

OPENERS = {"“": "”", "«": "»", "„": "“"}
_MARKS_RX = re.compile(r"[“”«»„\"]")
_LINE_RX = re.compile(r"[^\n\r\u2028\u2029]+")
# a run of . ! ? (or one …) and closing marks before a space or the end; written to start with one
# character class, so re skips straight to stop characters instead of trying every position
_STOP_RX = re.compile(r"[.!?…](?:(?<=[.!?])[.!?]*)?[\"”»’)\]]*(?=\s|$)")
_BULLET_RX = re.compile(r"[•·▪●◦*‣-]\s+")
_PUNCT_RX = re.compile(r"[^\w\s]")
_LATIN_RUN_RX = re.compile(r"[a-z][a-z'’]*(?:[ .-]+[a-z][a-z'’]*)*")
_FINAL_STOP = tuple(".!?:")
_SEGMENT_CODES = frozenset(("caption", "credit_line", "latin_script"))


@dataclass(frozen=True)
class _Patterns:
    credit: re.Pattern[str]
    photo_credit: re.Pattern[str]
    agency_line: re.Pattern[str]
    agency_end: re.Pattern[str]
    date_end: re.Pattern[str]
    dateline: re.Pattern[str]
    date_only: re.Pattern[str]
    boilerplate: frozenset[str]
    boilerplate_prefix: re.Pattern[str]
    abbreviations: frozenset[str]
    abbreviation_max: int  # letters of the longest abbreviation (at least 1)
    limits: dict


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    """segment.yaml compiled (once per process)."""
    spec = yaml.safe_load(resources.files("marsad.data.lexicons").joinpath("segment.yaml").read_text("utf-8"))
    agency = f"(?:{alternation(spec['agencies'])})"
    agency_paren = rf"\(\(?\s*{agency}\s*\)?\)"
    photo = f"(?:{alternation(spec['photo_agencies'])})"
    via = f"(?:{alternation(spec['credit_via'])})"
    labels = f"(?:{alternation(spec['credit_labels'])})"
    words = spec["credit_max_words"]
    photo_credit = rf"[^\s/]+(?:\s+[^\s/]+){{0,{words - 2}}}\s*/\s*{photo}(?:\s*/\s*{photo})*(?:\s+{via}\s+{photo})?"
    credit = re.compile(
        rf"^(?:{photo_credit}"
        rf"|{labels}\s*:\s*\S+(?:\s+\S+){{0,{words - 1}}}"
        rf"|{agency_paren}|{photo}(?:\s+{via}\s+{photo})?)\s*\.?$"
    )
    date = day_month_year_pattern()
    place = r"[^\W\d_]+(?:[ ,]+[^\W\d_]+){0,%d}" % (spec["dateline_max_words"] - 1)
    dateline = re.compile(  # used with .match(norm, pos): no "^"
        r"(?:date\s+\d{4}-\d\d-\d\d(?!\d)"
        rf"|{place}\s*,?\s*(?:{date}\s*)?(?:{agency_paren}\s*)?[–—-]+(?:\s*{agency_paren})?"
        rf"|{place}\s*,?\s*(?:{date}\s*)?{agency_paren}\s*[–—-]*)"
    )
    weekday_time = r"(?:[^\W\d_]+\s*,?\s*)?"
    date_only = re.compile(rf"^{weekday_time}(?:{date}|\d{{4}}-\d\d-\d\d|\d{{1,2}}[/\\.]\d{{1,2}}[/\\.]\d{{4}})"
                           r"(?:\s*,?\s*\d{1,2}:\d\d(?::\d\d)?)?\s*$")
    return _Patterns(
        credit=credit,
        photo_credit=re.compile(rf"^(?:{photo_credit}|{photo})\s*\.?$"),
        agency_line=re.compile(rf"^{agency_paren}\s*\.?$"),
        agency_end=re.compile(rf"{agency_paren}\s*\.?$"),
        date_end=re.compile(rf"{date}\s*[.]?$"),
        dateline=dateline,
        date_only=date_only,
        boilerplate=frozenset(_bare(normalize(w)) for w in spec["boilerplate_lines"]),
        boilerplate_prefix=re.compile(rf"^(?:{alternation(spec['boilerplate_prefixes'])})\s*(?::|$)"),
        abbreviations=frozenset(normalize(w) for w in spec["abbreviations"]),
        abbreviation_max=max([1, *(len(normalize(w)) for w in spec["abbreviations"])]),
        limits={k: spec[k] for k in ("headline_max_chars", "headline_max_lines", "lone_dateline_max_words",
                                     "furniture_max_chars",
                                     "caption_max_chars", "quotation_max_chars", "quotation_max_sentences")},
    )


def _bare(s: str) -> str:
    """A line without punctuation and extra spaces, for boilerplate comparison."""
    return " ".join(_PUNCT_RX.sub(" ", s).split())


# --------------------------------------------------------------------------- quotations


def quotations_in(norm: str, ls: int, le: int) -> list[tuple[int, int, str, str]]:
    """Top-level quotations (open index, close index, marks) in norm[ls:le].

    Curly and angle quotes nest with a stack, straight quotes pair in order, a stray closing
    mark is ignored, and an opening mark left unclosed at the end of the line is dropped.
    """
    return _pair_marks(norm, ls, le)[0]


def _pair_marks(norm: str, ls: int, le: int) -> tuple[list[tuple[int, int, str, str]], list[tuple[str, int]],
                                                       list[tuple[str, int]]]:
    """(top-level quotations, openers left unclosed, closers with no opener) of norm[ls:le]."""
    if _MARKS_RX.search(norm, ls, le) is None:
        return [], [], []  # most lines quote nothing
    stack: list[tuple[str, int]] = []
    found: list[tuple[int, int, str, str]] = []
    stray: list[tuple[str, int]] = []
    has_curly_open = norm.find("“", ls, le) >= 0
    for m in _MARKS_RX.finditer(norm, ls, le):
        c, p = m.group(), m.start()
        if c == '"':
            if stack and stack[-1][0] == '"':
                found.append((stack.pop()[1], p, '"', '"'))
            else:
                stack.append((c, p))
        elif c == "“" and stack and stack[-1][0] == "„":
            found.append((stack.pop()[1], p, "„", "“"))
        elif c in ("“", "«", "„"):
            stack.append((c, p))
        else:  # ” or »
            want = "“" if c == "”" else "«"
            k = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == want), None)
            if k is not None:
                found.append((stack[k][1], p, want, c))
                del stack[k:]
            elif c == "”" and not has_curly_open:  # a paragraph that writes ”…” for its pairs
                if stack and stack[-1][0] == "”":
                    found.append((stack.pop()[1], p, "”", "”"))
                else:
                    stack.append(("”", p))
            else:
                stray.append((c, p))
    found.sort()
    top: list[tuple[int, int, str, str]] = []
    for q in found:
        if top and q[0] < top[-1][1]:
            continue  # nested inside the previous one
        if norm[q[0] + 1:q[1]].strip():
            top.append(q)
    return top, stack, stray


def _across_lines(pending: tuple[str, int] | None, stray: list[tuple[str, int]],
                  quotes: list[tuple[int, int, str, str]]) -> tuple[int, int, str, str] | None:
    """A quotation opened in the previous paragraph and closed by the first stray mark of this one."""
    if pending is None or not stray:
        return None
    mark, close = stray[0]
    if OPENERS.get(pending[0]) != mark or any(q[0] < close for q in quotes):
        return None
    return pending[1], close, pending[0], mark


# --------------------------------------------------------------------------- lines


@dataclass
class _Line:
    ns: int
    ne: int
    kind: SentenceKind = "body"
    para: int = 0


def _strip(norm: str, s: int, e: int) -> tuple[int, int]:
    while s < e and norm[s].isspace():
        s += 1
    while e > s and norm[e - 1].isspace():
        e -= 1
    return s, e


def _classify(norm: str, lines: list[_Line], pat: _Patterns) -> int | None:
    """Set each line's kind; return the index of the line whose start may carry a dateline prefix."""
    lim = pat.limits
    headlines: set[str] = set()
    lead = True  # still before the first body line
    first_body: int | None = None
    n_head = 0
    for k, ln in enumerate(lines):
        text = norm[ln.ns:ln.ne]
        short = len(text) <= lim["furniture_max_chars"]  # furniture lines are short: test them only then
        if short and (_bare(text) in pat.boilerplate or pat.boilerplate_prefix.match(text)):
            ln.kind = "boilerplate"
        elif short and pat.credit.match(text):
            ln.kind = "credit"
        elif text in headlines:
            ln.kind = "headline"
        elif short and (pat.date_only.match(text) or (lead or text.startswith("date ")) and _lone_dateline(text, pat)):
            ln.kind = "dateline"
        elif _is_caption(norm, ln, lines[k + 1] if k + 1 < len(lines) else None, pat):
            ln.kind = "caption"
        elif lead and n_head < lim["headline_max_lines"] and len(text) <= lim["headline_max_chars"] \
                and not _BULLET_RX.match(text) and not text.rstrip("\"”»’) ").endswith(_FINAL_STOP):
            ln.kind = "headline"
            headlines.add(text)
            n_head += 1
        else:
            ln.kind = "body"
            if lead:
                first_body = k
            lead = False
    return first_body


def _lone_dateline(text: str, pat: _Patterns) -> bool:
    """A line that is only a dateline: "واشنطن", "كييف- (د ب أ)", "date 2025-08-23"."""
    if len(text.split()) <= pat.limits["lone_dateline_max_words"] and not text.endswith(_FINAL_STOP):
        return True
    m = pat.dateline.match(text)
    return m is not None and m.end() >= len(text.rstrip())


def _is_caption(norm: str, ln: _Line, nxt: _Line | None, pat: _Patterns) -> bool:
    """A one-sentence photo description: followed by a photo credit, or ending in "(أ ف ب)." or a date."""
    if ln.ne - ln.ns > pat.limits["caption_max_chars"]:
        return False
    text = norm[ln.ns:ln.ne]
    if len(_STOP_RX.findall(text)) > 1:
        return False
    if nxt is not None and nxt.ne - nxt.ns <= pat.limits["furniture_max_chars"] and \
            pat.photo_credit.match(norm[nxt.ns:nxt.ne]):
        return True
    tail = max(0, len(text) - 40)  # the agency or date sits at the very end
    if pat.agency_end.search(text, tail) and not pat.agency_line.match(text):
        return True
    return text.endswith(".") and _ends_in_digit(text[:-1]) and pat.date_end.search(text, tail) is not None


def _ends_in_digit(text: str) -> bool:
    """Does ``text`` end in a digit and spaces? (a cheap test before ``date_end``: "… 2025 .")"""
    return text.rstrip()[-1:].isdecimal()


# --------------------------------------------------------------------------- sentences


def _split(norm: str, s: int, e: int, blocking: list[tuple[int, int]], pat: _Patterns) -> list[tuple[int, int]]:
    """Split norm[s:e] into sentences at stops outside quotations and abbreviations."""
    out: list[tuple[int, int]] = []
    start = s
    opens = [qs for qs, _ in blocking]  # top-level quotations never overlap: sorted by start and end
    for m in _STOP_RX.finditer(norm, s, e):
        b = m.end()
        k = bisect_left(opens, m.start()) - 1
        if k >= 0 and b <= blocking[k][1]:
            continue  # inside a quotation (its end is the closing mark's index)
        if norm[m.start()] == "." and _abbreviation_before(norm, start, m.start(), pat):
            continue
        seg = _strip(norm, start, b)
        if seg[1] > seg[0]:
            out.append(seg)
        start = b
    seg = _strip(norm, start, e)
    if seg[1] > seg[0]:
        out.append(seg)
    return out


def _abbreviation_before(norm: str, s: int, p: int, pat: _Patterns) -> bool:
    """Is the word before the period at ``p`` a one-letter or listed abbreviation (أ. ف. ب.)?"""
    k = p
    stop = max(s, p - pat.abbreviation_max - 1)  # a longer word is no abbreviation: no need to find its start
    while k > stop and not norm[k - 1].isspace() and norm[k - 1] not in "(":
        k -= 1
    word = norm[k:p]
    return len(word) == 1 and word.isalpha() or word in pat.abbreviations


def segment(doc: Document) -> tuple[list[Sentence], list[Quotation], list[Warning_]]:
    """Return the sentences, quotations and segment warnings of a normalised document."""
    pat = patterns()
    norm = doc.norm
    lines: list[_Line] = []
    for m in _LINE_RX.finditer(norm):
        s, e = _strip(norm, *m.span())
        if e > s:
            lines.append(_Line(s, e, para=len(lines)))
    first_body = _classify(norm, lines, pat)
    sentences: list[Sentence] = []
    quotations: list[Quotation] = []
    warnings: list[Warning_] = []
    lim = pat.limits
    pending: tuple[str, int] | None = None  # the one opener left unclosed by the previous body line
    for k, ln in enumerate(lines):
        quotes, unclosed, stray = _pair_marks(norm, ln.ns, ln.ne)
        if ln.kind == "body":
            across = _across_lines(pending, stray, quotes)
            if across and across[1] - across[0] <= lim["quotation_max_chars"]:
                quotes.insert(0, across)
            pending = unclosed[0] if len(unclosed) == 1 and unclosed[0][0] in "“«" and \
                not any(q[0] > unclosed[0][1] for q in quotes) else None
        for qs, qe, om, cm in quotes:
            rs, re_ = raw_bounds(doc, *_strip(norm, qs + 1, qe))
            quotations.append(Quotation(rs, re_, om, cm))
        if ln.kind not in ("body", "headline"):
            rs, re_ = raw_bounds(doc, ln.ns, ln.ne)
            sentences.append(Sentence(rs, re_, ln.kind, ln.para))
            if ln.kind == "caption":
                warnings.append(Warning_("caption", "photo caption: its figures and dates describe a picture", rs, re_))
            elif ln.kind == "credit":
                warnings.append(Warning_("credit_line", "photo credit line (photographer / agency)", rs, re_))
            continue
        s = ln.ns
        if k == first_body:
            m = pat.dateline.match(norm, ln.ns, ln.ne)
            if m and m.end() < ln.ne:
                ds, de = _strip(norm, ln.ns, m.end())
                rs, re_ = raw_bounds(doc, ds, de)
                sentences.append(Sentence(rs, re_, "dateline", ln.para))
                s = m.end()
        b = _BULLET_RX.match(norm, s)
        if b:
            s = b.end()
        blocking = [(qs, qe) for qs, qe, _, _ in quotes
                    if qe - qs <= lim["quotation_max_chars"]
                    and len(_STOP_RX.findall(norm, qs, qe)) <= lim["quotation_max_sentences"]]
        for ss, se in _split(norm, s, ln.ne, blocking, pat):
            rs, re_ = raw_bounds(doc, ss, se)
            sentences.append(Sentence(rs, re_, ln.kind, ln.para))
            runs = list(_LATIN_RUN_RX.finditer(norm, ss, se))
            if runs and sum(r.end() - r.start() for r in runs) * 2 > se - ss:
                runs = []  # a Latin sentence (quoted English, a non-Arabic article): nothing left over
            for lm in runs:
                ls, le = raw_bounds(doc, lm.start(), lm.end())
                surface = doc.text[ls:le]
                if surface.isupper() and len(surface) <= 5:
                    continue  # acronyms such as ISW, NATO
                warnings.append(Warning_("latin_script", f"Latin-script words in Arabic text: {surface!r}", ls, le))
    sentences.sort(key=lambda x: x.start)
    quotations.sort(key=lambda x: x.start)
    return sentences, quotations, warnings


@stage("segment", requires=["norm"], assigns=["sentences", "quotations"])
def segment_stage(doc: Document) -> None:
    doc.sentences, doc.quotations, warnings = segment(doc)
    doc.warnings = [w for w in doc.warnings if w.code not in _SEGMENT_CODES] + warnings
