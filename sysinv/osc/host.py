"""``openstack system host list|show|add|update|delete``."""

import logging

from osc_lib.command import command
from osc_lib import exceptions

from sysinv.client import rest
from sysinv import constants
from sysinv.osc import common

LOG = logging.getLogger(__name__)

# As StarlingX's ``system host-list``, with the UUID as the id.
_COLUMNS = (('uuid', 'ID'), ('hostname', 'Hostname'),
            ('personality', 'Personality'),
            ('administrative', 'Administrative'),
            ('operational', 'Operational'), ('availability', 'Availability'))
_LONG_COLUMNS = (('subfunctions', 'Subfunctions'),
                 ('mgmt_mac', 'Mgmt MAC'), ('mgmt_ip', 'Mgmt IP'),
                 ('bm_type', 'BM Type'), ('bm_ip', 'BM IP'),
                 ('task', 'Task'), ('invprovision', 'Inventory'))
_SORT_KEYS = ('hostname', 'personality', 'administrative', 'operational',
              'availability', 'mgmt_mac', 'created_at')

# Options of host add and host update: (field, option, metavar, help).
# Every one of them is also a field a PATCH may change.
_FIELD_OPTIONS = (
    ('hostname', '--hostname', '<hostname>',
     'Host name (RFC 1123, lower case)'),
    ('personality', '--personality', '<personality>',
     'Role of the host: %s' % ', '.join(constants.PERSONALITIES)),
    ('location', '--location', '<location>',
     'Physical location of the host, e.g. "Rack 4, slot 2"'),
    ('bm_type', '--bm-type', '<bm-type>',
     'Board management controller type: %s' % ', '.join(constants.BM_TYPES)),
    ('bm_ip', '--bm-ip', '<ip-address>',
     'IP address of the board management controller (required with a '
     '--bm-type other than none)'),
    ('bm_username', '--bm-username', '<username>',
     'User name on the board management controller'),
    ('bm_password', '--bm-password', '<password>',
     'Password on the board management controller: stored encrypted, '
     'never shown'),
    ('serialid', '--serialid', '<serial>',
     'Serial number of the host'),
    ('boot_device', '--boot-device', '<device>',
     'Device to install and boot from, e.g. sda'),
    ('rootfs_device', '--rootfs-device', '<device>',
     'Device of the root file system, e.g. sda'),
    ('install_output', '--install-output', '<output>',
     'Installer console output: %s' % ', '.join(constants.INSTALL_OUTPUTS)),
    ('console', '--console', '<console>',
     'Serial console of the installer, e.g. ttyS0,115200'),
)
_CHOICES = {'personality': constants.PERSONALITIES,
            'bm_type': constants.BM_TYPES,
            'install_output': constants.INSTALL_OUTPUTS}


def _add_field_options(parser, required=()):
    for field, option, metavar, help_text in _FIELD_OPTIONS:
        parser.add_argument(option, dest=field, metavar=metavar,
                            choices=_CHOICES.get(field),
                            required=field in required,
                            help=help_text + (' (required)'
                                              if field in required else ''))


def _fields(parsed_args, names):
    fields = {name: getattr(parsed_args, name) for name in names
              if getattr(parsed_args, name, None) is not None}
    if 'location' in fields:
        # StarlingX keeps the location as a dict; its CLI sets 'locn'.
        fields['location'] = {'locn': fields['location']}
    return fields


def _sort(value):
    key, _sep, direction = value.partition(':')
    if key not in _SORT_KEYS or direction not in ('', 'asc', 'desc'):
        raise exceptions.CommandError(
            '--sort must be <key>[:asc|desc] with <key> one of: %s'
            % ', '.join(_SORT_KEYS))
    return key, direction or None


