"""A host's interfaces: one ethernet interface per port, kept in step with
the agent's reports, and the operator's changes to them."""

import re
import uuid as uuid_lib

from sysinv import constants
from sysinv.db.sqlalchemy import models

# Linux interface names: at most 15 characters, no '/' or white space.
_IFNAME_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$')
MTU_RANGE = (576, 9216)


class InterfaceError(ValueError):
    """A change the interface cannot take; the message says why."""


def sync_with_ports(session, host):
    """Give each port an ethernet interface; drop those of gone ports.

    A new interface takes its port's name unless another interface of the
    host already has it (renamed by the operator): then '<name>-<n>'.
    """
    ports = {p.id: p for p in session.query(models.Port).filter_by(
        host_id=host.id)}
    interfaces = session.query(models.Interface).filter_by(
        host_id=host.id).all()
    names = {i.ifname for i in interfaces}
    covered = set()
    for interface in interfaces:
        if interface.iftype != constants.IFTYPE_ETHERNET:
            continue
        port = ports.get(interface.port_id)
        if port is None:
            # sqlite keeps no foreign keys: its port went without it.
            session.delete(interface)
            names.discard(interface.ifname)
            continue
        covered.add(port.id)
        if interface.imac != port.mac:
            interface.imac = port.mac
    for port in ports.values():
        if port.id in covered:
            continue
        name, suffix = port.name, 1
        while name in names:
            name, suffix = '%s-%d' % (port.name, suffix), suffix + 1
        names.add(name)
        session.add(models.Interface(
            uuid=str(uuid_lib.uuid4()), host_id=host.id, port_id=port.id,
            ifname=name, iftype=constants.IFTYPE_ETHERNET,
            ifclass=constants.IFCLASS_NONE, imac=port.mac,
            imtu=port.mtu or 1500, uses=[], used_by=[], sriov_numvfs=0,
            ipv4_mode='disabled', ipv6_mode='disabled'))


def check_changes(session, interface, changes):
    """Validated changes to an interface (the PATCH fields)."""
    values = {}
    for name, value in changes.items():
        if name == 'ifname':
            if not isinstance(value, str) or not _IFNAME_RE.match(value):
                raise InterfaceError(
                    'ifname %r is not an interface name (1 to 15 letters, '
                    'digits, "_", "." or "-")' % (value,))
            taken = session.query(models.Interface.id).filter(
                models.Interface.host_id == interface.host_id,
                models.Interface.ifname == value,
                models.Interface.id != interface.id).first()
            if taken:
                raise InterfaceError('the host already has an interface '
                                     'named %s' % value)
        elif name == 'ifclass':
            if value not in constants.IFCLASSES:
                raise InterfaceError('ifclass must be one of: %s; not %r'
                                     % (', '.join(constants.IFCLASSES),
                                        value))
        elif name in ('imtu', 'sriov_numvfs'):
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise InterfaceError('%s must be an integer, not %r'
                                     % (name, value))
            if name == 'imtu' and not \
                    MTU_RANGE[0] <= value <= MTU_RANGE[1]:
                raise InterfaceError('imtu must be from %d to %d'
                                     % MTU_RANGE)
        else:
            raise InterfaceError(
                '%s cannot be changed; changeable fields are: ifname, '
                'ifclass, imtu, sriov_numvfs' % name)
        values[name] = value
    ifclass = values.get('ifclass', interface.ifclass)
    numvfs = values.get('sriov_numvfs', interface.sriov_numvfs) or 0
    if numvfs:
        port = session.get(models.Port, interface.port_id) \
            if interface.port_id else None
        total = (port.sriov_totalvfs or 0) if port else 0
        if ifclass != constants.IFCLASS_SRIOV:
            raise InterfaceError('sriov_numvfs needs ifclass %s'
                                 % constants.IFCLASS_SRIOV)
        if not 0 <= numvfs <= total:
            raise InterfaceError('sriov_numvfs must be from 0 to %d, what '
                                 'its port supports' % total)
    return values
