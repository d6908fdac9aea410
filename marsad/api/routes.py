"""The REST API (mounted at ``/api``): thin handlers over ``marsad.store.queries`` and ``marsad.extract``.

Every read handler returns what the library function returns, so the API, the web pages' JSON
twins and the CLI's ``--json`` agree. Bad filter values are rejected by validation (422), unknown
ids are 404, writes need the operator's bearer token (see ``marsad.api.deps``).
"""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from pydantic import BaseModel, BeforeValidator, Field

from marsad.api.deps import AppState, require_token, state
from marsad.document import ArticleMeta
from marsad.io import ArticleInput
from marsad.schema import Report
from marsad.store import queries

router = APIRouter()
MAX_TEXT = 1_000_000  # characters: a long article is ~20k
Kind = Literal["attack", "diplomacy"]
EntityType = Literal["PER", "ORG", "LOC"]
ExportFormat = Literal["csv", "claims.csv", "jsonl", "geojson"]
_MEDIA = {"csv": "text/csv", "claims.csv": "text/csv", "jsonl": "application/x-ndjson", "geojson": "application/geo+json"}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    """Only ``YYYY-MM-DD`` strings (or dates) are dates: pydantic would also take ``0`` as 1970-01-01."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("expected a date as YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Limit = Query(100, ge=1, le=1000, description="at most this many items")
Offset = Query(0, ge=0, le=10_000_000, description="skip this many items")


class ArticleText(BaseModel):
    """An article to extract or ingest: its text and metadata."""

    text: str = Field(..., min_length=1, max_length=MAX_TEXT, description="the article text, as published")
    published: IsoDate | None = Field(None, description="publication date (anchors relative dates)")
    id: str = Field("article", min_length=1, max_length=200, pattern=r"^[^/\s][^/]*$", description="article id")
    url: str | None = Field(None, max_length=2000)
    outlet: str | None = Field(None, max_length=255)
    title: str | None = Field(None, max_length=2000)

    def meta(self) -> ArticleMeta:
        """The metadata, blank strings as missing (an empty URL is no URL, and must not collide with another)."""
        return ArticleMeta(id=self.id, published=self.published, url=(self.url or "").strip() or None,
                           outlet=(self.outlet or "").strip() or None, title=(self.title or "").strip() or None)


class Problem(BaseModel):
    """An error: what is wrong, naming the input."""

    detail: str


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "no such item"}}
BAD_BODY: dict[int | str, dict[str, Any]] = {400: {"model": Problem, "description": "the body is not valid JSON"}}


class IngestOut(BaseModel):
    """What happened to an ingested article."""

    article_id: str
    status: Literal["added", "near_duplicate", "revision", "duplicate", "failed"]
    duplicate_of: str | None = None
    events: list[str] = []
    figures: int = 0
    message: str = ""


class Filters:
    """The event filters shared by events, timeline, places and exports."""

    def __init__(
        self,
        date_from: IsoDate | None = Query(None, description="first date (YYYY-MM-DD)"),
        date_to: IsoDate | None = Query(None, description="last date (YYYY-MM-DD)"),
        country: str | None = Query(None, max_length=255, description="a war/country: target, attacker, place country or participant"),
        actor: str | None = Query(None, max_length=255, description="attacker, target or participant (canonical name)"),
        place: str | None = Query(None, max_length=255, description="a place hit (canonical name or entity id)"),
        weapon: str | None = Query(None, max_length=64, description="a weapon kind (drone, missile, …)"),
    ) -> None:
        self.date_from, self.date_to, self.country = date_from, date_to, country
        self.actor, self.place, self.weapon = actor, place, weapon

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v not in (None, "")}


def _found(item: dict | None, what: str, key: str) -> dict:
    if item is None:
        raise HTTPException(404, f"no {what} {key!r}")
    return item


@router.get("/stats", summary="Counts of articles, events, claims, entities, reference records, problems")
def get_stats(st: AppState = Depends(state)) -> dict[str, int]:
    return queries.stats(st.store)


@router.get("/articles", summary="Articles (metadata, no text), newest first")
def list_articles(outlet: str | None = Query(None, max_length=255), date_from: IsoDate | None = None,
                  date_to: IsoDate | None = None, limit: int = Limit, offset: int = Offset,
                  st: AppState = Depends(state)) -> list[dict[str, Any]]:
    return queries.list_articles(st.store, outlet=outlet, date_from=date_from, date_to=date_to, limit=limit, offset=offset)


@router.get("/articles/{article_id}", responses=NOT_FOUND, summary="One article: text, stored report, events, near-copies")
def get_article(article_id: str, st: AppState = Depends(state)) -> dict[str, Any]:
    return _found(queries.get_article(st.store, article_id), "article", article_id)


@router.post("/articles", status_code=201, dependencies=[Depends(require_token)], response_model=IngestOut,
             summary="Ingest one article (extract, deduplicate, link into events); needs the bearer token",
             responses={200: {"model": IngestOut, "description": "already stored (duplicate)"},
                        401: {"model": Problem, "description": "missing or wrong token"},
                        403: {"model": Problem, "description": "writes disabled"},
                        422: {"description": "invalid article, or extraction failed"}, **BAD_BODY})
def ingest_article(article: ArticleText, response: Response, st: AppState = Depends(state)) -> IngestOut:
    from marsad.store.ingest import IngestResult, ingest

    results: list[IngestResult] = []
    item = ArticleInput(id=article.id, text=article.text, meta=article.meta(), origin="api")
    ingest(st.store, [item], extract=st.extractor, on_result=results.append)  # type: ignore[arg-type]
    result = results[0]
    if result.status == "failed":
        raise HTTPException(422, result.message)
    if result.status == "duplicate":
        response.status_code = 200
    return IngestOut(article_id=result.article_id, status=result.status, duplicate_of=result.duplicate_of,  # type: ignore[arg-type]
                     events=result.events, figures=result.figures, message=result.message)


@router.delete("/articles/{article_id}", status_code=204, dependencies=[Depends(require_token)],
               summary="Delete an article; its events are recomputed; needs the bearer token",
               responses={401: {"model": Problem, "description": "missing or wrong token"},
                          403: {"model": Problem, "description": "writes disabled"}, **NOT_FOUND})
def delete_article(article_id: str, st: AppState = Depends(state)) -> Response:
    if not queries.delete_article(st.store, article_id):
        raise HTTPException(404, f"no article {article_id!r}")
    return Response(status_code=204)


@router.get("/events", summary="Linked events, newest first, with totals, conflicts and article ids")
def list_events(filters: Filters = Depends(), kind: Kind | None = None, conflicts_only: bool = False,
                limit: int = Limit, offset: int = Offset, st: AppState = Depends(state)) -> list[dict[str, Any]]:
    return queries.list_events(st.store, kind=kind, conflicts_only=conflicts_only, with_articles=True,
                               limit=limit, offset=offset, **filters.as_dict())


@router.get("/events/{event_id}", responses=NOT_FOUND, summary="One event: claims, consensus, conflicts, reference check, articles")
def get_event(event_id: str, st: AppState = Depends(state)) -> dict[str, Any]:
    return _found(queries.get_event(st.store, event_id), "event", event_id)


@router.get("/events/{event_id}/claims", responses=NOT_FOUND, summary="Every claim about one event (value, source, outlet, sentence)")
def event_claims(event_id: str, st: AppState = Depends(state)) -> list[dict[str, Any]]:
    event = _found(queries.get_event(st.store, event_id), "event", event_id)
    return event.get("claims") or []


@router.get("/timeline", summary="Per day: attack events, launched, intercepted, killed, injured")
def timeline(filters: Filters = Depends(), st: AppState = Depends(state)) -> list[dict[str, Any]]:
    return queries.timeline(st.store, **filters.as_dict())


@router.get("/entities", summary="Entities by number of articles mentioning them")
def list_entities(type: EntityType | None = None, q: str | None = Query(None, max_length=200),
                  limit: int = Limit, offset: int = Offset, st: AppState = Depends(state)) -> list[dict[str, Any]]:
    return queries.list_entities(st.store, type=type, q=q, limit=limit, offset=offset)


@router.get("/entities/{entity_id}", responses=NOT_FOUND, summary="An entity with its events, quotes and articles")
def get_entity(entity_id: str, st: AppState = Depends(state)) -> dict[str, Any]:
    return _found(queries.get_entity(st.store, entity_id), "entity", entity_id)


@router.get("/places", summary="Places hit by attacks, with coordinates and event counts")
def places(date_from: IsoDate | None = None, date_to: IsoDate | None = None,
           country: str | None = Query(None, max_length=255), st: AppState = Depends(state)) -> list[dict[str, Any]]:
    return queries.places_hit(st.store, date_from=date_from, date_to=date_to, country=country)


@router.get("/search", summary="Arabic-aware full-text search (hamza forms, ى/ي, diacritics, clitics)")
def search(q: str = Query(..., min_length=1, max_length=500), limit: int = Query(20, ge=1, le=200),
           offset: int = Offset, st: AppState = Depends(state)) -> list[dict[str, Any]]:
    return queries.search(st.store, q, limit=limit, offset=offset)


@router.get("/problems", summary="Input problems recorded by ingests, newest first")
def problems(limit: int = Limit, offset: int = Offset, st: AppState = Depends(state)) -> list[dict[str, Any]]:
    return queries.list_problems(st.store, limit=limit, offset=offset)


@router.get("/export/{fmt}", summary="Export events: ACLED-style CSV, claims CSV, JSONL or GeoJSON points",
            response_class=Response,
            responses={200: {"content": {m: {} for m in sorted(set(_MEDIA.values()))}}})
def export(fmt: ExportFormat, date_from: IsoDate | None = None, date_to: IsoDate | None = None,
           st: AppState = Depends(state)) -> Response:
    from marsad.store.export import export as write_export

    base = "csv" if fmt == "claims.csv" else fmt
    with tempfile.TemporaryDirectory(prefix="marsad-export-") as tmp:
        out = Path(tmp) / f"events.{base}"
        write_export(st.store, base, out, date_from=date_from, date_to=date_to)
        body = (out.with_name("events.claims.csv") if fmt == "claims.csv" else out).read_bytes()
    name = f"marsad-{'claims' if fmt == 'claims.csv' else 'events'}.{base}"
    return Response(body, media_type=_MEDIA[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/extract", response_model=Report, responses=BAD_BODY, summary="Extract a report from posted text (nothing is stored)")
def extract(article: ArticleText, st: AppState = Depends(state)) -> Report:
    return st.extractor(article.text, article.meta())
