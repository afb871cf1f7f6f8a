"""outbox: claims (lease), per-target progress, chat/markdown/html renderings

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chat', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('markdown', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('html', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('claimed_by', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('done_targets', sa.Text(), nullable=True))
        batch_op.create_index('ix_alert_channel_state', ['channel', 'state'], unique=False)


def downgrade() -> None:
    # Rows a sender had claimed go back to pending: the old code knows no 'sending'.
    op.execute("UPDATE alert SET state = 'pending' WHERE state = 'sending'")
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_channel_state')
        batch_op.drop_column('done_targets')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('claimed_by')
        batch_op.drop_column('html')
        batch_op.drop_column('markdown')
        batch_op.drop_column('chat')
