"""Host life cycle: carry out a validated action and move the host's states.

The API has checked the action and recorded its task; the conductor hands
it to a life cycle. :class:`MtceLifecycle` hands the action to the
maintenance service (mtce-agent), which drives the host and its BMC and
reports the host's states back (``mtce_update``). :class:`LocalLifecycle`
moves the states itself, for a sysinv without mtce. Both offer:

``start(host_uuid, action)``
    carry out an action recorded by :meth:`Connection.host_start_action`;
    return at once, finish in the background and clear the task.
``host_reported(host)``
    the host's agent is alive (as a heartbeat would tell).
"""

import concurrent.futures
import logging
import threading
import time

from oslo_context import context

from sysinv import constants

LOG = logging.getLogger(__name__)

POLL_INTERVAL = 0.2   # seconds between checks of an agent's progress


class LocalLifecycle:
    def __init__(self, connection, alarms, agents, config_timeout=120,
                 workers=8):
        self.connection = connection
        self.alarms = alarms
        self.agents = agents
        self.config_timeout = config_timeout
        self._stopping = threading.Event()
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix='host-action')

    def start(self, host_uuid, action):
        self._pool.submit(self._run, host_uuid, action)

    def resume(self):
        """Finish actions a stopped conductor left under way."""
        for host in self.connection.hosts_busy():
            LOG.info('Resuming %s of host %s', host.action,
                     host.hostname or host.uuid)
            self.start(host.uuid, host.action)

    def stop(self):
        self._stopping.set()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def mtce_update(self, host_uuid, values, action_done):
        """States maintenance reports; the locked alarm follows them."""
        if action_done:
            host = self.connection.host_finish_action(host_uuid, values)
        else:
            host = self.connection.host_update(host_uuid, values)
        LOG.info('Host %s is %s-%s-%s (maintenance)', host.hostname,
                 host.administrative, host.operational, host.availability)
        if host.administrative == constants.ADMIN_LOCKED:
            if host.availability != constants.AVAILABILITY_OFFLINE or \
                    action_done:
                self.alarms.host_locked(host.hostname)
        elif host.operational == constants.OPERATIONAL_ENABLED:
            self.alarms.host_unlocked(host.hostname)
        return host

    def host_reported(self, host):
        if host.availability == constants.AVAILABILITY_OFFLINE:
            self.connection.host_update(
                host.uuid, {'availability': constants.AVAILABILITY_ONLINE})
            # A provisioned host that comes up locked is out of service.
            if host.hostname and \
                    host.administrative == constants.ADMIN_LOCKED:
                self.alarms.host_locked(host.hostname)

    def _run(self, host_uuid, action):
        try:
            self._carry_out(host_uuid, action)
        except Exception:
            # A pool thread's errors are otherwise kept in its future.
            LOG.exception('Host %s: %s could not finish', host_uuid, action)

    def _carry_out(self, host_uuid, action):
        host = self.connection.host_get(host_uuid)
        name = host.hostname or host.uuid
        step = getattr(self, '_' + action.replace('-', '_'), None)
        try:
            if step is None:
                raise ValueError('unknown action %r' % action)
            values = step(host)
            LOG.info('Host %s: %s finished: %s', name, action, ', '.join(
                '%s %s' % (k, v) for k, v in sorted((values or {}).items())
                if k in ('administrative', 'operational', 'availability'))
                or 'no state change')
        except Exception:
            LOG.exception('Host %s: %s failed', name, action)
            values = {}
        if self._stopping.is_set() and values is None:
            return   # left under way for resume() after a restart
        self.connection.host_finish_action(host_uuid, values or {})

    # Actions: each returns the host's new states.

    def _lock(self, host):
        self.alarms.host_locked(host.hostname)
        available = host.availability in (constants.AVAILABILITY_AVAILABLE,
                                          'degraded')
        values = {'administrative': constants.ADMIN_LOCKED,
                  'operational': constants.OPERATIONAL_DISABLED,
                  'availability': (constants.AVAILABILITY_ONLINE
                                   if available else host.availability)}
        if host.personality == constants.CONTROLLER:
            values['capabilities'] = dict(host.capabilities or {},
                                          Personality='Controller-Standby')
        return values

    _force_lock = _lock

    def _unlock(self, host):
        error = self._apply_config(host)
        if error is None and self._stopping.is_set():
            return None
        if error:
            self.alarms.config_failed(host.hostname, error)
            return {'operational': constants.OPERATIONAL_DISABLED,
                    'availability': constants.AVAILABILITY_FAILED}
        self.alarms.config_ok(host.hostname)
        self.alarms.host_unlocked(host.hostname)
        values = {'administrative': constants.ADMIN_UNLOCKED,
                  'operational': constants.OPERATIONAL_ENABLED,
                  'availability': constants.AVAILABILITY_AVAILABLE}
        if host.personality == constants.CONTROLLER:
            active = [h for h in self._other_controllers(host)
                      if (h.capabilities or {}).get('Personality') ==
                      'Controller-Active']
            values['capabilities'] = dict(
                host.capabilities or {},
                Personality=('Controller-Standby' if active
                             else 'Controller-Active'))
        return values

    def _apply_config(self, host):
        """Have the agent apply the host's plan; None, or why it failed."""
        target = self.connection.host_new_config_target(host.uuid)
        try:
            self.agents.report_now(context.get_admin_context(),
                                   host.mgmt_mac)
        except Exception as exc:
            # Its next periodic report takes the plan instead.
            LOG.warning('Could not reach the agent of host %s: %s',
                        host.hostname, exc)
        deadline = time.monotonic() + self.config_timeout
        while time.monotonic() < deadline:
            current = self.connection.host_get(host.uuid)
            if current.config_applied == target:
                return None
            status = current.config_status or ''
            if status.startswith('Config failed'):
                return status
            if self._stopping.wait(POLL_INTERVAL):
                return None
        return ('its agent did not apply the configuration within %d s'
                % self.config_timeout)

    def _reboot(self, host):
        # Without mtce there is no BMC or agent to restart the host; it
        # comes back as it went.
        return {}

    _reset = _reboot

    def _power_off(self, host):
        return {'availability': constants.AVAILABILITY_POWER_OFF}

    def _power_on(self, host):
        # Online again once its agent reports.
        return {'availability': constants.AVAILABILITY_OFFLINE}

    def _swact(self, host):
        for other in self._other_controllers(host):
            if other.administrative == constants.ADMIN_UNLOCKED:
                self.connection.host_update(other.uuid, {
                    'capabilities': dict(other.capabilities or {},
                                         Personality='Controller-Active')})
                break
        return {'capabilities': dict(host.capabilities or {},
                                     Personality='Controller-Standby')}

    def _other_controllers(self, host):
        return [h for h in self.connection.host_get_list(
            {'personality': constants.CONTROLLER}) if h.uuid != host.uuid]


