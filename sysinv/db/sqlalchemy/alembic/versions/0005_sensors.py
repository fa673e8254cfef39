"""A host's BMC sensors (StarlingX's isensors), as maintenance reads them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from alembic import op
import sqlalchemy as sa

from stxcommon.db.models import PreciseDateTime

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

THRESHOLDS = ('t_minor_lower', 't_minor_upper', 't_major_lower',
              't_major_upper', 't_critical_lower', 't_critical_upper')


def upgrade():
    op.create_table(
        'i_sensor',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('host_id', sa.Integer,
                  sa.ForeignKey('i_host.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('sensorname', sa.String(255), nullable=False),
        sa.Column('sensortype', sa.String(255), nullable=True),
        sa.Column('datatype', sa.String(255), nullable=True),
        sa.Column('status', sa.String(255), nullable=True),
        sa.Column('state', sa.String(255), nullable=True),
        sa.Column('sensor_value', sa.Float, nullable=True),
        sa.Column('unit_base', sa.String(255), nullable=True),
        sa.Column('audit_interval', sa.Integer, nullable=True),
        sa.Column('suppress', sa.String(255), nullable=True),
        *[sa.Column(name, sa.String(255), nullable=True)
          for name in THRESHOLDS],
        sa.Column('created_at', PreciseDateTime),
        sa.Column('updated_at', PreciseDateTime),
        sa.UniqueConstraint('uuid', name='uq_i_sensor_uuid'),
        sa.UniqueConstraint('host_id', 'sensorname',
                            name='uq_i_sensor_host_sensorname'),
    )


def downgrade():
    op.drop_table('i_sensor')
