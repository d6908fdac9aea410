"""Scoring predicted reports against gold with the matching rules of ``spec/gold-format.md``.

Rules, layer by layer (gold and prediction are plain dicts with the gold format's field names):

- **Names** match case-insensitively after removing punctuation (``name_key``). A gold name is
  expanded with the ``name``/``aliases`` of the gold entity it names; a predicted list of names
  (``source``, ``speaker``, a participant) matches when any element matches any acceptable name.
- **Figures** are pooled over all attacks of an article and match one-to-one when ``measure``,
  ``weapon`` and ``value`` are equal. On matched figures, ``qualifier`` and ``source`` are
  attribute accuracies; ``source`` is judged only when the gold source is not null.
- **Attacks** with at least one predicted figure are paired one-to-one with the gold attack with
  which they share the most matched figures; a predicted attack sharing none is a false positive,
  a predicted attack without figures is ignored. On matched attacks: ``date`` (equal ISO date),
  ``attacker``, ``target`` (names; null only matches null), ``locations`` (every gold place matched
  by a distinct predicted one and nothing extra), ``weapons`` and ``claims`` (equal sets).
- **Diplomacy** matches on ``type`` plus ``participants`` as an order-free set (a perfect pairing
  where each gold participant, itself possibly a list of acceptable names, matches one predicted
  participant). ``status`` is an attribute accuracy.
- **Quotes**: texts are normalised (``marsad.text.normalize``) and split into words (runs of
  letters/digits). Two quotes match when the multiset of shared words is at least half of the
  words of *each* text: ``2 * |G ∩ P| >= max(|G|, |P|)``. ``speaker`` is an attribute accuracy.
  A predicted quote of three words or fewer is optional (spec rule) and no false positive when unmatched.
- **Entities** match when their ``name``/``aliases`` sets intersect; ``type`` is an attribute
  accuracy. A predicted entity marked ``optional`` is no false positive when unmatched.
- Optional gold items (``"optional": true``) count neither as misses nor, when matched, as hits or
  false positives. Pairing is one-to-one and greedy: non-optional gold first, then the best candidate.

Precision/recall/F1 are micro-averaged over the whole set; attribute accuracies are computed on
matched non-optional pairs and pooled the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import permutations
from typing import Callable, Iterable, Sequence

LAYERS = ("figures", "attacks", "diplomacy", "quotes", "entities")
ATTRIBUTES = {
    "figures": ("qualifier", "source"),
    "attacks": ("date", "attacker", "target", "locations", "weapons", "claims"),
    "diplomacy": ("status",),
    "quotes": ("speaker",),
    "entities": ("type",),
}
OPTIONAL_QUOTE_WORDS = 3
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class PRF:
    """True positives, false positives and misses of one layer, with the derived P/R/F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass(slots=True)
class Accuracy:
    """Correct / judged count of one attribute; ``value`` is None when nothing was judged."""

    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def judge(self, ok: bool) -> None:
        self.total += 1
        self.correct += bool(ok)

    def add(self, other: Accuracy) -> None:
        self.correct += other.correct
        self.total += other.total


@dataclass(slots=True)
class LayerScore:
    prf: PRF = field(default_factory=PRF)
    attributes: dict[str, Accuracy] = field(default_factory=dict)

    def add(self, other: LayerScore) -> None:
        self.prf.add(other.prf)
        for name, acc in other.attributes.items():
            self.attributes.setdefault(name, Accuracy()).add(acc)

    def to_dict(self) -> dict:
        return {
            "precision": round(self.prf.precision, 4), "recall": round(self.prf.recall, 4),
            "f1": round(self.prf.f1, 4), "tp": self.prf.tp, "fp": self.prf.fp, "fn": self.prf.fn,
            "attributes": {
                k: {"accuracy": None if a.value is None else round(a.value, 4), "correct": a.correct, "total": a.total}
                for k, a in self.attributes.items()
            },
        }


