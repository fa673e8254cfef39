"""Indexes for ingest speed and keyset paging.

Drop the event_log indexes on severity and state: both columns take a
handful of values, so a newest-first scan of the timestamp index with a
filter finds a page as fast, while every index costs each of the
thousands of inserts a second fm-manager makes. Index alarms on
(timestamp, id), the key the alarm list pages by.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_event_log_severity_ts', table_name='event_log')
    op.drop_index('ix_event_log_state_ts', table_name='event_log')
    op.drop_index('ix_alarm_timestamp', table_name='alarm')
    op.create_index('ix_alarm_timestamp_id', 'alarm', ['timestamp', 'id'])


def downgrade():
    op.drop_index('ix_alarm_timestamp_id', table_name='alarm')
    op.create_index('ix_alarm_timestamp', 'alarm', ['timestamp'])
    op.create_index('ix_event_log_state_ts', 'event_log',
                    ['state', 'timestamp'])
    op.create_index('ix_event_log_severity_ts', 'event_log',
                    ['severity', 'timestamp'])
