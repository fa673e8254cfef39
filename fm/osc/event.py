"""``openstack fault event list|show``: the event log."""

import argparse
import datetime

from osc_lib.command import command
from osc_lib import exceptions

from fm.client import rest
from fm.osc import common
from fm import constants

_COLUMNS = (('uuid', 'UUID'), ('timestamp', 'Time Stamp'),
            ('state', 'State'), ('event_log_id', 'Event Log ID'),
            ('reason_text', 'Reason Text'),
            ('entity_instance_id', 'Entity Instance ID'),
            ('severity', 'Severity'))
_LONG_COLUMNS = (('entity_type_id', 'Entity Type ID'),
                 ('event_log_type', 'Event Log Type'),
                 ('probable_cause', 'Probable Cause'),
                 ('proposed_repair_action', 'Proposed Repair Action'),
                 ('service_affecting', 'Service Affecting'))
_SEVERITIES = constants.SEVERITIES + (constants.SEVERITY_CLEAR,)


def _iso_time(text):
    """Check an ISO 8601 time here, before a round trip to the API."""
    try:
        datetime.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            '%r is not an ISO 8601 time such as 2024-05-01T12:00:00Z' % text)
    return text


class ListEvent(command.Lister):
    """List event-log entries (alarm sets and clears, logs), newest first."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        kind = parser.add_mutually_exclusive_group()
        kind.add_argument(
            '--alarms', action='store_true',
            help='Only alarm events (sets and clears)')
        kind.add_argument(
            '--logs', action='store_true',
            help='Only customer logs')
        parser.add_argument(
            '--start', metavar='<time>', type=_iso_time,
            help='Only events at or after this ISO 8601 time, e.g. '
                 '2024-05-01T12:00:00Z')
        parser.add_argument(
            '--end', metavar='<time>', type=_iso_time,
            help='Only events at or before this ISO 8601 time')
        parser.add_argument(
            '--event-log-id', metavar='<event-log-id>',
            help='Only events with this ID (an alarm ID or log ID), '
                 'e.g. 200.001')
        parser.add_argument(
            '--entity-instance-id', metavar='<entity-instance-id>',
            help='Only events about this entity instance, e.g. '
                 'host=controller-0')
        parser.add_argument(
            '--entity-type-id', metavar='<entity-type-id>',
            help='Only events about this type of entity, e.g. host')
        parser.add_argument(
            '--severity', metavar='<severity>', choices=_SEVERITIES,
            help='Only events of this severity (%s)' % ', '.join(_SEVERITIES))
        parser.add_argument(
            '--state', metavar='<state>', choices=constants.EVENT_STATES,
            help='Only events in this state (%s)'
                 % ', '.join(constants.EVENT_STATES))
        parser.add_argument(
            '--query', metavar='<field><op><value>', action='append',
            default=[],
            help='Filter on any field the API allows (event_log_id, '
                 'entity_type_id, entity_instance_id, severity, '
                 'event_log_type, state, uuid) with one of the operators '
                 '= != < <= > >=, e.g. "severity!=clear"; several filters '
                 'may be separated by ";" (repeat option to add more)')
        parser.add_argument(
            '--include-suppress', action='store_true',
            help='Also list events whose ID is suppressed, and show the '
                 'suppression status')
        parser.add_argument(
            '--long', action='store_true',
            help='List the full event details (entity type, event type, '
                 'probable cause, repair action, service affecting)')
        parser.add_argument(
            '--limit', metavar='<limit>', type=int,
            help='Return at most <limit> events, from a single page '
                 '(default: every event)')
        parser.add_argument(
            '--marker', metavar='<uuid>',
            help='Start after the event with this UUID (the last one of '
                 'the previous page)')
        return parser

    def take_action(self, parsed_args):
        query = []
        for field in ('event_log_id', 'entity_instance_id', 'entity_type_id',
                      'severity', 'state'):
            value = getattr(parsed_args, field)
            if value:
                query.append((field, 'eq', value))
        if parsed_args.start:
            query.append(('start', 'ge', parsed_args.start))
        if parsed_args.end:
            query.append(('end', 'le', parsed_args.end))
        try:
            for text in parsed_args.query:
                query.extend(rest.parse_query(text))
        except ValueError as exc:
            raise exceptions.CommandError(str(exc))
        if parsed_args.limit is not None and parsed_args.limit < 1:
            raise exceptions.CommandError('--limit must be at least 1')

        events = self.app.client_manager.fault.event_list(
            q=query, limit=parsed_args.limit, marker=parsed_args.marker,
            alarms=parsed_args.alarms, logs=parsed_args.logs,
            include_suppress=parsed_args.include_suppress,
            expand=parsed_args.long,
            all_pages=parsed_args.limit is None)

        return common.table(events, _COLUMNS, _LONG_COLUMNS, parsed_args)


class ShowEvent(command.ShowOne):
    """Show the details of an event-log entry."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'event', metavar='<uuid>',
            help='UUID of the event-log entry to show')
        return parser

    def take_action(self, parsed_args):
        return common.show(self.app.client_manager.fault.event_show(
            parsed_args.event))
