"""Initial schema: articles, reports' items, events, reference records, and Arabic full-text search.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 07:58:16.314516
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('articles',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('outlet', sa.String(length=255), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('minhash', sa.LargeBinary(), nullable=True),
    sa.Column('report', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('origin', sa.String(length=2000), nullable=True),
    sa.Column('warnings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('ingested_at', sa.DateTime(), nullable=False),
    sa.Column('duplicate_of', sa.String(length=255), nullable=True),
    sa.Column('similarity', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['duplicate_of'], ['articles.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('content_hash'),
    sa.UniqueConstraint('url')
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_articles_duplicate_of'), ['duplicate_of'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_published'), ['published'], unique=False)

    op.create_table('entities',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('type', sa.String(length=8), nullable=False),
    sa.Column('aliases', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('in_knowledge_base', sa.Boolean(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entities_name'), ['name'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('attacker', sa.String(length=255), nullable=True),
    sa.Column('target', sa.String(length=255), nullable=True),
    sa.Column('locations', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('weapons', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('type', sa.String(length=32), nullable=True),
    sa.Column('participants', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('participant_key', sa.String(length=500), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('largest', sa.Boolean(), nullable=False),
    sa.Column('n_articles', sa.Integer(), nullable=False),
    sa.Column('launched', sa.Integer(), nullable=True),
    sa.Column('intercepted', sa.Integer(), nullable=True),
    sa.Column('killed', sa.Integer(), nullable=True),
    sa.Column('injured', sa.Integer(), nullable=True),
    sa.Column('sig', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('summary', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_kind_date', ['kind', 'date'], unique=False)
        batch_op.create_index('ix_events_kind_key', ['kind', 'participant_key'], unique=False)

    op.create_table('ingest_problems',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('origin', sa.String(length=2000), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('reference_records',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('row_hash', sa.String(length=64), nullable=False),
    sa.Column('dataset', sa.String(length=255), nullable=False),
    sa.Column('time_start', sa.DateTime(), nullable=True),
    sa.Column('time_end', sa.DateTime(), nullable=True),
    sa.Column('night', sa.Date(), nullable=True),
    sa.Column('model', sa.String(length=255), nullable=False),
    sa.Column('weapon', sa.String(length=32), nullable=True),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('target', sa.String(length=500), nullable=True),
    sa.Column('launched', sa.Integer(), nullable=True),
    sa.Column('destroyed', sa.Integer(), nullable=True),
    sa.Column('not_reach_goal', sa.Integer(), nullable=True),
    sa.Column('still_attacking', sa.Integer(), nullable=True),
    sa.Column('post', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('row_hash')
    )
    with op.batch_alter_table('reference_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reference_records_night'), ['night'], unique=False)

    op.create_table('article_bands',
    sa.Column('band', sa.String(length=40), nullable=False),
    sa.Column('article_id', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('band', 'article_id')
    )
    with op.batch_alter_table('article_bands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_bands_article_id'), ['article_id'], unique=False)

    op.create_table('attacks',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('article_id', sa.String(length=255), nullable=False),
    sa.Column('event_id', sa.String(length=255), nullable=True),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('date_from', sa.String(length=16), nullable=True),
    sa.Column('attacker', sa.String(length=255), nullable=True),
    sa.Column('target', sa.String(length=255), nullable=True),
    sa.Column('locations', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('weapons', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('claims', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('context', sa.Text(), nullable=True),
    sa.Column('embedding', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('attacks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attacks_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attacks_event_id'), ['event_id'], unique=False)

    op.create_table('diplomacy',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('article_id', sa.String(length=255), nullable=False),
    sa.Column('event_id', sa.String(length=255), nullable=True),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('participants', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('participant_ids', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('participant_key', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('sentence', sa.Text(), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=True),
    sa.Column('span_end', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('diplomacy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_diplomacy_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_diplomacy_event_id'), ['event_id'], unique=False)

    op.create_table('event_keys',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('event_id', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', 'event_id')
    )
    with op.batch_alter_table('event_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_keys_event_id'), ['event_id'], unique=False)

    op.create_table('mentions',
    sa.Column('article_id', sa.String(length=255), nullable=False),
    sa.Column('entity_id', sa.String(length=255), nullable=False),
    sa.Column('surface', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('spans', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('role', sa.String(length=32), nullable=True),
    sa.Column('optional', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'entity_id')
    )
    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentions_entity_id'), ['entity_id'], unique=False)

    op.create_table('quotes',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('article_id', sa.String(length=255), nullable=False),
    sa.Column('speaker', sa.String(length=255), nullable=True),
    sa.Column('speaker_entity_id', sa.String(length=255), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('optional', sa.Boolean(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=True),
    sa.Column('span_end', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quotes_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_speaker_entity_id'), ['speaker_entity_id'], unique=False)

    op.create_table('attack_places',
    sa.Column('attack_id', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('article_id', sa.String(length=255), nullable=False),
    sa.Column('event_id', sa.String(length=255), nullable=True),
    sa.Column('entity_id', sa.String(length=255), nullable=True),
    sa.Column('country', sa.String(length=255), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['attack_id'], ['attacks.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('attack_id', 'name')
    )
    with op.batch_alter_table('attack_places', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attack_places_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attack_places_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attack_places_event_id'), ['event_id'], unique=False)

    op.create_table('figures',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('attack_id', sa.String(length=255), nullable=False),
    sa.Column('article_id', sa.String(length=255), nullable=False),
    sa.Column('event_id', sa.String(length=255), nullable=True),
    sa.Column('measure', sa.String(length=16), nullable=False),
    sa.Column('weapon', sa.String(length=32), nullable=True),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('qualifier', sa.String(length=16), nullable=False),
    sa.Column('source', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('source_entity_id', sa.String(length=255), nullable=True),
    sa.Column('source_kind', sa.String(length=16), nullable=False),
    sa.Column('in_quote', sa.Boolean(), nullable=False),
    sa.Column('sentence', sa.Text(), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=True),
    sa.Column('span_end', sa.Integer(), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['attack_id'], ['attacks.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_figures_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_figures_attack_id'), ['attack_id'], unique=False)
        batch_op.create_index('ix_figures_event_measure', ['event_id', 'measure'], unique=False)


    _create_search()


def _create_search() -> None:
    """Full-text index over normalised article text: FTS5 on SQLite, a GIN tsvector index on PostgreSQL."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE article_search USING fts5(article_id UNINDEXED, body, tokenize='unicode61')")
    else:
        op.execute(
            "CREATE TABLE article_search (article_id VARCHAR(255) PRIMARY KEY "
            "REFERENCES articles(id) ON DELETE CASCADE, body TEXT NOT NULL)"
        )
        op.execute("CREATE INDEX ix_article_search_body ON article_search USING GIN (to_tsvector('simple', body))")

