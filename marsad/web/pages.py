"""The dashboard: server-rendered Arabic (RTL) pages, each with a JSON twin (``?format=json``).

Handlers call the same ``marsad.store.queries`` functions as the REST API and the CLI; the JSON twin
of a page is exactly the library result the page was rendered from. Templates are autoescaped;
the only pre-built HTML is the highlighted article text from ``marsad.web.highlight``.
"""

from __future__ import annotations

import json
import logging
import math
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from marsad import __version__
from marsad.api.deps import AppState, state
from marsad.document import ArticleMeta
from marsad.schema import Report
from marsad.store import queries
from marsad.web import charts, geo, highlight
from marsad.web.options import filter_options

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
PAGE = 50
MAX_PASTE = 200_000


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    """Arabic labels of the report's vocabularies (measures, weapons, …), shared with ``static/app.js``."""
    return json.loads(resources.files("marsad.web").joinpath("static/labels.json").read_text("utf-8"))


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) link, else None: a ``javascript:`` URL from a feed never becomes a link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _qs(base: dict[str, Any], **changes: Any) -> str:
    merged = {**base, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "", False)})


def _names(value: Any) -> str:
    """A participant / source list as text (items may themselves be lists of acceptable names)."""
    if not value:
        return ""
    if isinstance(value, str):
        return value
    return " / ".join(v if isinstance(v, str) else (v[0] if v else "") for v in value)


def _time(value: str | None) -> Markup:
    """A date or time as an isolated left-to-right ``<time>`` (a bare ISO date in RTL text reads 10-08-2025)."""
    if not value:
        return Markup("")
    return Markup('<time class="num" datetime="{0}">{1}</time>').format(value, str(value).replace("T", " ")[:16])


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("marsad.web", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(labels=labels(), qs=_qs, version=__version__)
    env.filters.update(safe_url=safe_url, names=_names, dt=_time)
    return env


def _html(template: str, request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "format"] + [("format", "json")]
    ctx = {"request_path": request.url.path, "json_href": f"{request.url.path}?{urlencode(params)}", "page_title": "",
           **context}
    return HTMLResponse(environment().get_template(template).render(**ctx), status_code=status)


def page(request: Request, template: str, data: Any, **context: Any) -> Response:
    """The page, or its JSON twin (``data``, the library result) when ``?format=json``."""
    if request.query_params.get("format") == "json":
        return JSONResponse(data)
    return _html(template, request, data=data, **context)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    """An error page (404, 422 …) in the dashboard's layout."""
    return _html("error.html", request, status=status, status_code=status, message=message, page_title=str(status))


class PageFilters:
    """Event filters from a page's query string: blank fields ignored, a bad date reported on the page."""

    def __init__(self, date_from: str = Query(""), date_to: str = Query(""), country: str = Query(""),
                 actor: str = Query(""), place: str = Query(""), weapon: str = Query("")) -> None:
        self.errors: list[str] = []
        self.raw = {"date_from": date_from.strip(), "date_to": date_to.strip(), "country": country.strip(),
                    "actor": actor.strip(), "place": place.strip(), "weapon": weapon.strip()}
        self.values: dict[str, Any] = {k: v for k, v in self.raw.items() if v}
        for key in ("date_from", "date_to"):
            if key in self.values:
                try:
                    self.values[key] = date.fromisoformat(self.values[key])
                except ValueError:
                    self.errors.append(f"تاريخ غير صالح «{self.values.pop(key)}» (المطلوب YYYY-MM-DD)")


def _page_no(value: int) -> int:
    return max(1, min(value, 100_000))


@router.get("/", response_class=HTMLResponse)
def timeline_page(request: Request, f: PageFilters = Depends(), st: AppState = Depends(state)) -> Response:
    rows = queries.timeline(st.store, **f.values)
    events = queries.list_events(st.store, kind="attack", limit=PAGE, **f.values)
    total = queries.count_events(st.store, kind="attack", **f.values)
    data = {"filters": f.raw, "timeline": rows, "events": events, "total_events": total}
    if request.query_params.get("format") == "json":
        return JSONResponse(data)
    step, chart_list = charts.timeline_charts(rows, labels()["measure"] | {"events": "أحداث"},
                                              {k: v for k, v in f.raw.items() if v and not k.startswith("date")},
                                              f.values.get("date_from"), f.values.get("date_to"))
    return _html("timeline.html", request, data=data, filters=f, charts=chart_list, step=step,
                 options=filter_options(st.store), page_title="الخط الزمني")


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, f: PageFilters = Depends(), kind: str = Query(""), conflicts: bool = False,
                page_no: int = Query(1, alias="page"), st: AppState = Depends(state)) -> Response:
    kind_value = kind if kind in ("attack", "diplomacy") else None
    page_no = _page_no(page_no)
    events = queries.list_events(st.store, kind=kind_value, conflicts_only=conflicts,
                                 limit=PAGE, offset=(page_no - 1) * PAGE, **f.values)
    if request.query_params.get("format") == "json":
        return JSONResponse(events)
    total = queries.count_events(st.store, kind=kind_value, conflicts_only=conflicts, **f.values)
    base = {**f.raw, "kind": kind_value or "", "conflicts": conflicts}
    return _html("events.html", request, data=events, filters=f, base=base, total=total, page_no=page_no,
                 pages=max(1, math.ceil(total / PAGE)), options=filter_options(st.store), page_title="الأحداث")


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str, st: AppState = Depends(state)) -> Response:
    event = queries.get_event(st.store, event_id)
    if event is None:
        raise HTTPException(404, f"لا يوجد حدث بالمعرّف «{event_id}»")
    chosen = {c["claim_id"] for c in event.get("consensus") or []}
    conflicted = {cid for row in event.get("consensus") or [] for cid in row.get("conflicted_claims", ())}
    ref = {c["claim_id"]: c for c in (event.get("reference") or {}).get("checks", [])}
    return page(request, "event.html", event, chosen=chosen, conflicted=conflicted, ref=ref,
                page_title=f"حدث {event.get('date') or ''}")


