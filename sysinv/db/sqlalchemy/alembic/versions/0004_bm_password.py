"""Keep each host's BMC password, encrypted.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('i_host') as batch:
        batch.add_column(sa.Column('bm_password_enc', sa.Text,
                                   nullable=True))


def downgrade():
    with op.batch_alter_table('i_host') as batch:
        batch.drop_column('bm_password_enc')
