"""sysinv-agent: report this host's inventory to sysinv-conductor.

It reports at start, then every ``report_interval`` seconds; a report the
conductor did not take is retried sooner, after ``retry_interval``. A
reply may carry the host's configuration plan, which the agent applies
and reports on at once.
"""

import logging
import threading

from oslo_context import context
from oslo_service import service

from stxcommon import messaging
from sysinv.agent import config
from sysinv.agent import inventory
from sysinv.agent import manager
from sysinv.agent import report
from sysinv.conductor import rpcapi

LOG = logging.getLogger(__name__)


class AgentService(service.ServiceBase):
    def __init__(self, conf, rpc_transport=None):
        self.conf = conf
        self._rpc_transport = rpc_transport
        self._stop = threading.Event()
        # Set to report before the interval is up (a new plan, stop).
        self._wake = threading.Event()
        self.mgmt_mac = None
        self._thread = None
        self.host_uuid = None
        self.applied_target = None
        self.reports = 0

    def report_once(self, conductor):
        """Send one report, apply any plan the reply carries and report
        how that went; returns the host's uuid."""
        outcome = {}
        for _attempt in range(2):
            built = report.build(inventory.collect(self.conf.agent.root))
            built.update(outcome)
            self.mgmt_mac = built['mgmt_mac']
            reply = conductor.report_host(
                context.RequestContext(user_id='sysinv-agent'), built)
            self.host_uuid = reply['uuid']
            self.reports += 1
            plan = reply.get('config')
            if not plan or plan.get('target') == self.applied_target:
                break
            outcome = self._apply(plan)
        return self.host_uuid

    def _apply(self, plan):
        target = plan['target']
        try:
            config.apply(self.conf.agent.root, plan)
        except (config.ConfigError, KeyError, TypeError, ValueError) as exc:
            LOG.error('Configuration %s failed: %s', target, exc)
            return {'config_failed': {'target': target,
                                      'reason': str(exc)}}
        # Only a success is final: a failed plan is tried again when the
        # conductor hands it out again.
        self.applied_target = target
        return {'config_applied': target}

    def _listen(self, transport, mgmt_mac):
        """Take the conductor's report_now casts for this host."""
        server = messaging.get_rpc_server(
            transport, self.conf.agent.topic, mgmt_mac,
            [manager.AgentManager(self._wake.set)])
        server.start()
        return server

    def _run(self):
        transport = self._rpc_transport or messaging.get_transport(self.conf)
        conductor = rpcapi.ConductorAPI(transport,
                                        self.conf.conductor.topic,
                                        timeout=self.conf.conductor.rpc_timeout)
        server = None
        try:
            while not self._stop.is_set():
                self._wake.clear()
                try:
                    uuid = self.report_once(conductor)
                    LOG.debug('Reported inventory of host %s', uuid)
                    wait = self.conf.agent.report_interval
                    if server is None:
                        server = self._listen(transport, self.mgmt_mac)
                except Exception as exc:
                    LOG.warning('Inventory report failed (%s); retrying in '
                                '%d s', exc, self.conf.agent.retry_interval)
                    wait = self.conf.agent.retry_interval
                self._wake.wait(wait)
        finally:
            if server is not None:
                server.stop()
                server.wait()
            if self._rpc_transport is None:
                transport.cleanup()

    def start(self):
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name='sysinv-agent')
        self._thread.start()

    def stop(self, graceful=True):
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def wait(self):
        if self._thread is not None:
            self._thread.join()

    def reset(self):
        pass
