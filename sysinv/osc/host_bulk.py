"""``openstack system host bulk-add|bulk-export``: hosts by the XML file.

The file is StarlingX's hosts XML file, so files written for (or by)
StarlingX's ``system host-bulk-add`` and ``host-bulk-export`` work here.
"""

import os

from osc_lib.command import command
from osc_lib import exceptions

_COLUMNS = ('Hostname', 'Outcome', 'Reason')


def _outcomes(answer):
    """Rows of (hostname, outcome, reason) from a bulk add answer.

    StarlingX's API gives only the ``success`` and ``error`` text.
    """
    if answer.get('hosts') is not None:
        return [(row.get('hostname'), row.get('outcome'),
                 row.get('reason') or '') for row in answer['hosts']]
    rows = [(name.strip(), 'added', '')
            for name in (answer.get('success') or '').split(',')
            if name.strip()]
    for line in (answer.get('error') or '').splitlines():
        name, _sep, reason = line.partition(':')
        if line.strip():
            rows.append((name.strip(), 'error', reason.strip()))
    return rows


class BulkAddHost(command.Lister):
    """Add the hosts of a hosts XML file; hosts already there as the file
    describes them are left unchanged."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'hostsfile', metavar='<file>',
            help='Hosts XML file: <hosts> with a <host> per host')
        return parser

    def take_action(self, parsed_args):
        try:
            with open(parsed_args.hostsfile, 'rb') as hostsfile:
                document = hostsfile.read()
        except OSError as error:
            raise exceptions.CommandError('Cannot read %s: %s' % (
                parsed_args.hostsfile, error.strerror or error))
        answer = self.app.client_manager.system.host_bulk_add(document)
        rows = _outcomes(answer or {})
        self.refused = sum(row[1] == 'error' for row in rows)
        return _COLUMNS, rows

    def run(self, parsed_args):
        # The table first, then a failing exit status if any host was
        # refused, so that scripts notice.
        self.refused = 0
        status = super().run(parsed_args)
        if status == 0 and self.refused:
            self.app.stderr.write('%d host(s) refused\n' % self.refused)
            return 1
        return status


class BulkExportHost(command.Command):
    """Write every provisioned host to a hosts XML file (no BMC
    passwords)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--filename', metavar='<file>', default='hosts.xml',
            help='File to write (default: hosts.xml)')
        parser.add_argument(
            '--force', action='store_true',
            help='Overwrite the file if it exists')
        return parser

    def take_action(self, parsed_args):
        content = self.app.client_manager.system.host_bulk_export()
        mode = 'w' if parsed_args.force else 'x'
        try:
            with open(parsed_args.filename, mode,
                      encoding='utf-8') as hostsfile:
                hostsfile.write(content)
        except FileExistsError:
            raise exceptions.CommandError(
                '%s exists; give --force to overwrite it'
                % parsed_args.filename)
        except OSError as error:
            raise exceptions.CommandError('Cannot write %s: %s' % (
                parsed_args.filename, error.strerror or error))
        self.app.stdout.write('Hosts exported to %s\n'
                              % os.path.abspath(parsed_args.filename))