def _empty_layers() -> dict[str, LayerScore]:
    return {layer: LayerScore(attributes={a: Accuracy() for a in ATTRIBUTES[layer]}) for layer in LAYERS}


@dataclass(slots=True)
class ArticleScore:
    """Scores of one article and a readable list of its errors (misses, false positives, wrong attributes)."""

    id: str
    layers: dict[str, LayerScore] = field(default_factory=_empty_layers)
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"id": self.id, "layers": {k: v.to_dict() for k, v in self.layers.items()}, "errors": self.errors}


@dataclass(slots=True)
class EvalResult:
    """Micro-averaged scores of a whole set plus the per-article breakdown."""

    articles: list[ArticleScore] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def layers(self) -> dict[str, LayerScore]:
        total = _empty_layers()
        for art in self.articles:
            for name, layer in art.layers.items():
                total[name].add(layer)
        return total

    def metrics(self) -> dict[str, float | None]:
        """Flat ``layer.f1`` / ``layer.precision`` / ``layer.recall`` / ``layer.ATTRIBUTE`` values (for the gate)."""
        out: dict[str, float | None] = {}
        for name, layer in self.layers.items():
            out[f"{name}.precision"] = layer.prf.precision
            out[f"{name}.recall"] = layer.prf.recall
            out[f"{name}.f1"] = layer.prf.f1
            for attr, acc in layer.attributes.items():
                out[f"{name}.{attr}"] = acc.value
        return out

    def to_dict(self) -> dict:
        return {
            "articles_scored": len(self.articles),
            "layers": {k: v.to_dict() for k, v in self.layers.items()},
            "articles": [a.to_dict() for a in self.articles],
            "notes": self.notes,
        }


# --- names -----------------------------------------------------------------------------------


@lru_cache(maxsize=16384)
def name_key(name: str) -> str:
    """``name`` case-folded with punctuation removed and spaces collapsed (the spec's name equality)."""
    kept = "".join(ch for ch in name.casefold() if not unicodedata.category(ch).startswith("P"))
    return " ".join(kept.split())


def _as_names(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)]  # type: ignore[union-attr]


class AliasIndex:
    """Expands a gold name to every name/alias of the gold entity (or entities) it names."""

    def __init__(self, entities: Iterable[dict]):
        self._groups: dict[str, set[str]] = {}
        for ent in entities:
            keys = {name_key(n) for n in [ent.get("name"), *_as_names(ent.get("aliases"))] if isinstance(n, str) and n}
            for k in keys:
                self._groups.setdefault(k, set()).update(keys)

    def expand(self, names: object) -> set[str]:
        out: set[str] = set()
        for n in _as_names(names):
            k = name_key(n)
            out.add(k)
            out |= self._groups.get(k, set())
        return out

    def match(self, pred: object, gold: object) -> bool:
        """True when any predicted name equals any acceptable gold name."""
        return bool({name_key(n) for n in _as_names(pred)} & self.expand(gold))


# --- one-to-one pairing ----------------------------------------------------------------------


def _optional(item: dict) -> bool:
    return bool(item.get("optional"))


