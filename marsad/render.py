"""A plain-text summary of a report for the terminal (``marsad extract`` without ``--json``).

Arabic text (quotes, mentions, sentences) is printed as is; the terminal does the bidi layout.
"""

from __future__ import annotations

from marsad.schema import Attack, Figure, Report

_QUALIFIER = {"exact": "", "approx": "about ", "at_least": "at least ", "more_than": "more than ",
              "up_to": "up to ", "less_than": "less than "}
_SNIPPET = 90


def _snippet(text: str, limit: int = _SNIPPET) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _around(text: str, pos: int, limit: int = _SNIPPET) -> str:
    """At most ``limit`` characters of ``text`` centred on ``pos`` (the figure inside its sentence)."""
    if len(text) <= limit:
        return _snippet(text, limit)
    start = max(0, min(pos - limit // 2, len(text) - limit))
    piece = text[start:start + limit]
    return ("…" if start else "") + " ".join(piece.split()) + ("…" if start + limit < len(text) else "")


def _names(names: list[str] | None) -> str:
    return " / ".join(names) if names else "unattributed"


def render_figure(f: Figure) -> list[str]:
    """Two lines: the figure itself (measure, weapon, value with qualifier, source) and its sentence."""
    value = f"{_QUALIFIER.get(f.qualifier, f.qualifier + ' ')}{f.value}"
    quoted = " (in a quote)" if f.in_quote else ""
    return [
        f"    {f.measure:<11} {f.weapon or '-':<17} {value:<16} source: {_names(f.source)}{quoted}",
        f"      «{_around(f.sentence, f.span.start - f.sentence_span.start)}»",
    ]


def render_attack(a: Attack) -> list[str]:
    """The attack's header line (who, whom, when, where, with what) followed by its figures."""
    who = f"{a.attacker or 'unknown attacker'} → {a.target or 'unknown target'}"
    parts = [who, a.date or "date unknown"]
    if a.locations:
        parts.append(", ".join(a.locations))
    if a.weapons:
        parts.append(", ".join(a.weapons))
    if a.claims:
        parts.append("claim: " + ", ".join(a.claims))
    lines = [f"  [{a.id}] " + " · ".join(parts)]
    if not a.figures:
        lines.append("    (no figures)")
    for f in a.figures:
        lines += render_figure(f)
    return lines


def render_report(report: Report, origin: str | None = None) -> str:
    """The whole report as readable text: header, attacks, diplomacy, quotes, entities, warnings."""
    head = f"═══ {report.id}" + (f"  ({origin})" if origin and origin != report.id else "")
    meta = [f"{k} {v}" for k, v in (("published", report.published), ("outlet", report.outlet),
                                      ("url", report.url), ("title", report.title)) if v]
    lines = [head] + ([" · ".join(meta)] if meta else [])

    lines += ["", f"ATTACKS ({len(report.attacks)})"]
    for a in report.attacks:
        lines += render_attack(a)

    lines += ["", f"DIPLOMACY ({len(report.diplomacy)})"]
    for d in report.diplomacy:
        lines.append(f"  {d.type:<18} {' ↔ '.join(d.participants):<45} {d.status}")
        lines.append(f"      «{_snippet(d.sentence)}»")

    lines += ["", f"QUOTES ({len(report.quotes)})"]
    for q in report.quotes:
        optional = " (short)" if q.optional else ""
        lines.append(f"  {_names(q.speaker) if q.speaker else 'unknown speaker'}{optional}: “{_snippet(q.text, 160)}”")

    lines += ["", f"ENTITIES ({len(report.entities)})"]
    for e in sorted(report.entities, key=lambda e: (e.type, e.optional, e.name)):
        extra = []
        if e.lat is not None and e.lon is not None:
            extra.append(f"{e.lat:.2f}, {e.lon:.2f}")
        if e.role:
            extra.append(e.role)
        if e.optional:
            extra.append("optional")
        if not e.in_knowledge_base:
            extra.append("not in knowledge base")
        mentions = "، ".join(dict.fromkeys(e.mentions))
        tail = f"  [{'; '.join(extra)}]" if extra else ""
        lines.append(f"  {e.type:<4} {e.name:<34} {mentions}{tail}")

    if report.warnings:
        lines += ["", f"WARNINGS ({len(report.warnings)})"]
        lines += [f"  {w.code}: {w.message}" for w in report.warnings]
    if report.timings_ms:
        lines += ["", f"({sum(report.timings_ms.values()):.1f} ms)"]
    return "\n".join(lines)
