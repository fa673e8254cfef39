"""``openstack fault suppression list|set``: hide alarm IDs from lists."""

import logging

from osc_lib.command import command
from osc_lib import exceptions
from osc_lib import utils

from fm.client import rest

LOG = logging.getLogger(__name__)

_COLUMNS = (('uuid', 'UUID'), ('alarm_id', 'Alarm ID'),
            ('description', 'Description'),
            ('suppression_status', 'Suppression Status'))


class ListSuppression(command.Lister):
    """List the alarm IDs that can be suppressed, with their status."""

    def take_action(self, parsed_args):
        rows = self.app.client_manager.fault.suppression_list()
        fields = [field for field, _header in _COLUMNS]
        return ([header for _field, header in _COLUMNS],
                (utils.get_dict_properties(row, fields) for row in rows))


def _resolve(rows, names):
    """Suppression rows by alarm ID or uuid, in order, each once."""
    by_name = {}
    for row in rows:
        by_name[row['uuid']] = row
        by_name[row['alarm_id']] = row
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise exceptions.CommandError(
            'No suppression entry for: %s (see "openstack fault suppression '
            'list")' % ', '.join(unknown))
    resolved = {}
    for name in names:
        row = by_name[name]
        resolved.setdefault(row['uuid'], row)
    return list(resolved.values())


class SetSuppression(command.Command):
    """Suppress or unsuppress alarm IDs.

    Alarms and events of a suppressed alarm ID are left out of lists and
    summaries unless --include-suppress is given; they are still recorded.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        status = parser.add_mutually_exclusive_group(required=True)
        status.add_argument(
            '--suppressed', dest='status', action='store_const',
            const='suppressed',
            help='Suppress the alarm IDs: hide their alarms and events')
        status.add_argument(
            '--unsuppressed', dest='status', action='store_const',
            const='unsuppressed',
            help='Unsuppress the alarm IDs: show their alarms and events '
                 'again')
        parser.add_argument(
            'alarms', metavar='<alarm-id-or-uuid>', nargs='+',
            help='Alarm ID (e.g. 100.101) or suppression entry UUID '
                 '(repeat to set several)')
        return parser

    def take_action(self, parsed_args):
        fault = self.app.client_manager.fault
        # Resolve every name first, so a typo changes nothing.
        rows = _resolve(fault.suppression_list(), parsed_args.alarms)
        failed = 0
        for row in rows:
            try:
                fault.suppression_update(row['uuid'], parsed_args.status)
            except rest.HTTPError as exc:
                failed += 1
                LOG.error('Failed to set alarm ID %s %s: %s',
                          row['alarm_id'], parsed_args.status, exc)
        if failed:
            raise exceptions.CommandError(
                '%d of %d alarm IDs failed to be set %s'
                % (failed, len(rows), parsed_args.status))
