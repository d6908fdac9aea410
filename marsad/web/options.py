"""Choices offered by the timeline's filter form (an adapter: ``marsad.store.queries`` has no such query)."""

from __future__ import annotations

import sqlalchemy as sa
from typing import get_args

from marsad.schema import Weapon
from marsad.store import tables as t
from marsad.store.db import Store


def filter_options(store: Store) -> dict[str, list[str]]:
    """Countries (wars), actors, places and weapons that occur in stored events, sorted."""
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
