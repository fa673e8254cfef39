"""What mtce-client watches on its host: critical processes and resources.

Everything is read under the host's root (``/`` on a real host, the
generated tree of a simulated one): ``proc/stat`` for CPU use,
``proc/meminfo`` for memory, ``statvfs`` of each watched filesystem, and
``proc/<pid>/comm`` for the running processes.  A crossing raises its
alarm (100.101 CPU, 100.103 memory, 100.104 filesystem; 200.006 for a
process) and clears it when use comes back under the threshold; a missing
critical process also degrades or fails the host, as configured, through
the alive message to mtce-agent.
"""

import logging
import os

LOG = logging.getLogger(__name__)

CPU_ALARM = '100.101'
MEMORY_ALARM = '100.103'
FILESYSTEM_ALARM = '100.104'
PROCESS_ALARM = '200.006'

DEGRADE, FAIL = 'degrade', 'fail'


class Thresholds:
    """(major, critical) percentages of one resource."""

    def __init__(self, major, critical):
        if not 0 < major < critical <= 100:
            raise ValueError('thresholds must be 0 < major < critical <= '
                             '100, not %r, %r' % (major, critical))
        self.major = major
        self.critical = critical

    def severity(self, percent):
        if percent >= self.critical:
            return 'critical'
        if percent >= self.major:
            return 'major'
        return None


def read_cpu_times(root):
    """(busy, total) jiffies of all CPUs from ``proc/stat``."""
    with open(os.path.join(root, 'proc/stat')) as f:
        for line in f:
            if line.startswith('cpu '):
                values = [int(v) for v in line.split()[1:]]
                idle = values[3] + (values[4] if len(values) > 4 else 0)
                return sum(values) - idle, sum(values)
    raise ValueError('no cpu line in proc/stat')


def read_memory_percent(root):
    """Percentage of memory in use, from MemTotal and MemAvailable."""
    fields = {}
    with open(os.path.join(root, 'proc/meminfo')) as f:
        for line in f:
            name, _, rest = line.partition(':')
            parts = rest.split()
            if parts:
                fields[name] = int(parts[0])
    total = fields['MemTotal']
    available = fields.get('MemAvailable', fields.get('MemFree', total))
    return 100.0 * (total - available) / total if total else 0.0


def filesystem_percent(root, mount):
    stats = os.statvfs(os.path.join(root, mount.lstrip('/')))
    total = stats.f_blocks * stats.f_frsize
    free = stats.f_bavail * stats.f_frsize
    return 100.0 * (total - free) / total if total else 0.0


def running_processes(root):
    """Names (``comm``) of the processes under ``root``'s proc."""
    names = set()
    proc = os.path.join(root, 'proc')
    try:
        entries = os.listdir(proc)
    except OSError:
        return names
    for entry in entries:
        if entry.isdigit():
            try:
                with open(os.path.join(proc, entry, 'comm')) as f:
                    names.add(f.read().strip())
            except OSError:
                continue        # it exited meanwhile
    return names


def from_conf(conf, hostname, alarms=None):
    """The HostMonitor ``[client]`` describes; ValueError if it cannot
    work (bad thresholds or process actions)."""
    client = conf.client

    def pair(name):
        values = getattr(client, name)
        try:
            major, critical = (float(v) for v in values)
        except (TypeError, ValueError):
            raise ValueError('[client] %s must be two numbers, not %r'
                             % (name, values)) from None
        return Thresholds(major, critical)
    return HostMonitor(hostname, client.root, alarms,
                       cpu=pair('cpu_thresholds'),
                       memory=pair('memory_thresholds'),
                       filesystem=pair('filesystem_thresholds'),
                       mounts=client.filesystems,
                       critical_processes=client.critical_processes)