class MtceLifecycle(LocalLifecycle):
    """Actions carried out by mtce-agent; swact and the unlock's
    configuration (the agents' plans are sysinv's) stay here.

    An action's task stays until mtce reports ``action_done``.
    """

    MTCE_ACTIONS = ('lock', 'force-lock', 'unlock', 'reboot', 'reset',
                    'power-on', 'power-off', 'reinstall')

    def __init__(self, connection, alarms, agents, mtce, **kwargs):
        super().__init__(connection, alarms, agents, **kwargs)
        self.mtce = mtce

    def host_reported(self, host):
        pass     # online / offline come from mtce-client's alive messages

    def _carry_out(self, host_uuid, action):
        if action not in self.MTCE_ACTIONS:
            return super()._carry_out(host_uuid, action)
        host = self.connection.host_get(host_uuid)
        if action == 'unlock':
            error = self._apply_config(host)
            if self._stopping.is_set() and error is None:
                return
            if error:
                LOG.error('Host %s: unlock failed: %s', host.hostname, error)
                self.alarms.config_failed(host.hostname, error)
                self.connection.host_finish_action(host_uuid, {})
                return
            self.alarms.config_ok(host.hostname)
        record = {field: getattr(host, field) for field in (
            'uuid', 'hostname', 'personality', 'administrative',
            'operational', 'availability', 'action', 'bm_type', 'bm_ip',
            'bm_username')}
        LOG.info('Host %s: %s handed to maintenance', host.hostname, action)
        self.mtce.host_action(context.get_admin_context(), record, action)
