"""Initial fault tables: alarm, event_log, event_suppression.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from alembic import op
import sqlalchemy as sa

from stxcommon.db.models import PreciseDateTime

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def _timestamps():
    return [sa.Column('created_at', PreciseDateTime),
            sa.Column('updated_at', PreciseDateTime)]


def _text(name, length=255, nullable=False):
    return sa.Column(name, sa.String(length), nullable=nullable)


def upgrade():
    op.create_table(
        'alarm',
        sa.Column('id', sa.Integer, primary_key=True),
        _text('uuid', 36),
        _text('alarm_id'),
        _text('alarm_state'),
        _text('entity_type_id'),
        _text('entity_instance_id'),
        sa.Column('timestamp', PreciseDateTime, nullable=False),
        _text('severity'),
        _text('reason_text', 1024),
        _text('alarm_type'),
        _text('probable_cause'),
        _text('proposed_repair_action', 1024),
        sa.Column('service_affecting', sa.Boolean, nullable=False),
        sa.Column('suppression', sa.Boolean, nullable=False),
        sa.Column('inhibit_alarms', sa.Boolean, nullable=False),
        sa.Column('masked', sa.Boolean, nullable=False),
        _text('mgmt_affecting'),
        _text('degrade_affecting'),
        *_timestamps(),
        sa.UniqueConstraint('uuid', name='uq_alarm_uuid'),
        sa.UniqueConstraint('alarm_id', 'entity_instance_id',
                            name='uq_alarm_alarm_id_entity'),
    )
    op.create_index('ix_alarm_timestamp', 'alarm', ['timestamp'])
    op.create_index('ix_alarm_entity_instance_id', 'alarm',
                    ['entity_instance_id'])

    op.create_table(
        'event_log',
        sa.Column('id', sa.Integer, primary_key=True),
        _text('uuid', 36),
        _text('event_log_id'),
        _text('state'),
        _text('entity_type_id'),
        _text('entity_instance_id'),
        sa.Column('timestamp', PreciseDateTime, nullable=False),
        _text('severity'),
        _text('reason_text', 1024),
        _text('event_log_type'),
        _text('probable_cause'),
        _text('proposed_repair_action', 1024),
        sa.Column('service_affecting', sa.Boolean, nullable=False),
        sa.Column('suppression', sa.Boolean, nullable=False),
        *_timestamps(),
        sa.UniqueConstraint('uuid', name='uq_event_log_uuid'),
    )
    op.create_index('ix_event_log_timestamp', 'event_log', ['timestamp', 'id'])
    op.create_index('ix_event_log_event_log_id_ts', 'event_log',
                    ['event_log_id', 'timestamp'])
    op.create_index('ix_event_log_entity_ts', 'event_log',
                    ['entity_instance_id', 'timestamp'])
    op.create_index('ix_event_log_severity_ts', 'event_log',
                    ['severity', 'timestamp'])
    op.create_index('ix_event_log_state_ts', 'event_log',
                    ['state', 'timestamp'])

    op.create_table(
        'event_suppression',
        sa.Column('id', sa.Integer, primary_key=True),
        _text('uuid', 36),
        _text('alarm_id'),
        _text('description', 1024),
        _text('suppression_status'),
        sa.Column('set_for_deletion', sa.Boolean, nullable=False),
        *_timestamps(),
        sa.UniqueConstraint('uuid', name='uq_event_suppression_uuid'),
        sa.UniqueConstraint('alarm_id', name='uq_event_suppression_alarm_id'),
    )


def downgrade():
    op.drop_table('event_suppression')
    op.drop_table('event_log')
    op.drop_table('alarm')
