"""Sensor groups (StarlingX's isensorgroups): a host's sensors by type,
with what a crossed threshold does.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from alembic import op
import sqlalchemy as sa

from stxcommon.db.models import PreciseDateTime

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'i_sensorgroup',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('host_id', sa.Integer,
                  sa.ForeignKey('i_host.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('sensorgroupname', sa.String(255), nullable=False),
        *[sa.Column(name, sa.String(255), nullable=True) for name in (
            'sensortype', 'datatype', 'state', 'algorithm',
            'actions_minor_group', 'actions_major_group',
            'actions_critical_group', 'actions_minor_choices',
            'actions_major_choices', 'actions_critical_choices',
            'suppress', 'unit_base_group')],
        sa.Column('audit_interval_group', sa.Integer, nullable=True),
        sa.Column('created_at', PreciseDateTime),
        sa.Column('updated_at', PreciseDateTime),
        sa.UniqueConstraint('uuid', name='uq_i_sensorgroup_uuid'),
        sa.UniqueConstraint('host_id', 'sensorgroupname',
                            name='uq_i_sensorgroup_host_name'),
    )
    with op.batch_alter_table('i_sensor') as batch:
        batch.add_column(sa.Column(
            'sensorgroup_id', sa.Integer,
            sa.ForeignKey('i_sensorgroup.id', ondelete='SET NULL',
                          name='fk_i_sensor_sensorgroup'),
            nullable=True))


def downgrade():
    with op.batch_alter_table('i_sensor') as batch:
        batch.drop_constraint('fk_i_sensor_sensorgroup', type_='foreignkey')
        batch.drop_column('sensorgroup_id')
    op.drop_table('i_sensorgroup')
