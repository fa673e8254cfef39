"""The real sysinv-agent of every simulated host, ready to be powered on.

Each agent gets its own sysinv configuration, as on a real host, with its
``[agent] root`` at the host's generated tree; all of them share one RPC
transport, as one process should. The all-in-one (hostsim.aio) and the
``hostsim`` command build their agents here.
"""

from stxcommon import messaging
from sysinv.agent import service as agent_service
from sysinv import conf as sysinv_conf

# A simulated host is started next to (or soon after) its conductor: report
# again soon when a report failed, and do not wait a minute for an answer.
# A config file may still set either.
AGENT_DEFAULTS = {('agent', 'retry_interval'): 2,
                  ('conductor', 'rpc_timeout'): 10}


def host_conf(root, config_files=(), transport_url=None):
    """sysinv's configuration of the host whose tree is at ``root``.

    Read from ``config_files`` only (never /etc/sysinv); ``transport_url``,
    when given, wins over theirs.
    """
    conf = sysinv_conf.new_conf()
    for (group, name), value in AGENT_DEFAULTS.items():
        conf.set_default(name, value, group)
    conf(args=[], project='sysinv',
         default_config_files=list(config_files))
    if transport_url:
        conf.set_override('transport_url', transport_url)
    conf.set_override('root', root, 'agent')
    return conf


class Agents:
    """The sysinv agents of ``hosts`` (Fleet.hosts), in ``by_host``.

    ``by_host`` maps each hostname to its AgentService. Nothing connects
    until an agent starts; :meth:`cleanup` closes the shared transport
    once every agent has stopped.
    """

    def __init__(self, hosts, config_files=(), transport_url=None):
        self.by_host = {}
        self.transport = None
        for host in hosts:
            conf = host_conf(host['root'], config_files, transport_url)
            if self.transport is None:
                self.transport = messaging.get_transport(conf)
            self.by_host[host['hostname']] = agent_service.AgentService(
                conf, self.transport)

    def cleanup(self):
        if self.transport is not None:
            self.transport.cleanup()
            self.transport = None
