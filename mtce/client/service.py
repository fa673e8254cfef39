"""Assemble mtce-client: this host's heartbeat answers and alive messages."""

import socket
import threading

from oslo_service import service

from fm import client as fm_client
from mtce.agent import rpcapi
from mtce.agent import service as agent_service
from mtce.client import host
from mtce.client import monitor
from stxcommon import messaging


class ClientService(service.ServiceBase):
    """mtce-client as a service: start/stop/wait."""

    def __init__(self, conf, rpc_transport=None):
        self.conf = conf
        self._rpc_transport = rpc_transport
        self._transport = None
        self._notifications = None
        self._fault_api = None
        self._stopped = threading.Event()
        self.client = None

    def start(self):
        self._stopped.clear()
        conf = self.conf
        self._transport = self._rpc_transport or messaging.get_transport(
            conf)
        addresses = {
            'management': (conf.client.management_address,
                           conf.client.management_port),
            'cluster-host': (conf.client.cluster_host_address,
                             conf.client.cluster_host_port)}
        groups = {
            'management': (conf.client.management_multicast_group,
                           conf.client.management_port),
            'cluster-host': (conf.client.cluster_host_multicast_group,
                             conf.client.cluster_host_port)}
        hostname = conf.client.hostname or socket.gethostname()
        self._notifications = messaging.get_notification_transport(conf)
        self._fault_api = fm_client.FaultAPIs(
            self._notifications, self._transport,
            publisher_id='mtce.client', fault_topic=conf.fm.fault_topic,
            rpc_topic=conf.fm.rpc_topic, hold_undelivered=True)
        watch = monitor.from_conf(
            conf, hostname, fm_client.HostAlarmSender(self._fault_api))
        self.client = host.HostClient(
            agent_service.heartbeat_key(conf), hostname,
            {network: addresses[network]
             for network in conf.heartbeat.networks},
            rpcapi.AgentAPI(self._transport, conf.agent.topic),
            agent_address=((conf.client.agent_address,
                            conf.client.agent_port)
                           if conf.client.agent_address else None),
            root=conf.client.root,
            alive_interval=conf.client.alive_interval, monitor=watch,
            multicast={network: groups[network]
                       for network in conf.heartbeat.networks
                       if groups[network][0]})
        self.client.start()

    def stop(self, graceful=True):
        if self.client is not None:
            self.client.stop()
            self.client = None
        if self._fault_api is not None:
            self._fault_api.close()
            self._fault_api = None
        if self._transport is not None and self._rpc_transport is None:
            self._transport.cleanup()
        self._transport = None
        if self._notifications is not None:
            self._notifications.cleanup()
            self._notifications = None
        self._stopped.set()

    def wait(self):
        self._stopped.wait()

    def reset(self):
        pass