def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS article_search")
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.drop_index('ix_figures_event_measure')
        batch_op.drop_index(batch_op.f('ix_figures_attack_id'))
        batch_op.drop_index(batch_op.f('ix_figures_article_id'))

    op.drop_table('figures')
    with op.batch_alter_table('attack_places', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attack_places_event_id'))
        batch_op.drop_index(batch_op.f('ix_attack_places_entity_id'))
        batch_op.drop_index(batch_op.f('ix_attack_places_article_id'))

    op.drop_table('attack_places')
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quotes_speaker_entity_id'))
        batch_op.drop_index(batch_op.f('ix_quotes_article_id'))

    op.drop_table('quotes')
    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentions_entity_id'))

    op.drop_table('mentions')
    with op.batch_alter_table('event_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_keys_event_id'))

    op.drop_table('event_keys')
    with op.batch_alter_table('diplomacy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_diplomacy_event_id'))
        batch_op.drop_index(batch_op.f('ix_diplomacy_article_id'))

    op.drop_table('diplomacy')
    with op.batch_alter_table('attacks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attacks_event_id'))
        batch_op.drop_index(batch_op.f('ix_attacks_article_id'))

    op.drop_table('attacks')
    with op.batch_alter_table('article_bands', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_bands_article_id'))

    op.drop_table('article_bands')
    with op.batch_alter_table('reference_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reference_records_night'))

    op.drop_table('reference_records')
    op.drop_table('ingest_problems')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_kind_key')
        batch_op.drop_index('ix_events_kind_date')

    op.drop_table('events')
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entities_name'))

    op.drop_table('entities')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_published'))
        batch_op.drop_index(batch_op.f('ix_articles_duplicate_of'))

    op.drop_table('articles')
