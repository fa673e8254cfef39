"""``openstack system show|update``: the one system of this cloud."""

from osc_lib.command import command
from osc_lib import exceptions

from sysinv.osc import common


class ShowSystem(command.ShowOne):
    """Show the system: its name, type, mode and software version."""

    def take_action(self, parsed_args):
        return common.show(self.app.client_manager.system.system_show())


class UpdateSystem(command.ShowOne):
    """Change the system's descriptive fields."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--name', metavar='<name>',
            help='New name of the system')
        parser.add_argument(
            '--description', metavar='<description>',
            help='New free-text description of the system')
        parser.add_argument(
            '--location', metavar='<location>',
            help='New physical location of the system')
        parser.add_argument(
            '--contact', metavar='<contact>',
            help='New contact of the system (person or team)')
        return parser

    def take_action(self, parsed_args):
        fields = {name: getattr(parsed_args, name)
                  for name in ('name', 'description', 'location', 'contact')
                  if getattr(parsed_args, name) is not None}
        if not fields:
            raise exceptions.CommandError(
                'nothing to change: give at least one of --name, '
                '--description, --location, --contact')
        return common.show(
            self.app.client_manager.system.system_update(**fields))
