"""Server-rendered SVG charts of the timeline: geometry here, markup in ``templates/_charts.html``.

No chart library and no script: the browser gets plain SVG (bars are links to that period's events,
``<title>`` gives the numbers on hover), which also keeps the Content-Security-Policy strict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 960, 170, 48, 22, 8
SERIES = ("events", "launched", "intercepted", "killed", "injured")


@dataclass
class Bar:
    x: float
    y: float
    w: float
    h: float
    series: str
    href: str
    title: str


@dataclass
class Chart:
    """One chart: its bars, y-axis ticks and x-axis labels in SVG user units."""

    key: str
    title: str
    series: tuple[str, ...]
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    yticks: list[tuple[float, str]] = field(default_factory=list)
    xticks: list[tuple[float, str]] = field(default_factory=list)
    total: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Bucket:
    start: date
    end: date
    values: dict[str, int]


def _step(days: int) -> str:
    return "day" if days <= 120 else "week" if days <= 730 else "month"


def _bucket_start(d: date, step: str) -> date:
    if step == "week":
        return d - timedelta(days=d.weekday())
    if step == "month":
        return d.replace(day=1)
    return d


def _next(d: date, step: str) -> date:
    if step == "week":
        return d + timedelta(days=7)
    if step == "month":
        return (d.replace(day=28) + timedelta(days=4)).replace(day=1)
    return d + timedelta(days=1)


def buckets(rows: list[dict], date_from: date | None = None, date_to: date | None = None) -> tuple[str, list[Bucket]]:
    """Timeline rows (one per day with events) as contiguous day/week/month buckets, empty ones included."""
    days = {date.fromisoformat(r["date"]): r for r in rows if r.get("date")}
    if not days:
        return "day", []
    first, last = date_from or min(days), date_to or max(days)
    first, last = min(first, last), max(first, last)
    step = _step((last - first).days + 1)
    out: list[Bucket] = []
    cur = _bucket_start(first, step)
    while cur <= last:
        nxt = _next(cur, step)
        values = {s: 0 for s in SERIES}
        d = cur
        while d < nxt:
            r = days.get(d)
            if r:
                for s in SERIES:
                    values[s] += int(r.get(s) or 0)
            d += timedelta(days=1)
        out.append(Bucket(cur, nxt - timedelta(days=1), values))
        cur = nxt
    return step, out


def _nice_max(v: int) -> int:
    if v <= 4:
        return 4
    mag = 10 ** (len(str(v)) - 1)
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * mag:
            return int(m * mag)
    return v


def bar_chart(key: str, title: str, series: tuple[str, ...], bks: list[Bucket], labels: dict[str, str],
              link: dict[str, str], overlap: bool = False) -> Chart:
    """Bars per bucket for ``series`` (side by side, or ``overlap``ped: launched behind intercepted)."""
    chart = Chart(key, title, series)
    if not bks:
        return chart
    chart.total = {s: sum(b.values[s] for b in bks) for s in series}
    top = _nice_max(max(max(b.values[s] for s in series) for b in bks))
    plot_w, plot_h = WIDTH - LEFT - 4, HEIGHT - BOTTOM - TOP
    slot = plot_w / len(bks)
    gap = min(2.0, slot * 0.15)
    for i, b in enumerate(bks):
        x0 = LEFT + i * slot + gap / 2
        span = b.start.isoformat() if b.start == b.end else f"{b.start.isoformat()} – {b.end.isoformat()}"
        href = "/events?" + urlencode({**link, "date_from": b.start.isoformat(), "date_to": b.end.isoformat()})
        for j, s in enumerate(series):
            v = b.values[s]
            if not v:
                continue
            h = max(1.0, v / top * plot_h)
            if overlap:
                inset = (slot - gap) * 0.2 * j
                x, w = x0 + inset, slot - gap - 2 * inset
            else:
                w = (slot - gap) / len(series)
                x = x0 + j * w
            chart.bars.append(Bar(round(x, 2), round(TOP + plot_h - h, 2), round(max(w, 0.6), 2), round(h, 2), s, href,
                                  f"{span}: {labels.get(s, s)} {v}"))
    chart.yticks = [(round(TOP + plot_h - f * plot_h, 2), f"{top * f:g}") for f in (0, 0.5, 1)]
    every = max(1, len(bks) // 8)
    chart.xticks = [(round(LEFT + (i + 0.5) * slot, 2), b.start.isoformat()) for i, b in enumerate(bks) if i % every == 0]
    return chart


def timeline_charts(rows: list[dict], labels: dict[str, str], link: dict[str, str],
                    date_from: date | None = None, date_to: date | None = None) -> tuple[str, list[Chart]]:
    """The three timeline charts: events, launched vs intercepted, killed and injured."""
    step, bks = buckets(rows, date_from, date_to)
    return step, [
        bar_chart("events", "الأحداث", ("events",), bks, labels, link),
        bar_chart("air", "أُطلق مقابل اعتُرض", ("launched", "intercepted"), bks, labels, link, overlap=True),
        bar_chart("casualties", "القتلى والجرحى", ("killed", "injured"), bks, labels, link),
    ]
