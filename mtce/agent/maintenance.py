"""The host state machines of mtce-agent.

sysinv hands maintenance its provisioned hosts and the actions the API
accepted; maintenance carries them out and reports each host's
administrative / operational / availability states back.  Per host:

- locked: out of service, never heartbeat monitored, never recovered;
  online while its mtce-client sends alive messages, offline when they
  stop, power-off when the BMC turned it off.
- enabling (unlock, or coming back from a failure): wait for an alive
  message (after a reset: from the new boot), check mtce-client's
  go-enabled result, start heartbeat and let it soak; then enabled.
- enabled: in service and heartbeat monitored.  One network lost:
  degraded with 200.005 / 200.009, no recovery.  Every network lost:
  failed.
- failed: 200.004 raised; the host is reset through its BMC (powered on
  if the BMC says it is off) and given ``boot_timeout`` to come back,
  up to ``max_attempts`` times; then it stays failed with a log saying
  why.  Without a BMC, maintenance waits for the host to come back.

Everything runs on one :class:`~mtce.agent.loop.EventLoop` thread.
"""

import logging
import queue
import threading
import time

from fm import client as fm_client
from mtce import bmc as bmc_mod
from mtce.heartbeat import monitor as hb

LOG = logging.getLogger(__name__)

LOCKED, UNLOCKED = 'locked', 'unlocked'
ENABLED, DISABLED = 'enabled', 'disabled'
AVAILABLE, ONLINE, OFFLINE = 'available', 'online', 'offline'
DEGRADED, FAILED, INTEST, POWER_OFF = ('degraded', 'failed', 'intest',
                                       'power-off')

ACTIONS = ('lock', 'force-lock', 'unlock', 'reboot', 'reset', 'power-on',
           'power-off', 'reinstall')

# Stages of the state machine (mtce's own; sysinv sees the states).
S_LOCKED, S_ENABLING, S_ENABLED, S_FAILED = (
    'locked', 'enabling', 'enabled', 'failed')

AUDIT_INTERVAL = 1.0
# Seconds between two comparisons of maintenance's alarms with fm's.
ALARM_RECONCILE_INTERVAL = 60.0
# State reports queued for sysinv past which a host's changes are merged
# into its report still waiting (see Maintenance._report).
REPORT_BACKLOG = 1000


class Host:
    """What maintenance knows of one host."""

    def __init__(self, record):
        self.uuid = record['uuid']
        self.hostname = record['hostname']
        self.personality = record.get('personality')
        self.administrative = record.get('administrative') or LOCKED
        self.operational = record.get('operational') or DISABLED
        self.availability = record.get('availability') or OFFLINE
        self.bm = {}
        self.stage = S_LOCKED
        self.generation = 0          # bumped to cancel pending steps
        self.last_alive = None       # time.monotonic() of the last alive
        self.boot_id = None
        self.heartbeat = {}          # {network: (ip, port)} from alive
        self.go_enabled = None       # {'passed': bool, 'reason': str}
        self.client_degrade = []     # mtce-client's reasons to degrade
        self.sensor_alarms = {}      # sensor name -> raised severity
        self.sensor_logged = {}      # sensor name -> logged severity
        # sensor name -> what its crossed thresholds do, as sysinv last
        # answered (its group's actions, suppressed or not)
        self.sensor_policy = {}
        self.monitored = False
        self.net_alarms = set()      # networks with a heartbeat alarm
        self.failed_alarm = False
        self.attempts = 0
        self.failed_boot_id = None
        self.reset_issued = False
        self.bmc_alarm = None        # reason of the raised 200.010
        self.pending_action = None   # sysinv action to report done
        self.bmc_audit_due = None
        self.failed_at = None        # time.time() of the last failure
        self.heartbeat_lost_at = None  # time.time() heartbeat judged it

    def update(self, record):
        for key in ('hostname', 'personality'):
            if record.get(key):
                setattr(self, key, record[key])
        bm = {k: record.get(k) for k in ('bm_type', 'bm_ip', 'bm_username')}
        if bm != {k: self.bm.get(k) for k in bm}:
            self.bm = dict(bm)     # the password is fetched when needed

    @property
    def has_bmc(self):
        return bool(self.bm.get('bm_ip') and self.bm.get('bm_type')
                    and self.bm.get('bm_type') != 'none')

    def as_dict(self):
        return {'uuid': self.uuid, 'hostname': self.hostname,
                'administrative': self.administrative,
                'operational': self.operational,
                'availability': self.availability, 'stage': self.stage,
                'monitored': self.monitored, 'attempts': self.attempts,
                'boot_id': self.boot_id, 'failed_at': self.failed_at,
                'heartbeat_lost_at': self.heartbeat_lost_at}


