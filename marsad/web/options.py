"""Choices offered by the timeline's filter form (an adapter: ``marsad.store.queries`` has no such query)."""

from __future__ import annotations

import time
from typing import get_args

import sqlalchemy as sa

from marsad.schema import Weapon
from marsad.store import tables as t
from marsad.store.db import Store

TTL_SECONDS = 60.0  # a filter form may offer a minute-old list; the DISTINCT scans cost ~40 ms at 10k articles
_cache: dict[str, tuple[float, dict[str, list[str]]]] = {}


def filter_options(store: Store) -> dict[str, list[str]]:
    """Countries (wars), actors, places and weapons that occur in stored events, sorted (cached briefly)."""
    hit = _cache.get(store.url)
    if hit and time.monotonic() - hit[0] < TTL_SECONDS:
        return hit[1]
    options = _query(store)
    _cache[store.url] = (time.monotonic(), options)
    return options


def _query(store: Store) -> dict[str, list[str]]:
    e, p = t.events.c, t.attack_places.c
    with store.read() as conn:
        attackers = set(conn.execute(sa.select(e.attacker).distinct().where(e.attacker.isnot(None))).scalars())
        targets = set(conn.execute(sa.select(e.target).distinct().where(e.target.isnot(None))).scalars())
        countries = set(conn.execute(sa.select(p.country).distinct().where(p.country.isnot(None))).scalars())
        places = set(conn.execute(sa.select(p.name).distinct().where(p.event_id.isnot(None))).scalars())
    return {
        "country": sorted(targets | countries),
        "actor": sorted(attackers | targets),
        "place": sorted(places),
        "weapon": list(get_args(Weapon)),
    }
