"""What linking compares: the signature of one attack report and of an event (many reports merged).

A signature holds the attack's date (and whether the text gave it or it was taken from the
publication date), attacker, target, places (as comparable keys: "Kyiv Oblast" and "Kyiv"
share ``kyiv``), weapon kinds, figures and the content words of the sentences it was read from.
Signatures are plain data so the linker can be scored and benchmarked without a database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from marsad.schema import Attack

_ADMIN_SUFFIX = re.compile(r"\s+(oblast|governorate|region|raion|district|province|city|municipality)$")
_WORD = re.compile(r"[\u0621-\u064a]{4,}")
MAX_TOKENS = 400


def place_key(name: str) -> str:
    """A comparable key of a canonical place name ("Kyiv Oblast" → "kyiv")."""
    return _ADMIN_SUFFIX.sub("", name.strip().lower())


def content_tokens(text: str) -> frozenset[str]:
    """Arabic content words (4+ letters) of normalised text, for a cheap text similarity."""
    from marsad.text.normalize import normalize

    return frozenset(_WORD.findall(normalize(text)))


def figure_key(measure: str, weapon: str | None) -> str:
    return f"{measure}|{weapon or '-'}"


@dataclass
class AttackSig:
    """One attack report, as linking sees it."""

    date: date | None
    date_exact: bool  # the text dates the attack (not only the publication date)
    attacker: str | None
    target: str | None
    places: frozenset[str]
    weapons: frozenset[str]
    figures: dict[str, list[tuple[int, str]]]
    tokens: frozenset[str]

    @classmethod
    def of(cls, attack: Attack, published: date | None, context: str) -> "AttackSig":
        """The signature of ``attack``; undated attacks take ``published`` as an inexact date."""
        exact = None
        if attack.date:
            try:
                exact = date.fromisoformat(attack.date[:10])
            except ValueError:
                exact = None
        figs: dict[str, list[tuple[int, str]]] = {}
        for f in attack.figures:
            figs.setdefault(figure_key(f.measure, f.weapon), []).append((f.value, f.qualifier))
        names = [p.name for p in attack.places] or list(attack.locations)
        return cls(
            date=exact or published,
            date_exact=exact is not None,
            attacker=attack.attacker,
            target=attack.target,
            places=frozenset(place_key(n) for n in names if n),
            weapons=frozenset(attack.weapons) | {f.weapon for f in attack.figures if f.weapon},
            figures=figs,
            tokens=content_tokens(context),
        )


@dataclass
class EventSig:
    """The merged signature of an event's reports (stored as JSON in ``events.sig``)."""

    exact_dates: set[date] = field(default_factory=set)
    published_dates: set[date] = field(default_factory=set)
    attacker: str | None = None
    target: str | None = None
    places: set[str] = field(default_factory=set)
    weapons: set[str] = field(default_factory=set)
    figures: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)

    @property
    def date(self) -> date | None:
        """The event's date: the text's date when any report gives one, else the earliest publication date."""
        if self.exact_dates:
            return min(self.exact_dates)
        return min(self.published_dates) if self.published_dates else None

    def absorb(self, sig: AttackSig) -> None:
        """Merge one more report into the event."""
        if sig.date:
            (self.exact_dates if sig.date_exact else self.published_dates).add(sig.date)
        self.attacker = self.attacker or sig.attacker
        self.target = self.target or sig.target
        self.places |= sig.places
        self.weapons |= sig.weapons
        for k, vals in sig.figures.items():
            self.figures.setdefault(k, []).extend(vals)
        if len(self.tokens) < MAX_TOKENS:
            self.tokens |= sig.tokens

    def to_json(self) -> dict:
        return {
            "exact_dates": sorted(d.isoformat() for d in self.exact_dates),
            "published_dates": sorted(d.isoformat() for d in self.published_dates),
            "attacker": self.attacker, "target": self.target,
            "places": sorted(self.places), "weapons": sorted(self.weapons),
            "figures": {k: [list(v) for v in vals] for k, vals in self.figures.items()},
            "tokens": sorted(self.tokens),
        }

    def copy(self) -> "EventSig":
        """An independent copy (``absorb`` changes the copy only)."""
        return EventSig(set(self.exact_dates), set(self.published_dates), self.attacker, self.target,
                        set(self.places), set(self.weapons), {k: list(v) for k, v in self.figures.items()},
                        set(self.tokens))

    @classmethod
    def from_json(cls, d: dict) -> "EventSig":
        return cls(
            exact_dates={date.fromisoformat(x) for x in d.get("exact_dates", [])},
            published_dates={date.fromisoformat(x) for x in d.get("published_dates", [])},
            attacker=d.get("attacker"), target=d.get("target"),
            places=set(d.get("places", [])), weapons=set(d.get("weapons", [])),
            figures={k: [(int(v[0]), str(v[1])) for v in vals] for k, vals in d.get("figures", {}).items()},
            tokens=set(d.get("tokens", [])),
        )


def strong_figure_keys(sig: AttackSig | EventSig) -> set[str]:
    """Blocking keys for reports without a shared date: distinctive counts (launched 539 drones)."""
    return {
        f"f:{k}:{v}"
        for k, vals in sig.figures.items() if not k.startswith(("killed", "injured", "missing", "displaced"))
        for v, _q in vals if v >= 10
    }
