"""marsad.kb — the knowledge base, the gazetteer stage and entity linking.

Public API used by the extractors::

    from marsad.kb import get_kb, dominant_theatre, main_region

    kb = get_kb()                       # loaded once per process (data in marsad/data/kb)
    kb.get("kyiv")                      # Entry(id, name, type, kind, aliases, ar, country, parent, actor, lat, lon, …)
    kb.by_name("Zelensky")              # Entry whose canonical name/alias matches (scorer-style key)
    kb.actor_of("idf")                  # "Israel": canonical attacker for a force, armed group or country
    kb.country_of("kharkiv")            # "Ukraine": canonical country name (kb.country_id → its KB id)
    kb.is_country(id), kb.is_region(id), kb.within(inner, outer), kb.coordinates(id) -> {lat, lon, country}
    kb.demonym("russia")                # "Russian"
    kb.office("عمدة", "kyiv", date)     # Office("Mayor of Kyiv", holder_id="vitali-klitschko", …)
    kb.institution("ukraine", "air_force")  # Entry of the Ukrainian Air Force
    dominant_theatre(doc)               # KB id of the article's main theatre ("ukraine", "gaza-strip", …)
    main_region(doc)                    # KB id of the region "حاكم المنطقة" refers to

Stages: ``marsad.kb.gazetteer.kb_mentions_stage`` (KB mentions, including composed institutions
and ``origin="title"`` office mentions whose ``name`` is the office and ``entity_id`` its holder or
``office:<role>:<id>``) and ``marsad.kb.linking.entities_stage`` (links tagger mentions, mints
``new:<slug>`` entities, fills ``doc.entities``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from marsad.kb.gazetteer import dominant_theatre, main_region
    from marsad.kb.store import KB, Entry, Office, get_kb

__all__ = ["get_kb", "KB", "Entry", "Office", "dominant_theatre", "main_region"]


def __getattr__(name: str) -> Any:
    """Lazy exports, so importing marsad.kb does not load the data until it is used.

    The first access binds the name in this module, so later imports skip this hook."""
    if name in ("get_kb", "KB", "Entry", "Office"):
        from marsad.kb import store as source
    elif name in ("dominant_theatre", "main_region"):
        from marsad.kb import gazetteer as source
    else:
        raise AttributeError(f"module 'marsad.kb' has no attribute {name!r}")
    value = globals()[name] = getattr(source, name)
    return value
