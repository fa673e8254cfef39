"""Helpers every ``openstack`` plugin of the suite uses."""

import logging

from osc_lib import utils
from oslo_utils import importutils

LOG = logging.getLogger(__name__)


def show(item, hidden=('links',)):
    """ShowOne's (columns, values): every field sorted, ``hidden`` left out.
    """
    data = {k: v for k, v in item.items() if k not in hidden}
    return tuple(zip(*sorted(data.items()))) or ((), ())


def make_client(instance, api_name, versions, service_type,
                default_version='1'):
    """A service's client for OSC's ClientManager ``instance``.

    ``versions`` maps API versions to client class paths, imported only
    when a command needs them (OSC imports every plugin on every run).
    """
    version = str(getattr(instance, '_api_version', {}).get(
        api_name, default_version))
    if version not in versions:
        raise ValueError('%s API version %s is not supported; use one of: '
                         '%s' % (api_name, version,
                                 ', '.join(sorted(versions))))
    client_class = importutils.import_class(versions[version])
    instance.setup_auth()
    # Honours <service>_endpoint_override and the endpoint of token-only
    # auth (--os-endpoint), then falls back to the catalog.
    endpoint = instance.get_endpoint_for_service_type(
        service_type, region_name=instance.region_name,
        interface=instance.interface)
    LOG.debug('%s API v%s at %s', api_name, version, endpoint)
    return client_class(instance.session, endpoint_override=endpoint,
                        region_name=instance.region_name,
                        interface=instance.interface,
                        service_type=service_type)


def add_version_option(parser, api_name, description, default_version='1'):
    """``--os-<api>-api-version`` (env ``OS_<API>_API_VERSION``)."""
    env = 'OS_%s_API_VERSION' % api_name.upper()
    parser.add_argument(
        '--os-%s-api-version' % api_name,
        metavar='<%s-api-version>' % api_name,
        default=utils.env(env, default=default_version),
        help='%s API version, default=%s (Env: %s)' % (
            description, default_version, env))
    return parser