class HostMonitor:
    """Checks one host; :meth:`check` returns its process verdict.

    :param alarms: a :class:`fm.client.HostAlarmSender` (or None).
    :param critical_processes: {name: 'degrade' or 'fail'}.
    """

    def __init__(self, hostname, root, alarms=None, cpu=Thresholds(90, 95),
                 memory=Thresholds(80, 90), filesystem=Thresholds(80, 90),
                 mounts=('/',), critical_processes=None):
        self.hostname = hostname
        self.root = root
        self.alarms = alarms
        self.thresholds = {'cpu': cpu, 'memory': memory,
                           'filesystem': filesystem}
        self.mounts = list(mounts)
        self.critical_processes = dict(critical_processes or {})
        for name, action in self.critical_processes.items():
            if action not in (DEGRADE, FAIL):
                raise ValueError('critical process %s: action must be '
                                 'degrade or fail, not %r' % (name, action))
        self._cpu_before = None
        self._raised = {}        # (alarm, suffix) -> severity

    def check(self):
        """Read everything once; returns {'degrade': [...], 'fail': [...]}.

        Resource crossings raise alarms only; missing critical processes
        are what degrades or fails the host.
        """
        self._check_cpu()
        self._check_memory()
        for mount in self.mounts:
            self._check_filesystem(mount)
        return self._check_processes()

    def _check_cpu(self):
        try:
            busy, total = read_cpu_times(self.root)
        except (OSError, ValueError, IndexError) as exc:
            LOG.debug('%s: no CPU reading: %s', self.hostname, exc)
            return
        before, self._cpu_before = self._cpu_before, (busy, total)
        if before is None or total <= before[1]:
            return
        percent = 100.0 * (busy - before[0]) / (total - before[1])
        self._level(CPU_ALARM, '', 'cpu', percent,
                    'Platform CPU threshold exceeded; threshold %d%%, '
                    'actual %.0f%%')

    def _check_memory(self):
        try:
            percent = read_memory_percent(self.root)
        except (OSError, ValueError, KeyError) as exc:
            LOG.debug('%s: no memory reading: %s', self.hostname, exc)
            return
        self._level(MEMORY_ALARM, '', 'memory', percent,
                    'Platform Memory threshold exceeded; threshold %d%%, '
                    'actual %.0f%%')

    def _check_filesystem(self, mount):
        try:
            percent = filesystem_percent(self.root, mount)
        except OSError as exc:
            LOG.debug('%s: no reading of %s: %s', self.hostname, mount, exc)
            return
        self._level(FILESYSTEM_ALARM, '.filesystem=%s' % mount,
                    'filesystem', percent,
                    'Filesystem ' + mount.replace('%', '%%') +
                    ' threshold exceeded; threshold %d%%, actual %.0f%%')

    def _level(self, alarm_id, suffix, resource, percent, text):
        limits = self.thresholds[resource]
        severity = limits.severity(percent)
        key = (alarm_id, suffix)
        if severity == self._raised.get(key):
            return
        if severity is None:
            LOG.info('%s: %s use back to %.0f%%', self.hostname,
                     resource, percent)
            self._clear(alarm_id, suffix)
            del self._raised[key]
            return
        threshold = (limits.critical if severity == 'critical'
                     else limits.major)
        LOG.warning('%s: %s use %.0f%% (%s threshold %d%%)', self.hostname,
                    resource, percent, severity, threshold)
        self._set(alarm_id, suffix, text % (threshold, percent), severity)
        self._raised[key] = severity

    def _check_processes(self):
        verdict = {DEGRADE: [], FAIL: []}
        if not self.critical_processes:
            return verdict
        running = running_processes(self.root)
        for name, action in sorted(self.critical_processes.items()):
            key = (PROCESS_ALARM, '.process=%s' % name)
            if name in running:
                if key in self._raised:
                    LOG.info('%s: process %s runs again', self.hostname,
                             name)
                    self._clear(*key)
                    del self._raised[key]
                continue
            verdict[action].append('critical process %s is not running'
                                   % name)
            severity = 'critical' if action == FAIL else 'major'
            if self._raised.get(key) != severity:
                LOG.error('%s: critical process %s is not running',
                          self.hostname, name)
                self._set(PROCESS_ALARM, key[1], 'Process %s has failed '
                          'and is not running' % name, severity)
                self._raised[key] = severity
        return verdict

    def _set(self, alarm_id, suffix, reason, severity):
        if self.alarms is not None:
            self.alarms.set(alarm_id, self.hostname, reason, severity,
                            entity_suffix=suffix)

    def _clear(self, alarm_id, suffix):
        if self.alarms is not None:
            self.alarms.clear(alarm_id, self.hostname, entity_suffix=suffix)
