"""The map of places hit as server-rendered SVG over the vendored Natural Earth 110m basemap.

Equirectangular projection with the horizontal scale of the view's central latitude, zoomed to
the places shown; no tiles, no CDN, no script. The basemap is built once by
``tools/build_web_assets.mjs`` (see ``static/map/SOURCES.md``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

K = 10.0  # SVG units per degree
WORLD = (-180.0, -60.0, 180.0, 84.0)  # lon/lat box of the world view (Antarctica left out)
MIN_SPAN = 12.0  # degrees: never zoom closer than this, a 110m basemap has no more detail
ASPECT = 1.9  # width / height of the map view


@dataclass(frozen=True)
class Country:
    name: str
    bbox: tuple[float, float, float, float]
    rings: tuple[tuple[tuple[float, float], ...], ...]


@dataclass
class Marker:
    x: float
    y: float
    r: float
    name: str
    title: str
    href: str
    n_events: int


@dataclass
class MapView:
    """What the template draws: viewBox, country paths, place markers."""

    view_box: str
    countries: list[tuple[str, str]]
    markers: list[Marker]
    unplaced: list[dict]
    world: bool
    label_size: float


@lru_cache(maxsize=1)
def world() -> tuple[Country, ...]:
    """The basemap's countries (rings of lon/lat points), loaded once."""
    data = json.loads(resources.files("marsad.web").joinpath("static/map/world-110m.geojson").read_text("utf-8"))
    out = []
    for f in data["features"]:
        geom = f["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings = tuple(tuple((p[0], p[1]) for p in ring) for poly in polys for ring in poly)
        lons = [p[0] for r in rings for p in r]
        lats = [p[1] for r in rings for p in r]
        out.append(Country(f["properties"].get("name", ""), (min(lons), min(lats), max(lons), max(lats)), rings))
    return tuple(out)


def _view(places: list[dict]) -> tuple[float, tuple[float, float, float, float]]:
    """Horizontal scale (cos of the central latitude) and the view box (x0, y0, x1, y1) in scaled
    degrees: every place inside with a margin, at the map's aspect ratio; the world when no place."""
    if not places:
        return 0.8, (WORLD[0] * 0.8, WORLD[1], WORLD[2] * 0.8, WORLD[3])
    lons, lats = [p["lon"] for p in places], [p["lat"] for p in places]
    cos_phi = max(math.cos(math.radians((min(lats) + max(lats)) / 2)), 0.3)
    w = max((max(lons) - min(lons)) * cos_phi, MIN_SPAN * cos_phi) * 1.3
    h = max(max(lats) - min(lats), MIN_SPAN / ASPECT) * 1.3
    w, h = max(w, h * ASPECT), max(h, w / ASPECT)
    cx, cy = (min(lons) + max(lons)) / 2 * cos_phi, (min(lats) + max(lats)) / 2
    return cos_phi, (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _path(rings, cos_phi: float) -> str:  # type: ignore[no-untyped-def]
    return " ".join("M" + "L".join(f"{x * K * cos_phi:.1f},{-y * K:.1f}" for x, y in ring) + "Z" for ring in rings)


def map_view(places: list[dict], link) -> MapView:  # type: ignore[no-untyped-def]
    """The SVG view of ``places`` (``places_hit`` rows); ``link(place)`` gives each marker's href."""
    placed = [p for p in places if p.get("lat") is not None and p.get("lon") is not None]
    cos_phi, (x0, y0, x1, y1) = _view(placed)
    countries = [(c.name, _path(c.rings, cos_phi)) for c in world()
                 if c.bbox[2] * cos_phi >= x0 and c.bbox[0] * cos_phi <= x1 and c.bbox[3] >= y0 and c.bbox[1] <= y1]
    top = max((p.get("n_events") or 1 for p in placed), default=1)
    scale = (x1 - x0) * K / 100
    markers = [Marker(
        round(p["lon"] * K * cos_phi, 1), round(-p["lat"] * K, 1),
        round(scale * (0.35 + 1.0 * math.sqrt((p.get("n_events") or 1) / top)), 2),
        p["name"], f"{p['name']}{' (' + p['country'] + ')' if p.get('country') else ''}: {p.get('n_events') or 0} حدث",
        link(p), p.get("n_events") or 0,
    ) for p in sorted(placed, key=lambda p: -(p.get("n_events") or 0))]
    view_box = f"{x0 * K:.1f} {-y1 * K:.1f} {(x1 - x0) * K:.1f} {(y1 - y0) * K:.1f}"
    unplaced = [p for p in places if p not in placed]
    return MapView(view_box, countries, markers, unplaced, not placed, round(scale * 1.6, 2))