def _pair(golds: Sequence[dict], preds: Sequence[dict], score: Callable[[dict, dict], float | None]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs ``(gold index, pred index)``: non-optional gold first, then best score.

    ``score`` returns None when the two items do not match at all.
    """
    cands = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            s = score(g, p)
            if s is not None:
                cands.append((_optional(g), -s, gi, pi))
    cands.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, _, gi, pi in cands:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def _count(golds: Sequence[dict], preds: Sequence[dict], pairs: list[tuple[int, int]],
           pred_optional: Callable[[dict], bool], describe: Callable[[dict], str], layer: str,
           errors: list[str]) -> tuple[PRF, list[tuple[dict, dict]]]:
    """P/R/F1 counts of a pairing and the matched non-optional ``(gold, pred)`` pairs; misses and FPs go to ``errors``."""
    prf = PRF()
    matched_g = {gi for gi, _ in pairs}
    matched_p = {pi for _, pi in pairs}
    judged = []
    for gi, pi in pairs:
        if not _optional(golds[gi]):
            prf.tp += 1
            judged.append((golds[gi], preds[pi]))
    for gi, g in enumerate(golds):
        if gi not in matched_g and not _optional(g):
            prf.fn += 1
            errors.append(f"{layer}: missed {describe(g)}")
    for pi, p in enumerate(preds):
        if pi not in matched_p and not pred_optional(p):
            prf.fp += 1
            errors.append(f"{layer}: unexpected {describe(p)}")
    return prf, judged


def _judge(acc: Accuracy, ok: bool, errors: list[str], what: str) -> None:
    acc.judge(ok)
    if not ok:
        errors.append(what)


# --- layers ----------------------------------------------------------------------------------


def _figure_key(f: dict) -> tuple:
    return f.get("measure"), f.get("weapon"), f.get("value")


def _describe_figure(f: dict) -> str:
    src = f.get("source")
    return f"{f.get('measure')} {f.get('weapon') or '-'} {f.get('value')} ({f.get('qualifier', 'exact')}, source {src})"


def _source_ok(pred: dict, gold: dict, names: AliasIndex) -> bool | None:
    """None when the gold source is null (not judged), else whether the predicted source matches."""
    if gold.get("source") is None:
        return None
    return names.match(pred.get("source"), gold.get("source"))


def _score_figures_and_attacks(gold: dict, pred: dict, names: AliasIndex, art: ArticleScore) -> None:
    g_attacks = gold.get("attacks") or []
    p_attacks = [a for a in pred.get("attacks") or [] if a.get("figures")]
    g_figs = [(ai, f) for ai, a in enumerate(g_attacks) for f in a.get("figures") or []]
    p_figs = [(ai, f) for ai, a in enumerate(p_attacks) for f in a.get("figures") or []]

    def fig_score(g: dict, p: dict) -> float | None:
        if _figure_key(g) != _figure_key(p):
            return None
        return (g.get("qualifier", "exact") == p.get("qualifier", "exact")) + bool(_source_ok(p, g, names))

    golds, preds = [f for _, f in g_figs], [f for _, f in p_figs]
    pairs = _pair(golds, preds, fig_score)
    layer = art.layers["figures"]
    layer.prf, judged = _count(golds, preds, pairs, lambda p: False, _describe_figure, "figures", art.errors)
    for g, p in judged:
        what = f"figures: {g.get('measure')} {g.get('weapon') or '-'} {g.get('value')}:"
        _judge(layer.attributes["qualifier"], g.get("qualifier", "exact") == p.get("qualifier", "exact"), art.errors,
               f"{what} qualifier {p.get('qualifier', 'exact')}, gold {g.get('qualifier', 'exact')}")
        ok = _source_ok(p, g, names)
        if ok is not None:
            _judge(layer.attributes["source"], ok, art.errors, f"{what} source {p.get('source')}, gold {g.get('source')}")

    shared: Counter[tuple[int, int]] = Counter()
    for gi, pi in pairs:
        if not _optional(golds[gi]):
            shared[(p_figs[pi][0], g_figs[gi][0])] += 1
    attack_pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for (pa, ga), _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])):
        if pa not in used_p and ga not in used_g:
            used_p.add(pa)
            used_g.add(ga)
            attack_pairs.append((ga, pa))
    layer = art.layers["attacks"]
    layer.prf, judged = _count(g_attacks, p_attacks, attack_pairs, lambda p: False, _describe_attack, "attacks", art.errors)
    for g, p in judged:
        _score_attack_attributes(g, p, names, layer, art.errors)


def _describe_attack(a: dict) -> str:
    figs = ", ".join(f"{f.get('measure')} {f.get('value')}" for f in a.get("figures") or [])
    return f"attack by {a.get('attacker')} on {a.get('locations') or a.get('target')} ({figs})"


def _name_or_null_ok(pred: object, gold: object, names: AliasIndex) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    return names.match(pred, gold)


def _places_ok(pred: list, gold: list, names: AliasIndex) -> bool:
    if len(pred) != len(gold):
        return False
    return len(_pair([{"n": g} for g in gold], [{"n": p} for p in pred],
                     lambda g, p: 1.0 if names.match(p["n"], g["n"]) else None)) == len(gold)


def _score_attack_attributes(g: dict, p: dict, names: AliasIndex, layer: LayerScore, errors: list[str]) -> None:
    what = f"attacks: {_describe_attack(g)}:"
    checks = {
        "date": ((p.get("date") or None) and str(p.get("date"))[:10]) == g.get("date"),
        "attacker": _name_or_null_ok(p.get("attacker"), g.get("attacker"), names),
        "target": _name_or_null_ok(p.get("target"), g.get("target"), names),
        "locations": _places_ok(p.get("locations") or [], g.get("locations") or [], names),
        "weapons": set(p.get("weapons") or []) == set(g.get("weapons") or []),
        "claims": set(p.get("claims") or []) == set(g.get("claims") or []),
    }
    for attr, ok in checks.items():
        _judge(layer.attributes[attr], ok, errors, f"{what} {attr} {p.get(attr)!r}, gold {g.get(attr)!r}")


def _participants_match(pred: list, gold: list, names: AliasIndex) -> bool:
    """A perfect order-free pairing of predicted and gold participants."""
    if len(pred) != len(gold):
        return False
    if len(gold) > 7:  # permutations explode; fall back to greedy pairing
        return _places_ok(pred, gold, names)
    return any(all(names.match(pred[j], gold[i]) for i, j in enumerate(perm)) for perm in permutations(range(len(pred))))


def _score_diplomacy(gold: dict, pred: dict, names: AliasIndex, art: ArticleScore) -> None:
    golds, preds = gold.get("diplomacy") or [], pred.get("diplomacy") or []

    def score(g: dict, p: dict) -> float | None:
        if g.get("type") != p.get("type") or not _participants_match(p.get("participants") or [], g.get("participants") or [], names):
            return None
        return float(g.get("status") == p.get("status", "happened"))

    def describe(d: dict) -> str:
        return f"{d.get('type')} {d.get('participants')} ({d.get('status')})"

    layer = art.layers["diplomacy"]
    layer.prf, judged = _count(golds, preds, _pair(golds, preds, score), lambda p: False, describe, "diplomacy", art.errors)
    for g, p in judged:
        _judge(layer.attributes["status"], g.get("status") == p.get("status", "happened"), art.errors,
               f"diplomacy: {describe(g)}: status {p.get('status')}")


@lru_cache(maxsize=4096)
def quote_words(text: str) -> tuple[str, ...]:
    """The words of a quote after normalisation (hamza, diacritics, digits …), for overlap matching."""
    from marsad.text.normalize import normalize

    return tuple(_WORD.findall(normalize(text)))


def quote_overlap(a: str, b: str) -> float:
    """Shared words (multiset) over the longer quote's word count; quotes match at >= 0.5."""
    wa, wb = quote_words(a), quote_words(b)
    if not wa or not wb:
        return 0.0
    shared = sum((Counter(wa) & Counter(wb)).values())
    return shared / max(len(wa), len(wb))


def _score_quotes(gold: dict, pred: dict, names: AliasIndex, art: ArticleScore) -> None:
    golds, preds = gold.get("quotes") or [], pred.get("quotes") or []

    def score(g: dict, p: dict) -> float | None:
        ov = quote_overlap(g.get("text") or "", p.get("text") or "")
        return ov if ov >= 0.5 else None

    def describe(q: dict) -> str:
        text = q.get("text") or ""
        return f"quote {text[:60]!r}{'…' if len(text) > 60 else ''} by {q.get('speaker')}"

    def pred_optional(p: dict) -> bool:
        return len(quote_words(p.get("text") or "")) <= OPTIONAL_QUOTE_WORDS

    layer = art.layers["quotes"]
    layer.prf, judged = _count(golds, preds, _pair(golds, preds, score), pred_optional, describe, "quotes", art.errors)
    for g, p in judged:
        _judge(layer.attributes["speaker"], _name_or_null_ok(p.get("speaker"), g.get("speaker"), names), art.errors,
               f"quotes: {describe(g)}: speaker {p.get('speaker')}")


def _score_entities(gold: dict, pred: dict, art: ArticleScore) -> None:
    golds, preds = gold.get("entities") or [], pred.get("entities") or []

    def keys(e: dict) -> set[str]:
        return {name_key(n) for n in [e.get("name"), *_as_names(e.get("aliases"))] if isinstance(n, str) and n}

    def score(g: dict, p: dict) -> float | None:
        gk = keys(g)
        if not gk & keys(p):
            return None
        return (name_key(p.get("name") or "") in gk) + 0.5 * (g.get("type") == p.get("type"))

    def describe(e: dict) -> str:
        return f"{e.get('type')} {e.get('name')}"

    layer = art.layers["entities"]
    layer.prf, judged = _count(golds, preds, _pair(golds, preds, score), _optional, describe, "entities", art.errors)
    for g, p in judged:
        _judge(layer.attributes["type"], g.get("type") == p.get("type"), art.errors,
               f"entities: {describe(g)}: type {p.get('type')}")


# --- entry points ----------------------------------------------------------------------------


def score_article(gold: dict, pred: dict, article_id: str | None = None) -> ArticleScore:
    """Score one predicted report (a ``Report`` dumped to a dict, or any gold-format dict) against its gold."""
    art = ArticleScore(id=article_id or str(gold.get("id") or pred.get("id") or "article"))
    names = AliasIndex(gold.get("entities") or [])
    _score_figures_and_attacks(gold, pred, names, art)
    _score_diplomacy(gold, pred, names, art)
    _score_quotes(gold, pred, names, art)
    _score_entities(gold, pred, art)
    return art


def score_corpus(pairs: Iterable[tuple[str, dict, dict]]) -> EvalResult:
    """Micro-averaged scores over ``(id, gold, pred)`` triples, with the per-article breakdown."""
    return EvalResult(articles=[score_article(g, p, i) for i, g, p in pairs])


def format_table(result: EvalResult, *, per_article: bool = False, errors: bool = False) -> str:
    """A terminal table of the set's P/R/F1 and attribute accuracies (optionally per article and errors)."""
    lines = [f"{'layer':<10} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>4} {'fn':>4}  attributes"]
    for name, layer in result.layers.items():
        p = layer.prf
        attrs = "  ".join(
            f"{k} {'—' if a.value is None else f'{a.value:.3f}'} ({a.correct}/{a.total})" for k, a in layer.attributes.items()
        )
        lines.append(f"{name:<10} {p.precision:6.3f} {p.recall:6.3f} {p.f1:6.3f} {p.tp:5d} {p.fp:4d} {p.fn:4d}  {attrs}")
    lines.append(f"({len(result.articles)} articles; micro-averaged)")
    if per_article:
        lines += ["", f"{'article':<16}" + "".join(f"{name[:9]:>10}" for name in LAYERS) + "   (F1)"]
        for art in result.articles:
            lines.append(f"{art.id:<16}" + "".join(f"{art.layers[name].prf.f1:10.3f}" for name in LAYERS))
    if errors:
        for art in result.articles:
            if art.errors:
                lines += ["", f"{art.id}:"] + [f"  {e}" for e in art.errors]
    lines += [f"note: {n}" for n in result.notes]
    return "\n".join(lines)
