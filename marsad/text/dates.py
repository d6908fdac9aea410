"""Date expressions resolved against the publication date.

One regex, built from ``dates.yaml``, finds on ``doc.norm``: absolute Gregorian dates with MSA,
Levantine and Maghrebi month names (``4 يوليو 2025``, ``3 من شهر أكتوبر 2023``, ``فبراير/شباط 2022``),
numeric dates (``11\\10\\2025``, ``2025-08-23``), relative days (اليوم، أمس، أول أمس، قبل يومين),
parts of day (صباح اليوم، مساء أمس), weekdays (الجمعة، صباح يوم الجمعة، ليلة الإثنين → the most
recent such day on/before ``published``), overnight expressions (الليلة الماضية، خلال الليل، ليلا:
dated to the morning they ended) and vague ones (قبل أيام، الشهر الماضي → value None).
Without ``published`` every relative date stays None: never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

import yaml

from marsad.document import DateMention, Document
from marsad.pipeline import stage
from marsad.text.normalize import alternation, normalize, raw_bounds

_END = r"(?!\w)"
# 1-2 digits not after a digit, "." or ":" (the look-behind follows the first digit, so the
# pattern starts with a digit class and re skips to digits instead of trying every position)
TIME_RX = re.compile(r"\d(?<![\d.:]\d)\d?:\d{2}(?::\d{2})?(?![\d:])")
_FUTURE_WINDOW = timedelta(days=7)  # a day-month without year later than this after published is last year's


@dataclass(frozen=True)
class _Lexicon:
    rx: re.Pattern[str]
    month_rx: str  # alternation of month names (فبراير/شباط forms included), no groups
    month_of: dict[str, int]
    weekday_of: dict[str, int]
    relative: dict[str, tuple[int, bool]]
    night: frozenset[str]
    next_words: frozenset[str]
    not_today_after: frozenset[str]
    not_today_before: tuple[str, ...]
    number_words: dict[str, int]


def _squash(s: str) -> str:
    return " ".join(s.split())


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """The compiled date regex and its lookup tables (built once from dates.yaml)."""
    from marsad.text.numbers import unit_words

    spec = yaml.safe_load(resources.files("marsad.data.lexicons").joinpath("dates.yaml").read_text("utf-8"))
    month_of = {normalize(w): int(k) for k, ws in spec["months"].items() for w in ws}
    weekday_of = {normalize(w): int(k) for k, ws in spec["weekdays"].items() for w in ws}
    relative: dict[str, tuple[int, bool]] = {}
    for entry in spec["relative"]:
        for w in entry["words"]:
            relative[_squash(normalize(w))] = (int(entry["days"]), bool(entry.get("overnight", False)))
    numbers = {w: v for w, v in unit_words().items() if 1 <= v <= 10}
    mon = f"(?:{alternation(month_of)})"
    month_x = rf"{mon}(?:\s*(?:/|\(|-)\s*{mon}\s*\)?)?"
    wd = f"(?:{alternation(weekday_of)})"
    parts = f"(?:{alternation(spec['day_parts'] + spec['night_parts'])})"
    year = r"(?:19|20)\d{2}"
    direction = f"(?:{alternation(spec['weekday_past'] + spec['weekday_next'])})"
    ago_units = f"(?:{alternation(spec['day_units'])})"
    word_lists = [relative, spec["vague"], spec["day_parts"], spec["night_parts"], weekday_of, ["قبل", "يوم", "نهار"]]
    first_word = "".join(sorted({normalize(w)[0] for ws in word_lists for w in ws} | set("وفبل")))
    iso = rf"(?P<iso>(?P<iy>{year})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}}))(?!\d)"  # 2025-08-23
    # 11\10\2025, 11/10/2025, 11.10.2025
    num = rf"(?<![\d/\\.])(?P<num>(?P<nd>\d{{1,2}})\s?(?P<sep>[/\\.-])\s?(?P<nm>\d{{1,2}})\s?(?P=sep)\s?(?P<ny>{year}))(?!\d)"
    # [الأحد] [،] [الموافق] [يوم] 29 [من] [شهر] سبتمبر[/أيلول] [،] [عام] [2024]
    absolute = (rf"(?<!\d)(?P<abs>(?:(?P<awd>{wd})\s*,?\s*(?:الموافق\s+)?)?(?:يوم\s+)?(?P<ad>[0-3]?\d)\s*(?:من\s+)?"
                rf"(?:شهر\s+)?(?P<amon>{month_x})(?:\s*,?\s*(?:(?:من\s+)?(?:عام|العام|سنه)\s+)?(?P<ay>{year})(?!\d))?){_END}")
    # [شهر] فبراير/شباط [عام] 2022
    month = rf"(?P<mon>(?:شهر\s+)?(?P<mmon>{month_x})\s*,?\s*(?:(?:من\s+)?(?:عام|العام|سنه)\s+)?(?P<my>{year}))(?!\d)"
    # قبل يومين / قبل 3 أيام / قبل ثلاثة أيام
    ago = rf"(?P<ago>قبل\s+(?:(?P<agon>\d{{1,2}}|{alternation(numbers)})\s+)?(?P<agou>{ago_units})){_END}"
    # [صباح] [يوم] اليوم|أمس|الليلة الماضية … [(الجمعة)]
    rel = (rf"(?P<rel>(?:(?P<rpart>{parts})\s+)?(?:يوم\s+)?(?P<rword>{alternation(relative)})"
           rf"(?:\s*\(?\s*(?P<rwd>{wd})\s*\)?)?){_END}")
    # vague expressions (after the relative forms: "في وقت سابق اليوم" is today)
    vague = rf"(?P<vague>{alternation(spec['vague'])}){_END}"
    # [صباح|ليلة] [يوم] الجمعة [الماضي|المقبل]
    weekday = rf"(?P<wk>(?:(?P<wpart>{parts})\s+)?(?:(?:يوم|نهار)\s+)?(?P<wwd>{wd})(?:\s+(?P<wdir>{direction}))?){_END}"
    # Every date starts at a word start; lookahead guards (a digit, or the first letters a branch's
    # words can start with) reject most positions before any long alternation is tried (Python's
    # re tries alternatives one by one).
    word_leads = _leads(w for ws in word_lists for w in ws)
    month_leads = _leads([*month_of, "شهر"])
    rx = re.compile(
        rf"(?<!\w)(?:(?=\d)(?:{iso}|{num})|(?=\d|{_leads(weekday_of)})(?:{absolute})|(?={month_leads})(?:{month})"
        rf"|(?=[{first_word}])[وف]?[بل]?(?={word_leads})(?:{ago}|{rel}|{vague}|{weekday}))"
    )
    return _Lexicon(
        rx, month_x, month_of, weekday_of, relative,
        frozenset(normalize(w) for w in spec["night_parts"]),
        frozenset(normalize(w) for w in spec["weekday_next"]),
        frozenset(normalize(w) for w in spec["not_today_after"]),
        tuple(normalize(w) for w in spec["not_today_before"]),
        numbers,
    )


def _leads(phrases) -> str:
    """Regex (no groups) of the first three letters of the phrases' first words: a cheap necessary
    condition, as a lookahead, for a branch that starts with one of the phrases."""
    return alternation({normalize(p).split()[0][:3] for p in phrases})


def day_month_year_pattern() -> str:
    """Regex source (no groups) of "4 يوليو 2025" / "3 من شهر أكتوبر 2023" on normalised text."""
    return rf"[0-3]?\d\s*(?:من\s+)?(?:شهر\s+)?{lexicon().month_rx}\s*,?\s*(?:19|20)\d\d(?!\d)"


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month(lex: _Lexicon, s: str) -> int:
    """Month number of ``فبراير/شباط``-style text (its first name)."""
    first = re.split(r"\s*[/(-]\s*", s.strip(), maxsplit=1)[0]
    return lex.month_of[_squash(first)]


def _weekday_on_or_before(published: date, wd: int) -> date:
    return published - timedelta(days=(published.weekday() - wd) % 7)


def _resolve(lex: _Lexicon, m: re.Match[str], norm: str, published: date | None) -> tuple[str, date | None, bool] | None:
    """Return (kind, value, overnight) for one regex match, or None when it is not a date."""
    g = m.group
    if g("iso"):
        return "absolute", _safe_date(int(g("iy")), int(g("im")), int(g("id"))), False
    if g("num"):
        return "absolute", _safe_date(int(g("ny")), int(g("nm")), int(g("nd"))), False
    if g("abs"):
        mon, day = _month(lex, g("amon")), int(g("ad"))
        if g("ay"):
            return "absolute", _safe_date(int(g("ay")), mon, day), False
        if published is None:
            return "month_day", None, False
        value = _safe_date(published.year, mon, day)
        if value is not None and value > published + _FUTURE_WINDOW:
            value = _safe_date(published.year - 1, mon, day)
        return "month_day", value, False
    if g("mon"):
        return "month", _safe_date(int(g("my")), _month(lex, g("mmon")), 1), False
    if g("vague"):
        return "vague", None, False
    if g("ago"):
        n = g("agon")
        unit = _squash(g("agou"))
        if unit in ("يومين", "يومان"):
            days = 2
        elif unit == "يوم" and not n:
            days = 1
        elif n and unit == "ايام":
            days = int(n) if n.isdigit() else lex.number_words.get(_squash(n), 0)
        else:
            return "vague", None, False
        if not days:
            return None
        return "relative", (published - timedelta(days=days)) if published else None, False
    if g("rel"):
        word = _squash(g("rword"))
        if word == "اليوم" and not g("rpart") and _not_today(lex, norm, m.start("rword"), m.end("rword")):
            return None
        days, overnight = lex.relative[word]
        part = g("rpart")
        if part and _squash(part) in lex.night:
            overnight, days = True, days + 1  # ليلة أمس: the night that ended this morning
        value = published + timedelta(days=days) if published else None
        return "relative", value, overnight
    if g("wk"):
        wd = lex.weekday_of[g("wwd")]
        if wd == 0 and re.search(r"(?:بين|كلا)\s*$", norm[max(0, m.start("wwd") - 6):m.start("wwd")]):
            return None  # "بين الاثنين": between the two
        part = g("wpart")
        overnight = bool(part and _squash(part) in lex.night)
        if published is None:
            return "weekday", None, overnight
        if g("wdir") and _squash(g("wdir")) in lex.next_words:
            value = published + timedelta(days=(wd - published.weekday() - 1) % 7 + 1)
        else:
            value = _weekday_on_or_before(published, wd)
        return "weekday", value, overnight
    return None


def _not_today(lex: _Lexicon, norm: str, s: int, e: int) -> bool:
    """"اليوم التالي" / "في ذلك اليوم" are not the publication day."""
    after = norm[e:e + 12].split()
    if after and after[0] in lex.not_today_after:
        return True
    before = norm[max(0, s - 8):s].rstrip()
    return any(before.endswith(w) for w in lex.not_today_before)


@lru_cache(maxsize=4)
def _matches(norm: str) -> tuple[re.Match[str], ...]:
    """Date-regex matches of one normalised text (shared by the date and number stages)."""
    return tuple(lexicon().rx.finditer(norm))


def find_dates(doc: Document) -> list[DateMention]:
    """Return the date mentions of ``doc`` (normalised already), sorted, with raw spans."""
    lex = lexicon()
    norm, published = doc.norm, doc.meta.published
    out: list[DateMention] = []
    for m in _matches(norm):
        res = _resolve(lex, m, norm, published)
        if res is None:
            continue
        kind, value, overnight = res
        name = m.lastgroup if m.lastgroup in _OUTER else next(k for k in _OUTER if m.group(k))
        ns, ne = m.span(name)
        while ne > ns and (norm[ne - 1] in " (" or norm[ne - 1] == ")" and "(" not in norm[ns:ne - 1]):
            ne -= 1
        rs, re_ = raw_bounds(doc, ns, ne)
        out.append(DateMention(rs, re_, value, kind, overnight))
    return out


_OUTER = ("iso", "num", "abs", "mon", "vague", "ago", "rel", "wk")


def calendar_spans(norm: str) -> list[tuple[int, int]]:
    """Norm spans of absolute dates and clock times (numbers inside them are not counts)."""
    spans = [m.span() for m in TIME_RX.finditer(norm)]
    for m in _matches(norm):
        for name in ("iso", "num", "abs", "mon", "ago"):
            if m.group(name):
                spans.append(m.span(name))
                break
    spans.sort()
    return spans


@stage("dates", requires=["tokens", "sentences"], assigns=["dates"])
def dates_stage(doc: Document) -> None:
    doc.dates = find_dates(doc)
