"""Track the configuration a host's agent is to apply and has applied.

StarlingX's ihost fields config_target and config_applied: the conductor
sets a new target when an unlock applies a plan; the agent reports it
back once its host runs that plan.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('i_host') as batch:
        batch.add_column(sa.Column('config_target', sa.String(36),
                                   nullable=True))
        batch.add_column(sa.Column('config_applied', sa.String(36),
                                   nullable=True))


def downgrade():
    with op.batch_alter_table('i_host') as batch:
        batch.drop_column('config_applied')
        batch.drop_column('config_target')
