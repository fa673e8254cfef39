"""Queries behind host actions and configuration, mixed into Connection.

State changes that must not race (starting an action, changing the plan
of a host that must stay locked) check and write in one transaction.
"""

import uuid as uuid_lib

import sqlalchemy as sa

from sysinv import constants
from sysinv.db.sqlalchemy import interfaces
from sysinv.db.sqlalchemy import models
from sysinv import exception
from sysinv import host_config


def _name(host):
    return host.hostname or host.uuid


class HostStateMixin:
    """Needs ``self.database`` and ``self._host(session, ident)``."""

    def host_hardware(self, ident):
        """(host, cpus, memory nodes) in one read."""
        with self.database.reader() as session:
            host = self._host(session, ident)
            cpus = session.query(models.Cpu).filter_by(
                host_id=host.id).order_by(models.Cpu.cpu).all()
            memory = session.query(models.Memory).filter_by(
                host_id=host.id).order_by(models.Memory.numa_node).all()
            return host, cpus, memory

    def hosts_busy(self):
        """Hosts with an action under way (to resume after a restart)."""
        with self.database.reader() as session:
            return session.query(models.Host).filter(
                models.Host.action.notin_([constants.ACTION_NONE, '']),
                models.Host.action.isnot(None)).all()

    def host_start_action(self, uuid, action, administrative):
        """Record ``action`` and its task unless another one runs or the
        host's administrative state changed since it was checked."""
        task = constants.ACTION_TASKS[action]
        with self.database.writer() as session:
            done = session.execute(
                sa.update(models.Host)
                .where(models.Host.uuid == uuid,
                       models.Host.administrative == administrative,
                       sa.or_(models.Host.task.is_(None),
                              models.Host.task == ''))
                .values(action=action, task=task)).rowcount
            host = self._host(session, uuid)
            if not done:
                raise exception.HostBusy(host=_name(host),
                                         task=host.task or 'another change')
            return host

    def host_finish_action(self, uuid, values):
        """Set the outcome of an action and clear its task."""
        values = dict(values, action=constants.ACTION_NONE, task='')
        return self.host_update(uuid, values)

    @staticmethod
    def _check_locked(host, what):
        if host.administrative != constants.ADMIN_LOCKED:
            raise exception.HostNotLocked(host=_name(host), what=what,
                                          administrative=host.administrative)
        if host.task:
            raise exception.HostBusy(host=_name(host), task=host.task)
        return host

    def cpus_set_functions(self, ident, requests):
        """Apply a host_cpus_modify request to a locked host's CPUs."""
        with self.database.writer() as session:
            host = self._check_locked(self._host(session, ident),
                                      'change its CPU functions')
            cpus = session.query(models.Cpu).filter_by(
                host_id=host.id).order_by(models.Cpu.cpu).all()
            try:
                assignment = host_config.assign_cpu_functions(
                    cpus, requests, host.personality)
            except host_config.PlanError as exc:
                raise exception.ConfigRefused(host=_name(host),
                                              reason=str(exc))
            for cpu in cpus:
                cpu.allocated_function = assignment[cpu.cpu]
            host.config_status = constants.CONFIG_OUT_OF_DATE
            session.flush()
            return host, cpus

    def _change_item(self, model, kind, uuid, what, check):
        """Apply ``check(session, row)``'s validated values to the row of a
        locked host; a ValueError from it is the refusal's reason."""
        with self.database.writer() as session:
            row = session.query(model).filter_by(uuid=uuid).first()
            if row is None:
                raise exception.InventoryItemNotFound(kind=kind, uuid=uuid)
            host = self._check_locked(session.get(models.Host, row.host_id),
                                      what)
            try:
                values = check(session, row)
            except ValueError as exc:
                raise exception.ConfigRefused(host=_name(host),
                                              reason=str(exc))
            for name, value in values.items():
                setattr(row, name, value)
            host.config_status = constants.CONFIG_OUT_OF_DATE
            session.flush()
            return row, host.uuid

    def memory_update(self, uuid, changes):
        """Change one NUMA node's plan; its host must be locked."""
        return self._change_item(
            models.Memory, 'memory', uuid, 'change its memory',
            lambda _session, row: host_config.check_memory(row, changes))

    def interface_update(self, uuid, changes):
        """Change an interface of a locked host."""
        return self._change_item(
            models.Interface, 'interface', uuid, 'change its interfaces',
            lambda session, row: interfaces.check_changes(session, row,
                                                          changes))

    def pci_device_update(self, uuid, changes):
        """Rename, enable or disable a PCI device of a locked host."""
        return self._change_item(
            models.PciDevice, 'pci_device', uuid, 'change its devices',
            lambda _session, _row: host_config.check_device(changes))

    def host_new_config_target(self, uuid):
        """A new plan for the host's agent to apply; returns its id."""
        target = str(uuid_lib.uuid4())
        self.host_update(uuid, {'config_target': target})
        return target

    def host_config_for_agent(self, host):
        """What the agent of ``host`` (a row) is to apply, or None when it
        is up to date; its memory is read only when a plan is due, not on
        every report."""
        if not host.config_target or \
                host.config_target == host.config_applied:
            return None
        with self.database.reader() as session:
            memory = session.query(models.Memory).filter_by(
                host_id=host.id).order_by(models.Memory.numa_node).all()
        nodes = []
        for node in memory:
            nr_2m, nr_1g = host_config.hugepages_target(node)
            nodes.append({'numa_node': node.numa_node,
                          'hugepages_2m': nr_2m, 'hugepages_1g': nr_1g})
        return {'target': host.config_target, 'memory': nodes}

    def host_config_reported(self, uuid, target, error=None):
        """The agent applied ``target`` (or failed to, saying why)."""
        with self.database.writer() as session:
            host = self._host(session, uuid)
            if target != host.config_target:
                return host   # an older plan; a newer one is on its way
            if error:
                host.config_status = 'Config failed: %s' % error[:200]
                return host
            host.config_applied = target
            host.config_status = None
            for node in session.query(models.Memory).filter_by(
                    host_id=host.id):
                node.vm_hugepages_nr_2M_pending = None
                node.vm_hugepages_nr_1G_pending = None
            return host
