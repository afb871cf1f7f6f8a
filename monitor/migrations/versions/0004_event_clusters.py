"""event clusters, near-duplicate LSH bands, per-rule alerted figures

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'event_cluster',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(), nullable=False),
        sa.Column('key', sa.String(), nullable=False),
        sa.Column('data', sa.Text(), nullable=False),
        sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reports', sa.Integer(), nullable=False),
        sa.Column('sources', sa.Text(), nullable=False),
        sa.Column('languages', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_cluster_key_seen', 'event_cluster', ['key', 'last_seen'])
    op.create_index('ix_event_cluster_created_at', 'event_cluster', ['created_at'])
    op.create_table(
        'cluster_alert',
        sa.Column('rule', sa.String(), nullable=False),
        sa.Column('cluster_id', sa.Integer(), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('data', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['cluster_id'], ['event_cluster.id']),
        sa.PrimaryKeyConstraint('rule', 'cluster_id'),
    )
    op.create_table(
        'lsh_band',
        sa.Column('band', sa.Integer(), nullable=False),
        sa.Column('hash', sa.BigInteger(), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['article_id'], ['article.id']),
        sa.PrimaryKeyConstraint('band', 'hash', 'article_id'),
    )
    op.create_index('ix_lsh_band_lookup', 'lsh_band', ['band', 'hash'])
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('near_duplicate_of', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('minhash', sa.LargeBinary(), nullable=True))
        batch_op.create_foreign_key('fk_article_near_duplicate_of', 'article', ['near_duplicate_of'], ['id'])
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cluster_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_event_cluster_id', ['cluster_id'])
        batch_op.create_foreign_key('fk_event_cluster_id', 'event_cluster', ['cluster_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint('fk_event_cluster_id', type_='foreignkey')
        batch_op.drop_index('ix_event_cluster_id')
        batch_op.drop_column('reported_at')
        batch_op.drop_column('cluster_id')
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_constraint('fk_article_near_duplicate_of', type_='foreignkey')
        batch_op.drop_column('minhash')
        batch_op.drop_column('near_duplicate_of')
    op.drop_index('ix_lsh_band_lookup', table_name='lsh_band')
    op.drop_table('lsh_band')
    op.drop_table('cluster_alert')
    op.drop_index('ix_event_cluster_created_at', table_name='event_cluster')
    op.drop_index('ix_cluster_key_seen', table_name='event_cluster')
    op.drop_table('event_cluster')
