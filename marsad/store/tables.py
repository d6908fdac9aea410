"""The store's tables (SQLAlchemy Core), shared by SQLite and PostgreSQL.

The schema is created and upgraded by the Alembic migrations in ``marsad/store/migrations``;
these ``Table`` objects are what the code reads and writes with. Ids are strings chosen by
marsad (``ARTICLE/ITEM`` for extracted items, ``ev-…`` for events) so that two processes
writing at once can never invent the same id for different things.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
ID = sa.String(255)

metadata = sa.MetaData()

articles = sa.Table(
    "articles", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("url", sa.String(2000), unique=True),
    sa.Column("outlet", sa.String(255)),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.Date, index=True),
    sa.Column("published_at", sa.DateTime),  # publication time when the source gives one (HTML, RSS)
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("minhash", sa.LargeBinary),
    sa.Column("report", JSON),
    sa.Column("origin", sa.String(2000)),
    sa.Column("warnings", JSON),
    sa.Column("ingested_at", sa.DateTime, nullable=False),
    sa.Column("duplicate_of", ID, sa.ForeignKey("articles.id", ondelete="SET NULL"), index=True),
    sa.Column("similarity", sa.Float),  # estimated Jaccard with ``duplicate_of``
)

# MinHash LSH bands: articles sharing a band are near-duplicate candidates.
article_bands = sa.Table(
    "article_bands", metadata,
    sa.Column("band", sa.String(40), primary_key=True),
    sa.Column("article_id", ID, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True),
)

events = sa.Table(
    "events", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),  # attack | diplomacy
    sa.Column("date", sa.Date),
    sa.Column("attacker", sa.String(255)),
    sa.Column("target", sa.String(255)),
    sa.Column("locations", JSON),
    sa.Column("weapons", JSON),
    sa.Column("type", sa.String(32)),  # diplomacy type
    sa.Column("participants", JSON),
    sa.Column("participant_key", sa.String(500)),
    sa.Column("status", sa.String(16)),
    sa.Column("largest", sa.Boolean, nullable=False, default=False),
    sa.Column("n_articles", sa.Integer, nullable=False, default=0),
    # consensus totals (see marsad.link.reconcile.totals), for timelines and sorting
    sa.Column("launched", sa.Integer),
    sa.Column("intercepted", sa.Integer),
    sa.Column("killed", sa.Integer),
    sa.Column("injured", sa.Integer),
    sa.Column("sig", JSON),  # linking signature (marsad.link.signature.EventSig) + first attack id
    sa.Column("summary", JSON),  # consensus / conflicts cache, rebuilt whenever a report joins
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Index("ix_events_kind_date", "kind", "date"),
    sa.Index("ix_events_kind_key", "kind", "participant_key"),
)

# Blocking keys of events (figure values, places, participants): how a new report finds candidates.
event_keys = sa.Table(
    "event_keys", metadata,
    sa.Column("key", sa.String(300), primary_key=True),
    sa.Column("event_id", ID, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True, index=True),
)

attacks = sa.Table(
    "attacks", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("article_id", ID, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("event_id", ID, sa.ForeignKey("events.id", ondelete="SET NULL"), index=True),
    sa.Column("date", sa.Date),
    sa.Column("date_from", sa.String(16)),  # text | published | none
    sa.Column("attacker", sa.String(255)),
    sa.Column("target", sa.String(255)),
    sa.Column("locations", JSON),
    sa.Column("weapons", JSON),
    sa.Column("claims", JSON),
    sa.Column("confidence", sa.Float),
    sa.Column("context", sa.Text),  # the sentences the attack was read from (text similarity)
    sa.Column("embedding", sa.LargeBinary),
)

figures = sa.Table(
    "figures", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("attack_id", ID, sa.ForeignKey("attacks.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("article_id", ID, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("event_id", ID, sa.ForeignKey("events.id", ondelete="SET NULL")),
    sa.Column("measure", sa.String(16), nullable=False),
    sa.Column("weapon", sa.String(32)),
    sa.Column("value", sa.Integer, nullable=False),
    sa.Column("qualifier", sa.String(16), nullable=False),
    sa.Column("source", JSON),
    sa.Column("source_entity_id", sa.String(255)),
    sa.Column("source_kind", sa.String(16), nullable=False),  # official | media | unattributed
    sa.Column("in_quote", sa.Boolean, nullable=False, default=False),
    sa.Column("sentence", sa.Text),
    sa.Column("span_start", sa.Integer),
    sa.Column("span_end", sa.Integer),
    sa.Column("confidence", sa.Float),
    sa.Index("ix_figures_event_measure", "event_id", "measure"),
)

attack_places = sa.Table(
    "attack_places", metadata,
    sa.Column("attack_id", ID, sa.ForeignKey("attacks.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("name", sa.String(255), primary_key=True),
    sa.Column("article_id", ID, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("event_id", ID, sa.ForeignKey("events.id", ondelete="SET NULL"), index=True),
    sa.Column("entity_id", sa.String(255), index=True),
    sa.Column("country", sa.String(255)),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
)

diplomacy = sa.Table(
    "diplomacy", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("article_id", ID, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("event_id", ID, sa.ForeignKey("events.id", ondelete="SET NULL"), index=True),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("participants", JSON),
    sa.Column("participant_ids", JSON),
    sa.Column("participant_key", sa.String(500), nullable=False),
    sa.Column("status", sa.String(16)),
    sa.Column("sentence", sa.Text),
    sa.Column("span_start", sa.Integer),
    sa.Column("span_end", sa.Integer),
)

quotes = sa.Table(
    "quotes", metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("article_id", ID, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("speaker", sa.String(255)),
    sa.Column("speaker_entity_id", sa.String(255), index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("optional", sa.Boolean, nullable=False, default=False),
    sa.Column("span_start", sa.Integer),
    sa.Column("span_end", sa.Integer),
)

entities = sa.Table(
    "entities", metadata,
    sa.Column("id", sa.String(255), primary_key=True),
    sa.Column("name", sa.String(255), nullable=False, index=True),
    sa.Column("type", sa.String(8), nullable=False),
    sa.Column("aliases", JSON),
    sa.Column("in_knowledge_base", sa.Boolean, nullable=False, default=True),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
)

mentions = sa.Table(
    "mentions", metadata,
    sa.Column("article_id", ID, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("entity_id", sa.String(255), sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True, index=True),
    sa.Column("surface", JSON),
    sa.Column("spans", JSON),
    sa.Column("role", sa.String(32)),
    sa.Column("optional", sa.Boolean, nullable=False, default=False),
)

reference_records = sa.Table(
    "reference_records", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("row_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("dataset", sa.String(255), nullable=False),
    sa.Column("time_start", sa.DateTime),
    sa.Column("time_end", sa.DateTime),
    sa.Column("night", sa.Date, index=True),  # the local date the reporting window ends on
    sa.Column("model", sa.String(255), nullable=False),
    sa.Column("weapon", sa.String(32)),
    sa.Column("scope", sa.String(16), nullable=False),  # national | regional
    sa.Column("target", sa.String(500)),
    sa.Column("launched", sa.Integer),
    sa.Column("destroyed", sa.Integer),
    sa.Column("not_reach_goal", sa.Integer),
    sa.Column("still_attacking", sa.Integer),
    sa.Column("post", sa.String(500)),
)

problems = sa.Table(
    "ingest_problems", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("origin", sa.String(2000), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
