"""Assemble the public ``Report`` from an analysed ``Document``."""

from __future__ import annotations

from marsad import __version__
from marsad.document import Document
from marsad.schema import Report, ReportWarning, Span


def build_report(doc: Document) -> Report:
    """The report of one analysed document: results of the stages plus its warnings."""
    m = doc.meta
    return Report(
        id=m.id,
        published=m.published.isoformat() if m.published else None,
        outlet=m.outlet,
        url=m.url,
        title=m.title,
        attacks=doc.attacks,
        diplomacy=doc.diplomacy,
        quotes=doc.quotes,
        entities=doc.entities,
        warnings=[
            ReportWarning(code=w.code, message=w.message,
                          span=Span(start=w.start, end=w.end) if w.start is not None else None)
            for w in doc.warnings
        ],
        timings_ms={k: round(v, 3) for k, v in doc.timings.items()},
        marsad_version=__version__,
    )
