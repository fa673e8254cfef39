"""Simulated hosts in the all-in-one (``stx-aio --hosts N``).

No REST API of its own: it generates the fleet's hardware trees, adds the
hosts to sysinv as an operator would (hostname, personality, management
MAC), then runs one sysinv-agent per host (as threads, on the
all-in-one's broker), so the hosts show in sysinv with their inventories,
and, with mtce in the all-in-one, each host's mtce-client.
The ``hostsim`` command (hostsim.cmd) does the same outside the
all-in-one.
"""

from hostsim import agents as agents_mod
from hostsim import fleet as fleet_mod
from hostsim import provision
from stxcommon import aio


class HostsimPlugin(aio.Plugin):
    name = 'hostsim'
    service_type = None
    order = 90   # after sysinv: its conductor takes the agents' reports

    def build(self, context):
        count = context.options.get('hosts')
        if count is None:
            count = fleet_mod.DEFAULT_FLEET
        fleet = fleet_mod.Fleet(context.state_dir, fleet_mod.plan(count))
        key = address = None
        if 'mtce' in context.options.get('services', ()):
            from mtce import aio as mtce_aio
            from mtce.heartbeat import packet
            key = packet.load_install_key(
                mtce_aio.heartbeat_key_file(context))
            address = mtce_aio.alive_address(context)
        agents = agents_mod.Agents(fleet.hosts,
                                   transport_url=context.transport_url,
                                   heartbeat_key=key, mtce_address=address)

        def add_hosts():
            provision.provision(fleet,
                                provision.keystone_session(context.keystone),
                                region_name=context.keystone.region)

        return aio.Parts(
            app_factory=None,
            services=[fleet_mod.FleetService(fleet, agents.by_host,
                                             add_hosts)],
            cleanups=[agents.cleanup],
            summary='%d simulated hosts with IPMI BMCs (%s)' % (
                len(fleet.hosts), fleet.inventory_path))


PLUGIN = HostsimPlugin()
