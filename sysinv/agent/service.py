"""sysinv-agent: report this host's inventory to sysinv-conductor.

It reports at start, then every ``report_interval`` seconds; a report the
conductor did not take is retried sooner, after ``retry_interval``.
"""

import logging
import threading

from oslo_context import context
from oslo_service import service

from stxcommon import messaging
from sysinv.agent import inventory
from sysinv.agent import report
from sysinv.conductor import rpcapi

LOG = logging.getLogger(__name__)


class AgentService(service.ServiceBase):
    def __init__(self, conf, rpc_transport=None):
        self.conf = conf
        self._rpc_transport = rpc_transport
        self._stop = threading.Event()
        self._thread = None
        self.host_uuid = None
        self.reports = 0

    def report_once(self, conductor):
        """Collect and send one report; returns the host's uuid."""
        built = report.build(inventory.collect(self.conf.agent.root))
        self.host_uuid = conductor.report_inventory(
            context.RequestContext(user_id='sysinv-agent'), built)
        self.reports += 1
        return self.host_uuid

    def _run(self):
        transport = self._rpc_transport or messaging.get_transport(self.conf)
        conductor = rpcapi.ConductorAPI(transport,
                                        self.conf.conductor.topic,
                                        timeout=self.conf.conductor.rpc_timeout)
        try:
            while not self._stop.is_set():
                try:
                    uuid = self.report_once(conductor)
                    LOG.debug('Reported inventory of host %s', uuid)
                    wait = self.conf.agent.report_interval
                except Exception as exc:
                    LOG.warning('Inventory report failed (%s); retrying in '
                                '%d s', exc, self.conf.agent.retry_interval)
                    wait = self.conf.agent.retry_interval
                self._stop.wait(wait)
        finally:
            if self._rpc_transport is None:
                transport.cleanup()

    def start(self):
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name='sysinv-agent')
        self._thread.start()

    def stop(self, graceful=True):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def wait(self):
        if self._thread is not None:
            self._thread.join()

    def reset(self):
        pass
