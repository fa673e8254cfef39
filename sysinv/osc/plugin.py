"""The ``openstack system ...`` plugin of python-openstackclient.

OSC finds this module through the ``openstack.cli.extension`` entry point
``system`` and its commands in the ``openstack.system.v1`` group; it calls
:func:`make_client` the first time a command touches
``client_manager.system``. The API name follows StarlingX's ``system``
CLI; the Keystone service type stays sysinv's ``platform``.
"""

from stxcommon import osc

API_NAME = 'system'
API_VERSION_OPTION = 'os_system_api_version'
DEFAULT_API_VERSION = '1'
API_VERSIONS = {'1': 'sysinv.client.rest.Client'}
SERVICE_TYPE = 'platform'

# OSC imports every plugin on every run: the client module is imported
# only when a system command needs it.


def make_client(instance):
    """The system API client for OSC's ClientManager ``instance``."""
    return osc.make_client(instance, API_NAME, API_VERSIONS, SERVICE_TYPE,
                           DEFAULT_API_VERSION)


def build_option_parser(parser):
    """Add the plugin's global options to OSC's parser."""
    return osc.add_version_option(parser, API_NAME,
                                  'System inventory (platform)',
                                  DEFAULT_API_VERSION)
