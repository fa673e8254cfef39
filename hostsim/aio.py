"""Simulated hosts in the all-in-one (``stx-aio --hosts N``).

No REST API of its own: it generates the fleet's hardware trees and runs
one sysinv-agent per host (as threads, on the all-in-one's broker), so the
hosts appear in sysinv with their inventories.
"""

from stxcommon import aio


class HostsimPlugin(aio.Plugin):
    name = 'hostsim'
    service_type = None
    order = 90   # after sysinv: its conductor takes the agents' reports

    def build(self, context):
        from hostsim import fleet as fleet_mod
        from stxcommon import messaging
        from sysinv.agent import service as agent_service
        from sysinv import conf as sysinv_conf

        count = context.options.get('hosts')
        if count is None:
            count = fleet_mod.DEFAULT_FLEET
        fleet = fleet_mod.Fleet(context.state_dir, fleet_mod.plan(count))
        path = fleet.write_inventory()
        agents, transport = [], None
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
            agents.append(agent_service.AgentService(conf, transport))
        return aio.Parts(
            app_factory=None, services=agents,
            cleanups=[transport.cleanup] if transport else [],
            summary='%d simulated hosts (%s)' % (len(fleet.hosts), path))


PLUGIN = HostsimPlugin()
