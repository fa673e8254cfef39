"""The real software of every simulated host, ready to be powered on.

Each host runs the real sysinv-agent, with its own sysinv configuration
as on a real host and its ``[agent] root`` at the host's generated tree,
and, when a heartbeat key is given, the real mtce-client answering
heartbeat on the host's loopback addresses. All of them share one RPC
transport, as one process should. The all-in-one (hostsim.aio) and the
``hostsim`` command build their agents here.
"""

import threading

from mtce.agent import rpcapi as mtce_rpcapi
from fm import client as fm_client
from mtce.client import host as mtce_host
from mtce.client import monitor as mtce_monitor
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


class MtceClient:
    """A host's mtce-client; each start is a new boot (a new boot id)."""

    def __init__(self, host, key, agent_api, alarms=None,
                 alive_interval=5.0, agent_address=None, multicast=None):
        self.host = host
        self.multicast = multicast
        self.key = key
        self.agent_api = agent_api
        self.agent_address = agent_address
        self.alarms = alarms
        self.alive_interval = alive_interval
        self._client = None
        self._unplugged = frozenset()
        self._lock = threading.Lock()

    def unplug(self, networks):
        """Heartbeat networks whose cable is out (the others are in):
        pulses on them are dropped, as the wire would, across boots."""
        with self._lock:
            self._unplugged = frozenset(networks)
            self._apply_cables()

    def _apply_cables(self):
        if self._client is not None:
            for network in ('management', 'cluster-host'):
                self._client.responder.mute(
                    self.host['hostname'], network,
                    network in self._unplugged)

    def start(self):
        with self._lock:
            if self._client is not None:
                return
            self._client = mtce_host.HostClient(
                self.key, self.host['hostname'],
                {'management': (self.host['mgmt_ip'], 0),
                 'cluster-host': (self.host['cluster_ip'], 0)},
                self.agent_api, root=self.host['root'],
                alive_interval=self.alive_interval,
                agent_address=self.agent_address,
                multicast=self.multicast,
                # the tree sits on this machine's disk: its fill level is
                # not the simulated host's, so no filesystem is watched
                monitor=mtce_monitor.HostMonitor(
                    self.host['hostname'], self.host['root'], self.alarms,
                    mounts=()))
            self._apply_cables()
            self._client.start()

    def stop(self):
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.stop()


class HostSoftware:
    """What runs on one simulated host while it is powered on."""

    def __init__(self, parts):
        self.parts = parts

    def start(self):
        for part in self.parts:
            part.start()

    def stop(self):
        for part in reversed(self.parts):
            part.stop()


class Agents:
    """The agents of ``hosts`` (Fleet.hosts), in ``by_host``.

    ``by_host`` maps each hostname to its :class:`HostSoftware`: the
    sysinv-agent, and the mtce-client when ``heartbeat_key`` is given
    (alive messages over UDP to ``mtce_address`` (ip, port) when given,
    else over RPC on ``mtce_topic``; pulses also taken on ``multicast``
    {network: (group, port)}, shared by every host). Nothing connects until an
    agent starts; :meth:`cleanup` closes the shared transport once every
    agent has stopped.
    """

    def __init__(self, hosts, config_files=(), transport_url=None,
                 heartbeat_key=None, mtce_topic='mtce.agent',
                 mtce_address=None, multicast=None):
        self.by_host = {}
        self.transport = self.notifications = self.fault_api = None
        alarms = None
        for host in hosts:
            conf = host_conf(host['root'], config_files, transport_url)
            if self.transport is None:
                self.transport = messaging.get_transport(conf)
            parts = [agent_service.AgentService(conf, self.transport)]
            if heartbeat_key is not None:
                if alarms is None:
                    self.notifications = \
                        messaging.get_notification_transport(conf)
                    self.fault_api = fm_client.FaultAPIs(
                        self.notifications, self.transport,
                        publisher_id='mtce.client', hold_undelivered=True)
                    alarms = fm_client.HostAlarmSender(self.fault_api)
                parts.append(MtceClient(host, heartbeat_key,
                                        mtce_rpcapi.AgentAPI(self.transport,
                                                             mtce_topic),
                                        alarms, agent_address=mtce_address,
                                        multicast=multicast))
            self.by_host[host['hostname']] = HostSoftware(parts)

    def cleanup(self):
        if self.fault_api is not None:
            self.fault_api.close()
            self.fault_api = None
        for transport in (self.transport, self.notifications):
            if transport is not None:
                transport.cleanup()
        self.transport = self.notifications = None
