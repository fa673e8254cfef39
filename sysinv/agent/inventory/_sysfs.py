"""Tolerant readers for /sys and /proc files under a configurable root.

Every reader returns None (or an empty result) for a missing, unreadable
or malformed file and logs why at debug level: hardware trees differ
between kernels, hosts and simulated roots, and the inventory must report
what it can rather than fail.
"""

import logging
import os
import re

LOG = logging.getLogger(__name__)

PCI_ADDRESS_RE = re.compile(
    r'^[0-9a-fA-F]{4,}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$')


def path(root, *parts):
    """``root`` joined with parts given relative to '/'."""
    return os.path.join(root, *(p.lstrip('/') for p in parts))


def read_text(file_path):
    """Stripped file content, or None."""
    try:
        with open(file_path, encoding='utf-8', errors='replace') as f:
            return f.read().strip()
    except OSError as exc:
        LOG.debug('Cannot read %s: %s', file_path, exc)
        return None


def read_bytes(file_path):
    try:
        with open(file_path, 'rb') as f:
            return f.read()
    except OSError as exc:
        LOG.debug('Cannot read %s: %s', file_path, exc)
        return None


def read_int(file_path, base=10):
    """An integer file such as ``mtu`` or ``0x8086`` (base 16), or None."""
    text = read_text(file_path)
    if text is None:
        return None
    try:
        return int(text, base)
    except ValueError:
        LOG.debug('Malformed integer in %s: %r', file_path, text[:40])
        return None


def read_link_name(link_path):
    """Basename of a symlink's target (a driver, a device), or None."""
    try:
        return os.path.basename(os.readlink(link_path).rstrip('/')) or None
    except OSError as exc:
        LOG.debug('Cannot read link %s: %s', link_path, exc)
        return None


def list_dir(dir_path):
    """Sorted entry names, or [] when the directory is missing."""
    try:
        return sorted(os.listdir(dir_path))
    except OSError as exc:
        LOG.debug('Cannot list %s: %s', dir_path, exc)
        return []


def parse_cpulist(text):
    """'0-3,8,10-11' -> [0, 1, 2, 3, 8, 10, 11]; None when malformed."""
    if text is None:
        return None
    cpus = set()
    try:
        for part in text.split(','):
            part = part.strip()
            if not part:
                continue
            if '-' in part:
                first, last = part.split('-', 1)
                first, last = int(first), int(last)
                if last < first:
                    raise ValueError(part)
                cpus.update(range(first, last + 1))
            else:
                cpus.add(int(part))
    except ValueError:
        LOG.debug('Malformed CPU list: %r', text[:80])
        return None
    return sorted(cpus)


def read_cpulist(file_path):
    return parse_cpulist(read_text(file_path))


def numbered_entries(dir_path, prefix):
    """{n: name} for entries named prefix + digits (cpu12, node1)."""
    found = {}
    for name in list_dir(dir_path):
        suffix = name[len(prefix):]
        if name.startswith(prefix) and suffix.isdigit():
            found[int(suffix)] = name
    return dict(sorted(found.items()))


def pci_address_of(device_path):
    """The PCI address a sysfs device sits on, or None.

    The device itself may be a PCI function (most NICs), or a child of
    one (a virtio device below its virtio-pci function), so the resolved
    path is searched from the device upwards.
    """
    try:
        resolved = os.path.realpath(device_path)
    except OSError:
        return None
    if not os.path.exists(resolved):
        return None
    for part in reversed(resolved.split(os.sep)):
        if PCI_ADDRESS_RE.match(part):
            return part.lower()
    return None


def numa_node(value):
    """Normalise a numa_node value: -1 (no affinity) becomes None."""
    if value is None or value < 0:
        return None
    return value
