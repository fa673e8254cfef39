"""The ``openstack system ...`` plugin of python-openstackclient.

OSC finds this module through the ``openstack.cli.extension`` entry point
``system`` and its commands in the ``openstack.system.v1`` group; it calls
:func:`make_client` the first time a command touches
``client_manager.system``. The API name follows StarlingX's ``system``
CLI; the Keystone service type stays sysinv's ``platform``.
"""

import logging

from osc_lib import utils
from oslo_utils import importutils

LOG = logging.getLogger(__name__)

API_NAME = 'system'
API_VERSION_OPTION = 'os_system_api_version'
DEFAULT_API_VERSION = '1'
API_VERSIONS = {'1': 'sysinv.client.rest.Client'}
SERVICE_TYPE = 'platform'

# OSC imports every plugin on every run: the client module is imported
# only when a system command needs it.


def make_client(instance):
    """The inventory API client for OSC's ClientManager ``instance``."""
    version = str(getattr(instance, '_api_version', {}).get(
        API_NAME, DEFAULT_API_VERSION))
    if version not in API_VERSIONS:
        raise ValueError('system API version %s is not supported; use one '
                         'of: %s' % (version, ', '.join(sorted(API_VERSIONS))))
    client_class = importutils.import_class(API_VERSIONS[version])
    instance.setup_auth()
    # Honours <service>_endpoint_override and the endpoint of token-only
    # auth (--os-endpoint), then falls back to the catalog.
    endpoint = instance.get_endpoint_for_service_type(
        SERVICE_TYPE, region_name=instance.region_name,
        interface=instance.interface)
    LOG.debug('system API v%s at %s', version, endpoint)
    return client_class(instance.session, endpoint_override=endpoint,
                        region_name=instance.region_name,
                        interface=instance.interface,
                        service_type=SERVICE_TYPE)


def build_option_parser(parser):
    """Add the plugin's global options to OSC's parser."""
    parser.add_argument(
        '--os-system-api-version',
        metavar='<system-api-version>',
        default=utils.env('OS_SYSTEM_API_VERSION',
                          default=DEFAULT_API_VERSION),
        help='System inventory (platform) API version, default=%s '
             '(Env: OS_SYSTEM_API_VERSION)' % DEFAULT_API_VERSION)
    return parser
