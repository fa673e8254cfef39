"""Assemble mtce-agent: RPC server, heartbeat monitor, BMC pool, loop."""

import logging
import socket
import sys

from oslo_context import context

from fm import client as fm_client
from mtce.agent import loop as loop_mod
from mtce.agent import maintenance
from mtce.agent import manager
from mtce import alarms
from mtce import bmc
from mtce.heartbeat import alive as hb_alive
from mtce.heartbeat import process as hb_process
from mtce.heartbeat import packet
from stxcommon import messaging
from stxcommon import service
from sysinv.conductor import rpcapi as sysinv_rpcapi

LOG = logging.getLogger(__name__)

SWITCH_INTERVAL = 0.001


def heartbeat_key(conf):
    """The per-install heartbeat key, made on first use."""
    return packet.load_install_key(conf.heartbeat.key_file)


class SysinvLink:
    """What maintenance needs of sysinv-conductor, over its RPC API."""

    def __init__(self, api):
        self.api = api

    def hosts(self):
        return self.api.mtce_hosts(context.get_admin_context())

    def host_update(self, host_uuid, values, action_done):
        self.api.mtce_host_update(context.get_admin_context(), host_uuid,
                                  values, action_done)

    def sensors_report(self, host_uuid, sensors, audit_interval):
        return self.api.mtce_sensors_report(
            context.get_admin_context(), host_uuid, sensors, audit_interval)

    def bm_credentials(self, host_uuid):
        return self.api.get_bm_credentials(context.get_admin_context(),
                                           host_uuid)


def build(conf, rpc_transport=None, notification_transport=None,
          monitor_class=hb_process.MonitorProcess):
    """The mtce-agent service (start/stop/wait), built on start.

    Pass transports to share them with other services in one process.
    """
    def factory():
        # The state machines' thread must get the interpreter lock soon
        # after a heartbeat change, even while other threads publish to
        # the broker: Python's 5 ms default switch interval, once per busy
        # thread, delayed failures by tens of ms under load.
        if sys.getswitchinterval() > SWITCH_INTERVAL:
            sys.setswitchinterval(SWITCH_INTERVAL)
        transport = rpc_transport or messaging.get_transport(conf)
        notifications = (notification_transport or
                         messaging.get_notification_transport(conf))
        fault_api = fm_client.FaultAPIs(
            notifications, transport, publisher_id='mtce.agent',
            fault_topic=conf.fm.fault_topic, rpc_topic=conf.fm.rpc_topic,
            hold_undelivered=True)
        sysinv = SysinvLink(sysinv_rpcapi.ConductorAPI(
            transport, conf.sysinv.topic, timeout=conf.sysinv.rpc_timeout))
        pool = bmc.WorkerPool(size=conf.bmc.workers)

        def bmc_client(address, username, password):
            return bmc.BmcClient(address, conf.bmc.port, username=username,
                                 password=password,
                                 timeout=conf.bmc.timeout, pool=pool)

        loop = loop_mod.EventLoop(workers=conf.agent.workers)
        hb = conf.heartbeat
        monitor = monitor_class(
            heartbeat_key(conf),
            {network: (hb.management_address if network == 'management'
                       else hb.cluster_host_address, 0)
             for network in hb.networks},
            sender=conf.agent.hostname, period_ms=hb.period_ms,
            minor=hb.minor_threshold, degrade=hb.degrade_threshold,
            failure=hb.failure_threshold,
            on_change=lambda *change: maint.heartbeat_changed(*change))
        maint = maintenance.Maintenance(
            loop, monitor, sysinv, alarms.HostAlarms(fault_api), bmc_client,
            boot_timeout=conf.recovery.boot_timeout,
            max_attempts=conf.recovery.max_attempts,
            heartbeat_soak=conf.recovery.heartbeat_soak,
            offline_timeout=conf.agent.offline_timeout,
            bmc_audit_interval=conf.bmc.audit_interval)

        def sync():
            def then(records, error):
                if error is not None:
                    LOG.warning('Could not read the host list from sysinv: '
                                '%s', error)
                else:
                    maint.sync(records)
                loop.call_later(conf.agent.sync_interval, sync)
            loop.slow(sysinv.hosts, then)

        # Alive messages over UDP reach maintenance without the broker.
        receiver = hb_alive.Receiver(
            heartbeat_key(conf),
            (conf.agent.alive_address, conf.agent.alive_port),
            maint.host_alive)
        rpc_server = messaging.get_rpc_server(
            transport, conf.agent.topic, socket.gethostname(),
            [manager.AgentManager(maint)])
        monitor.start()
        loop.start()
        maint.start()
        receiver.start()
        loop.post(sync)

        def cleanup():
            receiver.stop()
            monitor.stop()
            loop.stop()
            pool.close()
            fault_api.close()
            if rpc_transport is None:
                transport.cleanup()
            if notification_transport is None:
                notifications.cleanup()

        svc.maintenance = maint
        svc.monitor = monitor
        svc.alive = receiver
        return rpc_server, cleanup

    svc = service.MessagingService('mtce-agent', factory)
    svc.maintenance = svc.monitor = svc.alive = None
    return svc
