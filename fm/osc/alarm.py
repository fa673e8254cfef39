"""``openstack fault alarm list|show|delete|summary``."""

import logging

from osc_lib.command import command
from osc_lib import exceptions
from osc_lib import utils

from fm.client import rest
from fm.osc import common
from fm import constants

LOG = logging.getLogger(__name__)

_COLUMNS = (('uuid', 'UUID'), ('alarm_id', 'Alarm ID'),
            ('reason_text', 'Reason Text'),
            ('entity_instance_id', 'Entity ID'), ('severity', 'Severity'),
            ('timestamp', 'Time Stamp'))
_LONG_COLUMNS = (('entity_type_id', 'Entity Type ID'),
                 ('alarm_type', 'Alarm Type'),
                 ('probable_cause', 'Probable Cause'),
                 ('proposed_repair_action', 'Proposed Repair Action'),
                 ('service_affecting', 'Service Affecting'),
                 ('mgmt_affecting', 'Management Affecting'),
                 ('degrade_affecting', 'Degrade Affecting'))
_SORT_KEYS = ('timestamp', 'alarm_id', 'entity_instance_id', 'severity',
              'created_at')
_SUMMARY_FIELDS = ('critical', 'major', 'minor', 'warnings', 'status')


def _sort(value):
    key, _sep, direction = value.partition(':')
    if key not in _SORT_KEYS or direction not in ('', 'asc', 'desc'):
        raise exceptions.CommandError(
            '--sort must be <key>[:asc|desc] with <key> one of: %s'
            % ', '.join(_SORT_KEYS))
    return key, direction or None


class ListAlarm(command.Lister):
    """List active alarms."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--alarm-id', metavar='<alarm-id>',
            help='Only alarms with this alarm ID, e.g. 100.101')
        parser.add_argument(
            '--entity-instance-id', metavar='<entity-instance-id>',
            help='Only alarms raised against this entity instance, '
                 'e.g. host=controller-0')
        parser.add_argument(
            '--entity-type-id', metavar='<entity-type-id>',
            help='Only alarms raised against this type of entity, '
                 'e.g. host')
        parser.add_argument(
            '--severity', metavar='<severity>',
            choices=constants.SEVERITIES,
            help='Only alarms of this severity (%s)'
                 % ', '.join(constants.SEVERITIES))
        parser.add_argument(
            '--query', metavar='<field><op><value>', action='append',
            default=[],
            help='Filter on any field the API allows (alarm_id, '
                 'entity_type_id, entity_instance_id, severity, alarm_type, '
                 'uuid) with one of the operators = != < <= > >=, e.g. '
                 '"severity!=warning"; several filters may be separated '
                 'by ";" (repeat option to add more)')
        parser.add_argument(
            '--include-suppress', action='store_true',
            help='Also list alarms whose alarm ID is suppressed, and show '
                 'the suppression status')
        parser.add_argument(
            '--long', action='store_true',
            help='List the full alarm details (entity type, alarm type, '
                 'probable cause, repair action, affecting flags)')
        parser.add_argument(
            '--sort', metavar='<key>[:<direction>]',
            help='Sort on <key> (%s), in <direction> asc or desc '
                 '(default: timestamp:desc)' % ', '.join(_SORT_KEYS))
        parser.add_argument(
            '--limit', metavar='<limit>', type=int,
            help='Return at most <limit> alarms, from a single page '
                 '(default: all alarms)')
        parser.add_argument(
            '--marker', metavar='<uuid>',
            help='Start after the alarm with this UUID (the last one of '
                 'the previous page)')
        return parser

    def take_action(self, parsed_args):
        query = []
        for field in ('alarm_id', 'entity_instance_id', 'entity_type_id',
                      'severity'):
            value = getattr(parsed_args, field)
            if value:
                query.append((field, 'eq', value))
        try:
            for text in parsed_args.query:
                query.extend(rest.parse_query(text))
        except ValueError as exc:
            raise exceptions.CommandError(str(exc))
        sort_key = sort_dir = None
        if parsed_args.sort:
            sort_key, sort_dir = _sort(parsed_args.sort)
        if parsed_args.limit is not None and parsed_args.limit < 1:
            raise exceptions.CommandError('--limit must be at least 1')

        alarms = self.app.client_manager.fault.alarm_list(
            q=query, limit=parsed_args.limit, marker=parsed_args.marker,
            sort_key=sort_key, sort_dir=sort_dir,
            include_suppress=parsed_args.include_suppress,
            expand=parsed_args.long,
            all_pages=parsed_args.limit is None)

        return common.table(alarms, _COLUMNS, _LONG_COLUMNS, parsed_args)


class ShowAlarm(command.ShowOne):
    """Show the details of an active alarm."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'alarm', metavar='<uuid>',
            help='UUID of the alarm to show')
        return parser

    def take_action(self, parsed_args):
        return common.show(self.app.client_manager.fault.alarm_show(
            parsed_args.alarm))


class DeleteAlarm(command.Command):
    """Delete active alarm(s) without waiting for their clear."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'alarms', metavar='<uuid>', nargs='+',
            help='UUID of the alarm to delete (repeat to delete several)')
        return parser

    def take_action(self, parsed_args):
        fault = self.app.client_manager.fault
        failed = 0
        for uuid in parsed_args.alarms:
            try:
                fault.alarm_delete(uuid)
            except rest.HTTPError as exc:
                failed += 1
                LOG.error('Failed to delete alarm %s: %s', uuid, exc)
        if failed:
            raise exceptions.CommandError(
                '%d of %d alarms failed to delete'
                % (failed, len(parsed_args.alarms)))


class SummaryAlarm(command.ShowOne):
    """Count active alarms by severity, with the overall status."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--include-suppress', action='store_true',
            help='Also count alarms whose alarm ID is suppressed')
        return parser

    def take_action(self, parsed_args):
        summary = self.app.client_manager.fault.alarm_summary(
            include_suppress=parsed_args.include_suppress)
        return (_SUMMARY_FIELDS,
                utils.get_dict_properties(summary, _SUMMARY_FIELDS))