@router.get("/articles", response_class=HTMLResponse)
def articles_page(request: Request, outlet: str = Query(""), page_no: int = Query(1, alias="page"),
                  st: AppState = Depends(state)) -> Response:
    page_no = _page_no(page_no)
    items = queries.list_articles(st.store, outlet=outlet.strip() or None, limit=PAGE + 1, offset=(page_no - 1) * PAGE)
    return page(request, "articles.html", items[:PAGE], has_next=len(items) > PAGE, page_no=page_no,
                base={"outlet": outlet.strip()}, page_title="المقالات")


def article_dates(text: str, published: date | None) -> list:
    """Date mentions of ``text`` (the stored report has no date spans): the pipeline up to its dates stage."""
    from marsad.pipeline import Pipeline, default_stages
    from marsad.document import Document

    try:
        stages = default_stages(ner=False)
    except ImportError as exc:  # the text stages are not installed: no date highlighting
        log.warning("date highlighting unavailable: %s", exc)
        return []
    upto = [s.name for s in stages].index("dates") + 1
    doc = Pipeline(stages[:upto])(Document(text=text, meta=ArticleMeta(published=published)))
    return doc.dates


def _report_view(text: str, report: Report, published: date | None) -> dict[str, Any]:
    """Highlighted HTML of ``text`` and the lists shown beside it."""
    marks = highlight.marks_of(report, len(text), labels(), article_dates(text, published))
    return {"html": highlight.highlight(text, marks), "report": report,
            "counts": {k: sum(1 for m in marks if m.kind == k) for k in ("figure", "entity", "source", "quote", "date", "warning")}}


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, st: AppState = Depends(state)) -> Response:
    article = queries.get_article(st.store, article_id)
    if article is None:
        raise HTTPException(404, f"لا توجد مقالة بالمعرّف «{article_id}»")
    if request.query_params.get("format") == "json":
        return JSONResponse(article)
    report = Report.model_validate(article["report"] or {"id": article_id})
    published = date.fromisoformat(article["published"]) if article.get("published") else None
    return _html("article.html", request, data=article, view=_report_view(article["text"], report, published),
                 page_title=article.get("title") or article_id)


@router.get("/entities", response_class=HTMLResponse)
def entities_page(request: Request, type: str = Query(""), q: str = Query(""), page_no: int = Query(1, alias="page"),
                  st: AppState = Depends(state)) -> Response:
    page_no = _page_no(page_no)
    etype = type if type in ("PER", "ORG", "LOC") else None
    items = queries.list_entities(st.store, type=etype, q=q.strip()[:200] or None, limit=PAGE + 1,
                                  offset=(page_no - 1) * PAGE)
    return page(request, "entities.html", items[:PAGE], has_next=len(items) > PAGE, page_no=page_no,
                base={"type": etype or "", "q": q.strip()}, page_title="الكيانات")


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str, st: AppState = Depends(state)) -> Response:
    entity = queries.get_entity(st.store, entity_id)
    if entity is None:
        raise HTTPException(404, f"لا يوجد كيان بالمعرّف «{entity_id}»")
    return page(request, "entity.html", entity, page_title=entity["name"])


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, f: PageFilters = Depends(), st: AppState = Depends(state)) -> Response:
    places = queries.places_hit(st.store, date_from=f.values.get("date_from"), date_to=f.values.get("date_to"),
                                country=f.values.get("country"))
    if request.query_params.get("format") == "json":
        return JSONResponse(places)

    def link(p: dict) -> str:
        return f"/entities/{p['entity_id']}" if p.get("entity_id") else "/events?" + _qs({}, place=p["name"])

    return _html("map.html", request, data=places, filters=f, view=geo.map_view(places, link),
                 options=filter_options(st.store), page_title="خريطة الأماكن المستهدفة")


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = Query(""), page_no: int = Query(1, alias="page"),
                st: AppState = Depends(state)) -> Response:
    page_no = _page_no(page_no)
    query = q.strip()[:500]
    hits = queries.search(st.store, query, limit=21, offset=(page_no - 1) * 20) if query else []
    return page(request, "search.html", hits[:20], q=query, has_next=len(hits) > 20, page_no=page_no,
                base={"q": query}, page_title=f"بحث: {query}" if query else "بحث")


@router.get("/paste", response_class=HTMLResponse)
def paste_form(request: Request) -> Response:
    return _html("paste.html", request, text="", published="", view=None, error=None, page_title="تحليل نص")


@router.post("/paste", response_class=HTMLResponse)
def paste_page(request: Request, text: str = Form(""), published: str = Form(""),
               st: AppState = Depends(state)) -> Response:
    error, view, when = None, None, None
    if published.strip():
        try:
            when = date.fromisoformat(published.strip())
        except ValueError:
            error = f"تاريخ غير صالح «{published.strip()}» (المطلوب YYYY-MM-DD)"
    if not text.strip():
        error = error or "الصق نص مقالة أولاً"
    elif len(text) > MAX_PASTE:
        error = f"النص أطول من {MAX_PASTE} حرف"
    if error is None:
        report = st.extractor(text, ArticleMeta(id="pasted", published=when))
        if request.query_params.get("format") == "json":
            return JSONResponse(report.model_dump(mode="json"))
        view = _report_view(text, report, when)
    elif request.query_params.get("format") == "json":
        return JSONResponse({"detail": error}, status_code=422)
    return _html("paste.html", request, status=422 if error else 200, text=text, published=published, view=view,
                 error=error, page_title="تحليل نص")