class Maintenance:
    """Host state machines; all public methods are safe from any thread.

    :param loop: the :class:`EventLoop` everything runs on.
    :param monitor: a started heartbeat :class:`Monitor` whose
        ``on_change`` is :meth:`heartbeat_changed`.
    :param sysinv: ``host_update(uuid, values, action_done)`` and
        ``bm_credentials(uuid)``.
    :param alarms: :class:`mtce.alarms.HostAlarms`.
    :param bmc_client: ``bmc_client(address, username, password)`` -> a
        :class:`mtce.bmc.BmcClient`.
    """

    def __init__(self, loop, monitor, sysinv, alarms, bmc_client,
                 boot_timeout=300, max_attempts=3, heartbeat_soak=3.0,
                 offline_timeout=20, bmc_audit_interval=60,
                 alarm_reconcile_interval=ALARM_RECONCILE_INTERVAL,
                 report_backlog=REPORT_BACKLOG):
        self.loop = loop
        self.monitor = monitor
        self.sysinv = sysinv
        self.alarms = _Deferred(alarms, loop)
        self._alarm_ledger = alarms
        self.bmc_client = bmc_client
        self.boot_timeout = boot_timeout
        self.max_attempts = max_attempts
        self.heartbeat_soak = heartbeat_soak
        self.offline_timeout = offline_timeout
        self.bmc_audit_interval = bmc_audit_interval
        self.alarm_reconcile_interval = alarm_reconcile_interval
        self.hosts = {}              # uuid -> Host
        self._by_name = {}
        # uuid -> the last BMC credentials sysinv gave, in memory only: a
        # failed host is recovered even while sysinv or the broker is down
        self._credentials = {}
        self._stale = set()          # uuids using kept credentials
        # uuid -> its latest state report queued for sysinv and not yet
        # started; past report_backlog queued, changes go into it
        self._unsent = {}
        self._queued = 0
        self._unsent_lock = threading.Lock()
        self.report_backlog = report_backlog

    # -- entry points (any thread) -----------------------------------------

    def start(self):
        self.loop.post(self._audit)
        self.loop.call_later(self.alarm_reconcile_interval,
                             self._reconcile_alarms)

    def _reconcile_alarms(self):
        """Behind the alarms already queued, bring fm in step with what
        maintenance raised and cleared (sends lost while the broker was
        down), then again after the interval."""
        def reconcile():
            try:
                self._alarm_ledger.reconcile()
            except fm_client.APIException as exc:
                LOG.info('Alarms not compared with fm: %s', exc)
        self.loop.slow(reconcile, None, ordered=ALARMS_LANE)
        self.loop.call_later(self.alarm_reconcile_interval,
                             self._reconcile_alarms)

    def sync(self, records):
        """The whole list of provisioned hosts, as sysinv has them."""
        self.loop.post(self._sync, list(records))

    def host_upsert(self, record):
        self.loop.post(self._upsert, dict(record))

    def host_delete(self, host_uuid):
        self.loop.post(self._delete, host_uuid)

    def host_action(self, record, action):
        self.loop.post(self._action, dict(record), action)

    def host_alive(self, report):
        self.loop.post(self._alive, dict(report), time.monotonic())

    def heartbeat_changed(self, hostname, state, detail):
        """The monitor's on_change (its own thread)."""
        self.loop.post(self._heartbeat, hostname, state, detail)

    def snapshot(self, timeout=5.0):
        """[host dict] as the loop sees them now (tests, status)."""
        answer = queue.Queue()
        self.loop.post(lambda: answer.put(
            [h.as_dict() for h in self.hosts.values()]))
        return answer.get(timeout=timeout)

    # -- sysinv's view -------------------------------------------------------

    def _report(self, host, action_done=False, **values):
        changed = {k: v for k, v in values.items()
                   if getattr(host, k, None) != v}
        for key, value in values.items():
            setattr(host, key, value)
        if not changed and not action_done:
            return
        values = {k: getattr(host, k) for k in
                  ('administrative', 'operational', 'availability')}
        if changed:
            LOG.info('Host %s is %s-%s-%s', host.hostname,
                     values['administrative'], values['operational'],
                     values['availability'])
        # Every change goes to sysinv, in order. Past a backlog, though
        # (a storm of changes across thousands of hosts, sysinv or the
        # broker away), a change updates its host's report still waiting
        # in the queue instead of queueing another: sysinv keeps current
        # states, and the queue stays within a report a host.
        with self._unsent_lock:
            report = self._unsent.get(host.uuid)
            if report is not None and self._queued >= self.report_backlog:
                report['values'] = values
                report['action_done'] = report['action_done'] or action_done
                return
            report = self._unsent[host.uuid] = {
                'values': values, 'action_done': action_done,
                'started': False}
            self._queued += 1

        def send():
            with self._unsent_lock:
                if not report['started']:
                    # from now on, changes go into a later report
                    report['started'] = True
                    self._queued -= 1
                    if self._unsent.get(host.uuid) is report:
                        del self._unsent[host.uuid]
            self.sysinv.host_update(host.uuid, report['values'],
                                    report['action_done'])
        self.loop.persist(send, 'Telling sysinv the states of %s'
                          % host.hostname, ordered=SYSINV_LANE)

    def _finish_action(self, host, **values):
        host.pending_action = None
        self._report(host, action_done=True, **values)

    # -- host list -----------------------------------------------------------

    def _sync(self, records):
        seen = set()
        for record in records:
            seen.add(record['uuid'])
            self._upsert(record)
        for host_uuid in list(self.hosts):
            if host_uuid not in seen:
                self._delete(host_uuid)

    def _upsert(self, record):
        if not record.get('hostname'):
            return                      # not provisioned: not ours yet
        host = self.hosts.get(record['uuid'])
        if host is None:
            host = Host(record)
            self.hosts[host.uuid] = host
            self._by_name[host.hostname] = host
            if (host.administrative == UNLOCKED
                    and host.operational == ENABLED):
                # enabled before a restart of mtce-agent: monitor it again
                # once it says where it answers
                host.stage = S_ENABLING
            LOG.info('Maintaining host %s (%s-%s-%s)', host.hostname,
                     host.administrative, host.operational,
                     host.availability)
        old_name = host.hostname
        had_bmc = host.bm.copy()
        host.update(record)
        if old_name != host.hostname:
            self._by_name.pop(old_name, None)
            self._by_name[host.hostname] = host
        if host.bm != had_bmc:
            self._credentials.pop(host.uuid, None)
            if host.has_bmc:
                self._bmc_audit(host)

    def _delete(self, host_uuid):
        host = self.hosts.pop(host_uuid, None)
        if host is None:
            return
        self._by_name.pop(host.hostname, None)
        self._credentials.pop(host_uuid, None)
        self._stale.discard(host_uuid)
        host.generation += 1
        self._unmonitor(host)
        for network in list(host.net_alarms):
            self.alarms.heartbeat_ok(host.hostname, network)
        if host.failed_alarm:
            self.alarms.host_recovered(host.hostname)
        if host.bmc_alarm:
            self.alarms.bmc_ok(host.hostname)
        for name in host.sensor_alarms:
            self.alarms.sensor_ok(host.hostname, name)
        LOG.info('No longer maintaining host %s', host.hostname)

    # -- actions ---------------------------------------------------------

    def _action(self, record, action):
        self._upsert(record)
        host = self.hosts.get(record['uuid'])
        if host is None:
            LOG.warning('%s of unprovisioned host %s ignored', action,
                        record['uuid'])
            return
        LOG.info('Host %s: %s', host.hostname, action)
        host.generation += 1            # whatever was under way stops
        host.pending_action = action
        if action in ('lock', 'force-lock'):
            self._lock(host)
        elif action == 'unlock':
            host.attempts = 0
            self._report(host, administrative=UNLOCKED)
            self._enable(host, after_failure=False)
        elif action in ('reboot', 'reset', 'power-on', 'power-off',
                        'reinstall'):
            self._power_action(host, action)
        else:
            LOG.error('Host %s: unknown action %r', host.hostname, action)
            self._finish_action(host)

    def _lock(self, host):
        if host.monitored and self.monitor.state(host.hostname) in (
                hb.OK, hb.MINOR):
            # heartbeat proves it alive: its client sends few alive
            # messages while it is monitored
            host.last_alive = time.monotonic()
        self._unmonitor(host)
        self._clear_failure_alarms(host)
        host.stage = S_LOCKED
        host.attempts = 0
        self._finish_action(
            host, administrative=LOCKED, operational=DISABLED,
            availability=ONLINE if self._alive_recently(host) else OFFLINE)

    _POWER = {'reboot': ('power_cycle', OFFLINE),
              'reinstall': ('power_cycle', OFFLINE),
              'reset': ('power_reset', OFFLINE),
              'power-on': ('power_on', OFFLINE),
              'power-off': ('power_off', POWER_OFF)}

    def _power_action(self, host, action):
        method, availability = self._POWER[action]
        if not host.has_bmc:
            LOG.warning('Host %s has no BMC: %s is not possible',
                        host.hostname, action)
            self._finish_action(host)
            return
        generation = host.generation

        def done(_, error):
            if error is not None:
                self._bmc_failed(host, error)
                self._finish_action(host)
                return
            self._bmc_answered(host)
            if generation != host.generation:
                return
            if action == 'power-on' and self._alive_recently(host):
                availability_now = ONLINE
            else:
                availability_now = availability
            if availability_now != ONLINE:
                host.last_alive = None     # online again at its next alive
            self._finish_action(host, availability=availability_now)
        self._bmc_call(host, lambda client: getattr(client, method)(), done)

    # -- alive, enable ---------------------------------------------------

    def _alive(self, report, at):
        host = self._by_name.get(report.get('hostname'))
        if host is None:
            LOG.debug('Alive from unknown host %s', report.get('hostname'))
            return
        first = host.last_alive is None
        rebooted = report.get('boot_id') != host.boot_id
        host.last_alive = at
        host.boot_id = report.get('boot_id')
        host.heartbeat = {network: tuple(address) for network, address in
                          (report.get('heartbeat') or {}).items()}
        host.go_enabled = report.get('go_enabled')
        host.client_degrade = list(report.get('degrade') or ())
        client_fail = list(report.get('fail') or ())
        if first or rebooted:
            LOG.info('Host %s is alive (boot %s)', host.hostname,
                     host.boot_id)
        if host.stage == S_LOCKED:
            if host.availability in (OFFLINE, POWER_OFF):
                self._report(host, availability=ONLINE)
        elif host.stage == S_ENABLING and not host.monitored:
            self._enable_step(host)
        elif host.stage == S_FAILED and self._back_after_failure(host):
            LOG.info('Host %s is back after its failure', host.hostname)
            self._enable(host, after_failure=True)
        elif host.stage == S_ENABLED:
            if client_fail:
                self._fail(host, '; '.join(client_fail))
            else:
                self._refresh_availability(host)

    def _back_after_failure(self, host):
        if host.reset_issued:
            return host.boot_id != host.failed_boot_id
        return True     # no reset: whatever brought it back, it is back

    def _alive_recently(self, host):
        return (host.last_alive is not None and
                time.monotonic() - host.last_alive < self.offline_timeout)

    def _enable(self, host, after_failure):
        host.stage = S_ENABLING
        host.generation += 1
        generation = host.generation
        if not after_failure:
            self._report(host, operational=DISABLED,
                         availability=(ONLINE if self._alive_recently(host)
                                       else OFFLINE))
        self.loop.call_later(self.boot_timeout, self._enable_timeout, host,
                             generation)
        if self._alive_recently(host) and (
                not after_failure or self._back_after_failure(host)):
            self._enable_step(host)

    def _enable_step(self, host):
        """Alive: check go-enabled, then start heartbeat and soak."""
        if host.stage != S_ENABLING or host.monitored:
            return
        verdict = host.go_enabled or {}
        if not verdict.get('passed', False):
            self._fail(host, 'go-enabled tests failed: %s'
                       % (verdict.get('reason') or 'no result'))
            return
        if not host.heartbeat:
            self._fail(host, 'its mtce-client gave no heartbeat address')
            return
        try:
            self._monitor(host)
        except (hb.HeartbeatConfigError, ValueError) as exc:
            self._fail(host, 'heartbeat cannot start: %s' % exc)
            return
        self._report(host, availability=INTEST)
        self.loop.call_later(self.heartbeat_soak, self._soaked, host,
                             host.generation)

    def _soaked(self, host, generation):
        if generation != host.generation or host.stage != S_ENABLING:
            return
        state = self.monitor.state(host.hostname) if host.monitored \
            else hb.FAILED
        if state in (hb.OK, hb.MINOR):
            recovered = host.failed_alarm
            host.stage = S_ENABLED
            host.attempts = 0
            host.reset_issued = False
            self._clear_failure_alarms(host)
            if recovered:
                self.alarms.log(host.hostname, '%s recovered: enabled and '
                                'in service again' % host.hostname)
            values = dict(administrative=UNLOCKED, operational=ENABLED,
                          availability=AVAILABLE)
            if host.pending_action == 'unlock':
                self._finish_action(host, **values)
            else:
                self._report(host, **values)
            self._refresh_availability(host)
        elif state == hb.DEGRADED:
            # one network answers: wait for the other, or its failure
            self.loop.call_later(self.heartbeat_soak, self._soaked, host,
                                 generation)
        else:
            self._fail(host, 'heartbeat did not start')

    def _enable_timeout(self, host, generation):
        if generation != host.generation or host.stage != S_ENABLING:
            return
        if host.monitored:
            return                       # soaking; _soaked decides
        self._fail(host, 'no alive message within %d s' % self.boot_timeout)

    # -- heartbeat -------------------------------------------------------

    def _monitor(self, host):
        if host.monitored:
            return
        self.monitor.add_host(host.hostname, host.heartbeat)
        host.monitored = True

    def _unmonitor(self, host):
        if host.monitored:
            self.monitor.remove_host(host.hostname)
            host.monitored = False

    def _heartbeat(self, hostname, state, detail):
        host = self._by_name.get(hostname)
        if host is None or not host.monitored:
            return
        missed = detail.get('missed', {})
        if state == hb.FAILED:
            host.heartbeat_lost_at = detail.get('at')
            self._fail(host, 'heartbeat lost on every network (%s)'
                       % ', '.join('%s missed %d' % item
                                   for item in sorted(missed.items())))
            return
        lost = set(detail.get('networks', ())) if state == hb.DEGRADED \
            else set()
        for network in sorted(lost - host.net_alarms):
            self.alarms.heartbeat_lost(hostname, network, 'major')
        for network in sorted(host.net_alarms - lost):
            self.alarms.heartbeat_ok(hostname, network)
        host.net_alarms = lost
        self._refresh_availability(host)

    def _refresh_availability(self, host):
        """An enabled host is degraded while a network or its client says
        so, available otherwise."""
        if host.stage == S_ENABLED:
            degraded = (host.net_alarms or host.client_degrade or any(
                s in ('major', 'critical')
                for s in host.sensor_alarms.values()))
            self._report(host, availability=DEGRADED if degraded
                         else AVAILABLE)

    # -- failure and recovery --------------------------------------------

    def _fail(self, host, reason):
        if host.administrative == LOCKED:
            return                       # never recovered
        LOG.warning('Host %s failed: %s', host.hostname, reason)
        host.failed_at = time.time()
        self._unmonitor(host)
        host.generation += 1
        host.stage = S_FAILED
        host.failed_boot_id = host.boot_id
        host.reset_issued = False
        # sysinv hears it first
        if host.pending_action == 'unlock':
            self._finish_action(host, operational=DISABLED,
                                availability=FAILED)
        else:
            self._report(host, operational=DISABLED, availability=FAILED)
        for network in list(host.net_alarms):
            self.alarms.heartbeat_ok(host.hostname, network)
        host.net_alarms = set()
        self.alarms.host_failed(host.hostname, reason)
        host.failed_alarm = True
        self.alarms.log(host.hostname, '%s failed: %s' % (host.hostname,
                                                          reason))
        self._recover(host, host.generation)

    def _recover(self, host, generation):
        if generation != host.generation or host.stage != S_FAILED:
            return
        if host.attempts >= self.max_attempts:
            LOG.error('Host %s: giving up after %d recovery attempts',
                      host.hostname, host.attempts)
            self.alarms.log(host.hostname, '%s remains failed: %d automatic '
                            'recovery attempts (reset and %d s to boot) '
                            'did not bring it back' % (
                                host.hostname, host.attempts,
                                self.boot_timeout))
            return
        host.attempts += 1
        self.loop.call_later(self.boot_timeout, self._boot_timeout, host,
                             generation)
        if not host.has_bmc:
            LOG.warning('Host %s has no BMC: waiting for it to come back '
                        '(attempt %d)', host.hostname, host.attempts)
            return
        # From now on only an alive message from a new boot counts.
        host.reset_issued = True
        attempt = host.attempts

        def reset(client):
            if client.power_status() == bmc_mod.POWER_OFF:
                client.power_on()
                return 'powered on'
            client.power_reset()
            return 'reset'

        def done(how, error):
            if error is not None:
                self._bmc_failed(host, error)
                if generation == host.generation:
                    host.reset_issued = False   # it may come back itself
                return
            self._bmc_answered(host)
            LOG.info('Host %s %s through its BMC (recovery attempt %d of '
                     '%d)', host.hostname, how, attempt, self.max_attempts)
        self._bmc_call(host, reset, done)

    def _boot_timeout(self, host, generation):
        if generation != host.generation or host.stage != S_FAILED:
            return
        LOG.warning('Host %s did not come back within %d s (attempt %d)',
                    host.hostname, self.boot_timeout, host.attempts)
        self._recover(host, generation)

    def _clear_failure_alarms(self, host):
        for network in list(host.net_alarms):
            self.alarms.heartbeat_ok(host.hostname, network)
        host.net_alarms = set()
        if host.failed_alarm:
            self.alarms.host_recovered(host.hostname)
            host.failed_alarm = False

    # -- BMC -------------------------------------------------------------

    def _bmc_call(self, host, operation, then):
        """Run ``operation(client)`` off the loop with the host's BMC
        credentials, as sysinv has them now; the last ones it gave are
        kept in memory and used while it (or the broker) cannot be
        reached, so that a failed host is recovered all the same."""
        uuid, kept, stale = host.uuid, self._credentials, self._stale

        def work():
            try:
                access = kept[uuid] = self.sysinv.bm_credentials(uuid)
                stale.discard(uuid)
            except Exception as exc:
                access = kept.get(uuid)
                if access is None:
                    raise
                if uuid not in stale:
                    stale.add(uuid)
                    LOG.warning('BMC credentials of %s from sysinv: %s; '
                                'using the last ones it gave until it '
                                'answers', host.hostname, exc)
            if not access.get('bm_ip'):
                raise bmc_mod.BmcError('no BMC address is provisioned')
            return operation(self.bmc_client(
                access['bm_ip'], access.get('bm_username') or '',
                access.get('bm_password') or ''))
        self.loop.slow(work, then)

    def _bmc_failed(self, host, error):
        if isinstance(error, bmc_mod.BmcAuthError):
            reason = 'wrong BMC user name or password'
        elif isinstance(error, bmc_mod.BmcUnreachable):
            reason = 'BMC does not answer'
        else:
            reason = 'BMC request failed'
        LOG.error('Host %s: %s: %s', host.hostname, reason, error)
        detail = '%s (%s)' % (reason, error)
        if host.bmc_alarm != detail:
            self.alarms.bmc_unreachable(host.hostname, detail)
            host.bmc_alarm = detail

    def _bmc_answered(self, host):
        if host.bmc_alarm:
            LOG.info('Host %s: BMC answers again', host.hostname)
            self.alarms.bmc_ok(host.hostname)
            host.bmc_alarm = None

    def _bmc_audit(self, host):
        """Check the BMC answers; read the sensors of a powered host."""
        if not host.has_bmc or host.uuid not in self.hosts:
            return
        host.bmc_audit_due = time.monotonic() + self.bmc_audit_interval

        def audit(client):
            if client.power_status() != bmc_mod.POWER_ON:
                return None
            return client.sensors()

        def done(sensors, error):
            if error is not None:
                self._bmc_failed(host, error)
                return
            self._bmc_answered(host)
            if sensors is not None and host.uuid in self.hosts:
                self._sensors_read(host, sensors)
        self._bmc_call(host, audit, done)

    def _sensors_read(self, host, sensors):
        """Record the readings in sysinv, which answers what a crossed
        threshold of each sensor does (its group's action per severity,
        or suppressed); then raise, log or clear 200.007 to match."""
        interval = self.bmc_audit_interval

        def recorded(policy, error):
            if error is not None:
                LOG.error('Could not record the sensors of %s in sysinv '
                          '(their last known actions apply): %s',
                          host.hostname, error)
            elif isinstance(policy, dict):
                host.sensor_policy = policy
            if host.uuid in self.hosts:
                self._sensor_alarms(host, sensors)
        self.loop.slow(
            lambda: self.sysinv.sensors_report(host.uuid, sensors, interval),
            recorded, ordered=SYSINV_LANE)

    def _sensor_alarms(self, host, sensors):
        """200.007 for each sensor past a threshold whose action is
        'alarm' (major and critical ones degrade the host), a customer
        log for 'log', nothing for 'ignore' or a suppressed sensor."""
        alarmed, logged = {}, {}
        for sensor in sensors:
            state = sensor.get('state')
            if not sensor.get('available', True) or state not in (
                    'minor', 'major', 'critical'):
                continue
            rule = host.sensor_policy.get(sensor['name']) or {}
            if rule.get('suppress'):
                continue
            action = rule.get(state) or 'alarm'
            if action == 'alarm':
                alarmed[sensor['name']] = (state, sensor)
            elif action == 'log':
                logged[sensor['name']] = (state, sensor)
        for name in sorted(set(host.sensor_alarms) - set(alarmed)):
            LOG.info('Host %s: sensor %s no longer alarmed',
                     host.hostname, name)
            self.alarms.sensor_ok(host.hostname, name)
            del host.sensor_alarms[name]
        for name, (state, sensor) in sorted(alarmed.items()):
            if host.sensor_alarms.get(name) != state:
                LOG.warning('Host %s: sensor %s reads %s %s (%s)',
                            host.hostname, name, sensor.get('value'),
                            sensor.get('unit') or '', state)
                self.alarms.sensor_out_of_range(
                    host.hostname, name, state, sensor.get('value'),
                    sensor.get('unit'))
                host.sensor_alarms[name] = state
        for name, (state, sensor) in sorted(logged.items()):
            if host.sensor_logged.get(name) != state:
                LOG.info('Host %s: sensor %s reads %s %s (%s, logged)',
                         host.hostname, name, sensor.get('value'),
                         sensor.get('unit') or '', state)
                self.alarms.log(host.hostname, "%s sensor '%s' reads %s%s, "
                                'past its %s threshold' % (
                                    host.hostname, name, sensor.get('value'),
                                    ' ' + sensor['unit'] if sensor.get(
                                        'unit') else '', state))
        host.sensor_logged = {name: state
                              for name, (state, _) in logged.items()}
        self._refresh_availability(host)

    # -- periodic audit --------------------------------------------------

    def _audit(self):
        now = time.monotonic()
        for host in list(self.hosts.values()):
            if (host.stage == S_LOCKED and host.availability == ONLINE
                    and not self._alive_recently(host)):
                LOG.warning('Host %s sent no alive message for %d s',
                            host.hostname, self.offline_timeout)
                self._report(host, availability=OFFLINE)
            due = host.bmc_audit_due
            if host.has_bmc and (due is None or now >= due):
                self._bmc_audit(host)
        self.loop.call_later(AUDIT_INTERVAL, self._audit)


class _Deferred:
    """Alarm calls queued on a worker of their own instead of made on the
    loop thread: a broker round trip each must delay neither the next
    event nor sysinv's updates.
    """

    def __init__(self, alarms, loop):
        self._alarms = alarms
        self._loop = loop

    def __getattr__(self, name):
        method = getattr(self._alarms, name)

        def deferred(hostname, *args):
            self._loop.slow(lambda: method(hostname, *args), None,
                            ordered=ALARMS_LANE)
        return deferred


# Calls to sysinv and alarms to fm go out on one worker thread each, in
# the order they were made. More threads do not send faster (the work is
# mostly Python, under one interpreter lock) but do delay the event loop:
# with four lanes each, a heartbeat verdict waited up to 68 ms for the
# loop while 50 hosts failed within a second; with one each, up to 25 ms.
SYSINV_LANE = 'sysinv'
ALARMS_LANE = 'alarms'
