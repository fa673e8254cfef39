"""Add simulated hosts to sysinv through its REST API, as an operator would.

Each host is added with its hostname, personality, management MAC and
BMC (ipmi on its loopback address). A host its agent already reported
(discovered by its MAC, still without a hostname) is provisioned by that
same add.
"""

import argparse
import logging
import os

from hostsim import fleet as fleet_mod

LOG = logging.getLogger(__name__)


def provision(fleet, session, region_name=None, interface='public'):
    """Add ``fleet``'s hosts to sysinv; ``session`` is keystoneauth1's.

    Hosts sysinv already knows by name are left alone. Raises what the
    client raises when sysinv cannot be reached or refuses the token.
    """
    from sysinv.client import rest

    sysinv = rest.Client(session, region_name=region_name,
                         interface=interface)
    names = {h['hostname'] for h in sysinv.host_list(all_pages=True)
             if h.get('hostname')}
    for host in fleet.hosts:
        if host['hostname'] in names:
            continue
        try:
            sysinv.host_add(
                hostname=host['hostname'], mgmt_mac=host['mgmt_mac'],
                personality=host['personality'], bm_type='ipmi',
                bm_ip=host['bmc_ip'], bm_username=fleet_mod.BMC_USER,
                bm_password=fleet.bmc_password)
            LOG.info('Provisioned simulated host %s (%s)', host['hostname'],
                     host['personality'])
        except rest.HTTPError as exc:
            # Another host holds the name or the MAC: the operator's call.
            LOG.warning('Could not add simulated host %s: %s',
                        host['hostname'], exc)


def keystone_session(creds):
    """A session from the all-in-one's admin credentials (aio.Keystone)."""
    from keystoneauth1.identity import v3
    from keystoneauth1 import session as ks_session

    auth = v3.Password(auth_url=creds.auth_url, username=creds.username,
                       password=creds.password, project_name=creds.project,
                       user_domain_name=creds.user_domain,
                       project_domain_name=creds.project_domain)
    return ks_session.Session(auth=auth, timeout=30)


def environment_session():
    """(session, region, interface) from the OS_* environment variables.

    The same variables the openstack CLI reads (an openrc): OS_AUTH_URL,
    OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, the domains, OS_REGION_NAME,
    OS_INTERFACE; OS_AUTH_TYPE picks another keystoneauth1 plugin (token,
    application credential ...), OS_CACERT/OS_CERT/OS_KEY set up TLS.
    Raises keystoneauth1.exceptions.MissingRequiredOptions when the
    variables do not make up credentials.
    """
    from keystoneauth1 import loading

    # keystoneauth1 reads the variables as the defaults of its argparse
    # options; a private parser keeps those out of hostsim --help.
    parser = argparse.ArgumentParser(add_help=False)
    loading.register_auth_argparse_arguments(parser, [], default='password')
    loading.register_session_argparse_arguments(parser)
    options = parser.parse_args([])
    auth = loading.load_auth_from_argparse_arguments(options)
    session = loading.load_session_from_argparse_arguments(options,
                                                           auth=auth)
    # Not keystoneauth1's 10 minutes: sysinv answers fast or not at all.
    session.timeout = 30
    return (session, os.environ.get('OS_REGION_NAME') or None,
            os.environ.get('OS_INTERFACE') or 'public')
