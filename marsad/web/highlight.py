"""The article text as HTML with every extracted item highlighted, built safely from report spans.

Article text is untrusted: the HTML is assembled here from escaped text segments and escaped
attribute values only, so ``<script>`` or ``onerror=`` in an article stays inert text. Spans may
nest (a figure inside a quote) or cross (a source that starts inside an entity); crossing marks
are closed and reopened so the markup always nests properly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from marsad.schema import Report

# Outer kinds first when two marks cover exactly the same characters.
_ORDER = {"warning": 0, "quote": 1, "source": 2, "entity": 3, "date": 4, "figure": 5}


@dataclass(frozen=True)
class Mark:
    """One highlighted span: its kind (figure, entity, source, quote, date, warning) and what hover shows."""

    start: int
    end: int
    kind: str
    tip: str
    classes: tuple[str, ...] = ()
    data: tuple[tuple[str, str], ...] = ()
    index: int = field(default=0, compare=False)


def _fmt_sources(names: list[str] | None) -> str:
    return " / ".join(names) if names else "غير منسوب"


def marks_of(report: Report, text_length: int, labels: dict, dates: list = ()) -> list[Mark]:  # type: ignore[assignment]
    """Every span of ``report`` (and of the ``dates`` mentions, the report has none) to highlight,
    clipped to the text and de-duplicated."""
    m, w, q = labels["measure"], labels["weapon"], labels["qualifier"]
    out: list[Mark] = []
    for attack in report.attacks:
        for f in attack.figures:
            tip = " · ".join(x for x in (
                f"{m.get(f.measure, f.measure)}: {q.get(f.qualifier, '')}{f.value}",
                w.get(f.weapon, f.weapon) if f.weapon else "",
                f"المصدر: {_fmt_sources(f.source)}",
                "داخل اقتباس" if f.in_quote else "",
            ) if x)
            out.append(Mark(f.span.start, f.span.end, "figure", tip, (f"m-{f.measure}",), (
                ("value", str(f.value)), ("measure", f.measure), ("weapon", f.weapon or ""),
                ("qualifier", f.qualifier), ("source", _fmt_sources(f.source)), ("id", f.id))))
            if f.source_span is not None:
                out.append(Mark(f.source_span.start, f.source_span.end, "source",
                                f"مصدر الرقم {f.value}: {_fmt_sources(f.source)}", (), (("for", f.id),)))
    for e in report.entities:
        kind_label = labels["entity_type"].get(e.type, e.type)
        extra = " · ".join(x for x in (
            kind_label, e.name,
            "" if e.in_knowledge_base else "ليس في قاعدة المعرفة",
            labels["role"].get(e.role, e.role) if e.role else "",
            f"{e.lat:.2f}، {e.lon:.2f}" if e.lat is not None and e.lon is not None else "",
        ) if x)
        classes = (f"t-{e.type}",) + (("credit",) if e.role == "credit" else ())
        for s in e.spans:
            out.append(Mark(s.start, s.end, "entity", extra, classes, (("entity", e.id), ("type", e.type))))
    for qt in report.quotes:
        who = _fmt_sources(qt.speaker) if qt.speaker else "متحدث غير معروف"
        out.append(Mark(qt.span.start, qt.span.end, "quote", f"اقتباس: {who}", (), (("speaker", who),)))
    for warn in report.warnings:
        if warn.span is not None:
            out.append(Mark(warn.span.start, warn.span.end, "warning",
                            f"{labels['warning'].get(warn.code, warn.code)}: {warn.message}",
                            (f"w-{warn.code}",), (("code", warn.code),)))
    for d in dates:
        when = d.value.isoformat() if d.value else ""
        out.append(Mark(d.start, d.end, "date", f"تاريخ: {when or 'غير محدد'}" + (" (خلال الليل)" if d.overnight else ""),
                        (), (("date", when),)))
    return _clean(out, text_length)


def _clean(marks: list[Mark], n: int) -> list[Mark]:
    seen: set[tuple[int, int, str, str]] = set()
    out = []
    for mk in marks:
        start, end = max(0, mk.start), min(n, mk.end)
        key = (start, end, mk.kind, mk.tip)
        if end <= start or key in seen:
            continue
        seen.add(key)
        out.append(Mark(start, end, mk.kind, mk.tip, mk.classes, mk.data, len(out)))
    return out


def _open_tag(mk: Mark, fragment: bool) -> str:
    classes = " ".join(("hl", f"hl-{mk.kind}", *mk.classes, *(("cont",) if fragment else ())))
    attrs = [f'class="{escape(classes)}"', f'data-kind="{escape(mk.kind)}"', f'data-tip="{escape(mk.tip)}"',
             f'title="{escape(mk.tip)}"']
    attrs += [f'data-{escape(k)}="{escape(v)}"' for k, v in mk.data]
    if not fragment:
        attrs.append('tabindex="0"')
    return f"<mark {' '.join(attrs)}>"


def highlight(text: str, marks: list[Mark]) -> Markup:
    """``text`` as HTML with ``marks`` as nested ``<mark>`` elements; paragraphs kept as line breaks by CSS."""
    starts: dict[int, list[Mark]] = {}
    ends: dict[int, list[Mark]] = {}
    for mk in marks:
        starts.setdefault(mk.start, []).append(mk)
        ends.setdefault(mk.end, []).append(mk)
    bounds = sorted({0, len(text), *starts, *ends})
    parts: list[str] = []
    stack: list[Mark] = []
    for i, pos in enumerate(bounds):
        closing = {mk.index for mk in ends.get(pos, [])}
        if closing:
            # Pop to the deepest closing mark, then reopen the survivors as continuation fragments.
            depth = min(k for k, mk in enumerate(stack) if mk.index in closing)
            reopen = [mk for mk in stack[depth:] if mk.index not in closing]
            parts.append("</mark>" * (len(stack) - depth))
            del stack[depth:]
            for mk in reopen:
                parts.append(_open_tag(mk, fragment=True))
                stack.append(mk)
        for mk in sorted(starts.get(pos, []), key=lambda m: (-m.end, _ORDER.get(m.kind, 9), m.index)):
            parts.append(_open_tag(mk, fragment=False))
            stack.append(mk)
        if i + 1 < len(bounds):
            parts.append(str(escape(text[pos:bounds[i + 1]])))
    parts.append("</mark>" * len(stack))
    return Markup("".join(parts))
