"""Arabic → Latin: a readable news-style transliteration and a cross-script consonant skeleton.

``transliterate("أوليه سينيهوبوف")`` gives "Olih Sinihobof"-like names for entities the KB does not
know (Arabic omits short vowels, so this is a reading aid, not a reconstruction). ``skeleton()``
reduces Arabic *and* Latin names to the consonants both scripts write, merged into classes Arabic
media use interchangeably (g/gh/j/zh → g, v/f → f, p/b → b), so "موريستاون" and "Morristown"
share the key "mrstn" — the basis of cross-script linking and geocoding.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

import yaml

from marsad.text.normalize import normalize

_CONS = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r",
    "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh",
    "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "a", "ء": "",
    "ئ": "", "ؤ": "", "ڤ": "v", "پ": "p", "چ": "ch", "گ": "g",
}
_VOWELISH = frozenset("اويى")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def _word(w: str) -> str:
    out: list[str] = []
    n = len(w)
    for i, ch in enumerate(w):
        prev = w[i - 1] if i else ""
        nxt = w[i + 1] if i + 1 < n else ""
        if ch == "ا":
            if i == 0 and nxt == "و":
                continue  # أو at the start is one vowel: أوليه → Oleh
            out.append("" if prev == "ا" else "a")
        elif ch == "ى":
            out.append("a")
        elif ch == "ع":
            out.append("a" if i == 0 or (nxt and nxt not in _VOWELISH) else "")
        elif ch == "ه" and i == n - 1 and n > 2:
            out.append("h" if prev == "ي" else "a")  # ة was normalised to ه
        elif ch == "و":
            if i == 0:
                out.append("w" if nxt in _VOWELISH and nxt else "o" if prev == "" and n > 2 and nxt else "w")
            elif prev == "ا" and i == 1:
                out.append("o")
            elif prev in _VOWELISH or nxt in ("ا", "ي"):
                out.append("w")
            else:
                out.append("o")
        elif ch == "ي":
            if i == 0 or prev == "ي" or nxt in ("ا", "و"):
                out.append("y")
            else:
                out.append("i")
        else:
            out.append(_CONS.get(ch, ch))
    return "".join(out)


@lru_cache(maxsize=1)
def _known_names() -> dict[str, str]:
    """Normalised Arabic name words (and two-word compounds) → their usual English spelling."""
    data = yaml.safe_load(resources.files("marsad.data.kb").joinpath("arabic_names.yaml").read_text("utf-8"))
    return {normalize(k): v for k, v in (data or {}).items()}


def _vowelled(lat: str) -> str:
    """Insert the short "a" Arabic leaves unwritten after a word's first consonant (فحص → Fahs, غنامة → Ghanama)."""
    head = 2 if lat[:2] in ("sh", "kh", "gh", "th", "dh") else 1
    if len(lat) > head + 1 and lat[0] not in "aeiou" and lat[head] not in "aeiouy":
        return lat[:head] + "a" + lat[head:]
    return lat


def transliterate(text: str) -> str:
    """A readable Latin rendering of an Arabic name ("حسين عطوي" → "Hussein Atwi")."""
    known = _known_names()
    words = normalize(text).split()
    parts: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        pair = f"{w} {words[i + 1]}" if i + 1 < len(words) else ""
        if pair in known:
            parts.append(known[pair])
            i += 2
            continue
        i += 1
        if w in known:
            parts.append(known[w])
            continue
        if not _ARABIC.search(w):
            parts.append(w[:1].upper() + w[1:])
            continue
        prefix = ""
        if w.startswith("ال") and len(w) > 3:
            prefix, w = "Al-", w[2:]
        lat = _vowelled(_word(w))
        if not lat:
            continue
        lat = lat[0].upper() + lat[1:]
        parts.append(prefix + lat if prefix else lat)
    return " ".join(parts)


# -- skeletons ---------------------------------------------------------------------------------

_AR_SKEL = {
    "ب": "b", "ت": "t", "ط": "t", "ث": "s", "ج": "g", "غ": "g", "ح": "h", "ه": "h", "خ": "X", "د": "d",
    "ض": "d", "ذ": "z", "ز": "z", "ظ": "z", "ر": "r", "س": "s", "ص": "s", "ش": "S", "ف": "f", "ق": "k",
    "ك": "k", "ل": "l", "م": "m", "ن": "n",
}
_LAT_MULTI = (
    ("shch", "S"), ("tch", "tS"), ("sch", "S"), ("zh", "g"), ("kh", "X"), ("ch", "tS"), ("sh", "S"),
    ("gh", "g"), ("th", "t"), ("dh", "z"), ("ph", "f"), ("ck", "k"), ("ts", "ts"), ("tz", "ts"),
)
_LAT_SKEL = {
    "b": "b", "p": "b", "t": "t", "d": "d", "z": "z", "s": "s", "c": "k", "k": "k", "q": "k", "g": "g",
    "j": "g", "h": "h", "f": "f", "v": "f", "l": "l", "m": "m", "n": "n", "r": "r", "x": "ks",
}


def _ascii(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _collapse(s: str) -> str:
    out: list[str] = []
    for ch in s:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """Consonant key shared by the Arabic and Latin spellings of a name ("كروغ" ≈ "Kragh" → "krg")."""
    norm = normalize(name)
    if _ARABIC.search(norm):
        words = []
        for w in norm.split():
            if w.startswith("ال") and len(w) > 3:
                w = w[2:]
            words.append("".join(_AR_SKEL.get(ch, "") for ch in w))
        return _collapse("".join(words))
    s = _ascii(norm).lower()
    s = re.sub(r"\b(?:al|el)[- ]", "", s)
    for a, b in _LAT_MULTI:
        s = s.replace(a, b)
    return _collapse("".join(_LAT_SKEL.get(ch, ch if ch in "SX" else "") for ch in s))