class ListHost(command.Lister):
    """List hosts."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--personality', metavar='<personality>',
            choices=constants.PERSONALITIES,
            help='Only hosts of this personality (%s)'
                 % ', '.join(constants.PERSONALITIES))
        parser.add_argument(
            '--long', action='store_true',
            help='Also list subfunctions, management MAC and IP, board '
                 'management type and IP, task and inventory state')
        parser.add_argument(
            '--sort', metavar='<key>[:<direction>]',
            help='Sort on <key> (%s), in <direction> asc or desc '
                 '(default: the order hosts were added)'
                 % ', '.join(_SORT_KEYS))
        parser.add_argument(
            '--limit', metavar='<limit>', type=int,
            help='Return at most <limit> hosts, from a single page '
                 '(default: all hosts)')
        parser.add_argument(
            '--marker', metavar='<uuid>',
            help='Start after the host with this UUID (the last one of '
                 'the previous page)')
        return parser

    def take_action(self, parsed_args):
        sort_key = sort_dir = None
        if parsed_args.sort:
            sort_key, sort_dir = _sort(parsed_args.sort)
        if parsed_args.limit is not None and parsed_args.limit < 1:
            raise exceptions.CommandError('--limit must be at least 1')
        hosts = self.app.client_manager.system.host_list(
            limit=parsed_args.limit, marker=parsed_args.marker,
            sort_key=sort_key, sort_dir=sort_dir,
            personality=parsed_args.personality,
            all_pages=parsed_args.limit is None)
        columns = _COLUMNS + (_LONG_COLUMNS if parsed_args.long else ())
        return common.table(hosts, columns)


class ShowHost(command.ShowOne):
    """Show every field of a host."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'host', metavar='<host>',
            help='Hostname or UUID of the host to show')
        return parser

    def take_action(self, parsed_args):
        return common.show(self.app.client_manager.system.host_show(
            parsed_args.host))


class AddHost(command.ShowOne):
    """Add a host to the inventory; it starts locked, disabled, offline."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_field_options(parser, required=('hostname', 'personality'))
        parser.add_argument(
            '--mgmt-mac', dest='mgmt_mac', metavar='<mac-address>',
            required=True,
            help='MAC address of the host on the management network, by '
                 'which it is recognised when it boots (required)')
        parser.add_argument(
            '--mgmt-ip', dest='mgmt_ip', metavar='<ip-address>',
            help='Static IP address of the host on the management '
                 'network')
        parser.add_argument(
            '--subfunctions', metavar='<subfunctions>',
            help='Comma-separated functions the host runs (default: its '
                 'personality), e.g. controller,worker')
        return parser

    def take_action(self, parsed_args):
        names = [field for field, *_rest in _FIELD_OPTIONS]
        names += ['mgmt_mac', 'mgmt_ip', 'subfunctions']
        return common.show(self.app.client_manager.system.host_add(
            **_fields(parsed_args, names)))


class UpdateHost(command.ShowOne):
    """Change fields of a host (hostname and personality only while it is
    locked)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'host', metavar='<host>',
            help='Hostname or UUID of the host to change')
        _add_field_options(parser)
        return parser

    def take_action(self, parsed_args):
        fields = _fields(parsed_args,
                         [field for field, *_rest in _FIELD_OPTIONS])
        if not fields:
            raise exceptions.CommandError(
                'nothing to change: give at least one of %s'
                % ', '.join(option for _f, option, *_r in _FIELD_OPTIONS))
        return common.show(self.app.client_manager.system.host_update(
            parsed_args.host, **fields))


class DeleteHost(command.Command):
    """Delete locked host(s) and their inventory."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'hosts', metavar='<host>', nargs='+',
            help='Hostname or UUID of the host to delete (repeat to delete '
                 'several)')
        return parser

    def take_action(self, parsed_args):
        system = self.app.client_manager.system
        failed = 0
        for host in parsed_args.hosts:
            try:
                system.host_delete(host)
            except rest.HTTPError as exc:
                failed += 1
                LOG.error('Failed to delete host %s: %s', host, exc)
        if failed:
            raise exceptions.CommandError(
                '%d of %d hosts failed to delete'
                % (failed, len(parsed_args.hosts)))
