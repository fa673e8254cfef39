"""The ``openstack fault ...`` plugin of python-openstackclient.

OSC finds this module through the ``openstack.cli.extension`` entry point
``fault`` and its commands in the ``openstack.fault.v1`` group; it calls
:func:`make_client` the first time a command touches
``client_manager.fault``.
"""

from stxcommon import osc

API_NAME = 'fault'
API_VERSION_OPTION = 'os_fault_api_version'
DEFAULT_API_VERSION = '1'
API_VERSIONS = {'1': 'fm.client.rest.Client'}
SERVICE_TYPE = 'faultmanagement'

# OSC imports every plugin on every run, even for other services' commands:
# fm.client is imported only when a fault command needs it, since it pulls
# in oslo.messaging.


def make_client(instance):
    """The fault API client for OSC's ClientManager ``instance``."""
    return osc.make_client(instance, API_NAME, API_VERSIONS, SERVICE_TYPE,
                           DEFAULT_API_VERSION)


def build_option_parser(parser):
    """Add the plugin's global options to OSC's parser."""
    return osc.add_version_option(parser, API_NAME, 'Fault management',
                                  DEFAULT_API_VERSION)
