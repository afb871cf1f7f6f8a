"""drop ix_lsh_band_lookup: the primary key (band, hash, article_id) already serves band lookups

The index on (band, hash) is a prefix of the primary key. SQLite never used it (the
primary key's index covers the lookup); PostgreSQL chose it over the primary key and
then had to read the table for article_id, where the primary key gives an index-only
scan. It only cost disk (about 40 bytes per band row, 20 rows per article) and a
second index update for every stored band.

Revision ID: 0005
Revises: 0004
"""
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_lsh_band_lookup', table_name='lsh_band')


def downgrade() -> None:
    op.create_index('ix_lsh_band_lookup', 'lsh_band', ['band', 'hash'])
