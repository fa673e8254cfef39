"""``openstack system host lock|unlock|reboot|reset|power-on|power-off|swact``.

Each starts the action and prints the host with its task; the action
finishes in the background (watch ``openstack system host show``).
"""

from osc_lib.command import command

from sysinv.osc import common


class _HostAction(command.ShowOne):
    action = None

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('host', metavar='<host>',
                            help='Hostname or UUID of the host')
        return parser

    def take_action(self, parsed_args):
        return common.show(self.app.client_manager.system.host_action(
            parsed_args.host, self._action(parsed_args)))

    def _action(self, parsed_args):
        return self.action


class LockHost(_HostAction):
    """Lock a host: take it out of service (raises alarm 200.001)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--force', action='store_true',
            help='Lock even the last enabled controller')
        return parser

    def _action(self, parsed_args):
        return 'force-lock' if parsed_args.force else 'lock'


class UnlockHost(_HostAction):
    """Unlock a host: apply its configuration and put it in service."""

    action = 'unlock'


class RebootHost(_HostAction):
    """Reboot a locked host."""

    action = 'reboot'


class ResetHost(_HostAction):
    """Reset a locked host through its board management controller."""

    action = 'reset'


class PowerOnHost(_HostAction):
    """Power on a locked host through its board management controller."""

    action = 'power-on'


class PowerOffHost(_HostAction):
    """Power off a locked host through its board management controller."""

    action = 'power-off'


class SwactHost(_HostAction):
    """Hand the active controller's services to the standby controller."""

    action = 'swact'
