"""Simulated hosts in the all-in-one (``stx-aio --hosts N``).

No REST API of its own: it generates the fleet's hardware trees, adds the
hosts to sysinv as an operator would (hostname, personality, management
MAC), then runs one sysinv-agent per host (as threads, on the
all-in-one's broker), so the hosts show in sysinv with their inventories.
"""

import functools
import logging

from hostsim import fleet as fleet_mod
from stxcommon import aio

LOG = logging.getLogger(__name__)

_PERSONALITY = {'controller': 'controller'}  # every other profile: worker


def provision(fleet, creds):
    """Add the fleet's hosts to sysinv, as an operator would."""
    from keystoneauth1.identity import v3
    from keystoneauth1 import session as ks_session
    from sysinv.client import rest

    auth = v3.Password(auth_url=creds.auth_url, username=creds.username,
                       password=creds.password, project_name=creds.project,
                       user_domain_name=creds.user_domain,
                       project_domain_name=creds.project_domain)
    sysinv = rest.Client(ks_session.Session(auth=auth, timeout=30),
                         region_name=creds.region)
    known = {h['hostname'] for h in sysinv.host_list(all_pages=True)}
    for host in fleet.hosts:
        if host['hostname'] in known:
            continue
        try:
            sysinv.host_add(
                hostname=host['hostname'], mgmt_mac=host['mgmt_mac'],
                personality=_PERSONALITY.get(host['profile'], 'worker'),
                bm_type='ipmi', bm_ip='127.0.0.1',
                bm_username=fleet_mod.BMC_USER)
        except rest.HTTPError as exc:
            # Discovered by its MAC before (an earlier start with another
            # fleet): leave it for the operator.
            LOG.warning('Could not add simulated host %s: %s',
                        host['hostname'], exc)


class HostsimPlugin(aio.Plugin):
    name = 'hostsim'
    service_type = None
    order = 90   # after sysinv: its conductor takes the agents' reports

    def build(self, context):
        from stxcommon import messaging
        from sysinv.agent import service as agent_service
        from sysinv import conf as sysinv_conf

        count = context.options.get('hosts')
        if count is None:
            count = fleet_mod.DEFAULT_FLEET
        fleet = fleet_mod.Fleet(context.state_dir, fleet_mod.plan(count))
        agents, transport = {}, None
        for host in fleet.hosts:
            conf = sysinv_conf.new_conf()
            conf([], project='sysinv', default_config_files=[])
            conf.set_override('transport_url', context.transport_url)
            conf.set_override('root', host['root'], 'agent')
            # Report soon after sysinv's conductor comes up.
            conf.set_override('retry_interval', 2, 'agent')
            conf.set_override('rpc_timeout', 10, 'conductor')
            if transport is None:
                transport = messaging.get_transport(conf)
            agents[host['hostname']] = agent_service.AgentService(
                conf, transport)
        return aio.Parts(
            app_factory=None,
            services=[fleet_mod.FleetService(
                fleet, agents,
                functools.partial(provision, fleet, context.keystone))],
            cleanups=[transport.cleanup] if transport else [],
            summary='%d simulated hosts with IPMI BMCs (%s)' % (
                len(fleet.hosts), fleet.inventory_path))


PLUGIN = HostsimPlugin()
