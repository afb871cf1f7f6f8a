"""source health: last error time, parse warnings, failing streak, posting rate, quiet notice

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_error_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_warning', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('failing_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('post_gap_seconds', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('quiet_notified', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_column('quiet_notified')
        batch_op.drop_column('post_gap_seconds')
        batch_op.drop_column('failing_since')
        batch_op.drop_column('last_warning')
        batch_op.drop_column('last_error_at')
