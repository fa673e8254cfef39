"""Queries of the inventory service, each in its own transaction."""

import datetime
import uuid as uuid_lib

from oslo_db import exception as db_exception
from oslo_utils import uuidutils
import sqlalchemy as sa

from sysinv import constants
from sysinv.db.sqlalchemy import host_state
from sysinv.db.sqlalchemy import interfaces
from sysinv.db.sqlalchemy import inventory
from sysinv.db.sqlalchemy import models
from sysinv.db.sqlalchemy import sensors
from sysinv import exception

# Kinds of per-host items by the name the API uses for them.
ITEM_MODELS = {
    'cpu': models.Cpu,
    'memory': models.Memory,
    'disk': models.Disk,
    'interface': models.Interface,
    'port': models.Port,
    'pci_device': models.PciDevice,
    'sensor': models.Sensor,
    'sensorgroup': models.SensorGroup,
}
_ITEM_ORDER = {
    'cpu': 'cpu', 'memory': 'numa_node', 'disk': 'device_node',
    'port': 'name', 'pci_device': 'pciaddr', 'interface': 'ifname',
    'sensor': 'sensorname', 'sensorgroup': 'sensorgroupname',
}

# Stand-ins for NULL when paging on a nullable column: a row-value
# comparison with NULL is never true, so such rows would vanish.
_NULL_STANDINS = {
    str: '',
    int: -1,
    datetime.datetime: datetime.datetime(1970, 1, 1),
}


def _sort_expression(model, sort_key):
    column = getattr(model, sort_key)
    if not column.property.columns[0].nullable:
        return column, None
    standin = _NULL_STANDINS[column.type.python_type]
    return sa.func.coalesce(column, standin), standin


def _page(query, model, limit, marker, sort_key, sort_dir):
    """Keyset paging on (sort_key, id); 'id' breaks ties."""
    expression, standin = _sort_expression(model, sort_key)
    expressions = [expression]
    values = [getattr(marker, sort_key) if marker is not None else None]
    if sort_key != 'id':
        expressions.append(model.id)
        values.append(marker.id if marker is not None else None)
    descending = sort_dir == 'desc'
    if marker is not None:
        if values[0] is None:
            values[0] = standin
        key = sa.tuple_(*expressions)
        after = sa.tuple_(*[sa.literal(value) for value in values])
        query = query.filter(key < after if descending else key > after)
    order = [e.desc() if descending else e.asc() for e in expressions]
    query = query.order_by(*order)
    if limit is not None:
        query = query.limit(limit)
    return query.all()


def _is_duplicate(error, column):
    return column in (error.columns or ()) or any(
        column in str(c) for c in (error.columns or ()))


class Connection(host_state.HostStateMixin):
    def __init__(self, database):
        self.database = database

    # System

    def _system(self, session, uuid=None):
        query = session.query(models.System)
        if uuid is not None:
            query = query.filter_by(uuid=uuid)
        system = query.order_by(models.System.id).first()
        if system is None:
            raise exception.SystemNotFound(uuid=uuid or '')
        return system

    def system_get(self, uuid=None):
        """The system by UUID, or the one system when no UUID is given."""
        with self.database.reader() as session:
            return self._system(session, uuid)

    def system_get_list(self):
        with self.database.reader() as session:
            return session.query(models.System).order_by(
                models.System.id).all()

    def system_create(self, values):
        values = dict(values)
        values.setdefault('uuid', str(uuid_lib.uuid4()))
        values.setdefault('name', values['uuid'])
        values.setdefault('capabilities', {})
        with self.database.writer() as session:
            system = models.System(**values)
            session.add(system)
            session.flush()
            return system

    def ensure_system(self, **defaults):
        """The system, created with ``defaults`` on first use."""
        with self.database.writer() as session:
            system = session.query(models.System).order_by(
                models.System.id).first()
            if system is not None:
                return system
        values = dict(system_type='Standard', system_mode='duplex',
                      software_version=constants.SOFTWARE_VERSION)
        values.update(defaults)
        return self.system_create(values)

    def system_update(self, uuid, values):
        with self.database.writer() as session:
            system = self._system(session, uuid)
            for name, value in values.items():
                setattr(system, name, value)
            session.flush()
            session.refresh(system)
            return system

    # Hosts

    def _host(self, session, ident):
        query = session.query(models.Host)
        if uuidutils.is_uuid_like(ident):
            host = query.filter_by(uuid=ident).first()
        else:
            host = query.filter_by(hostname=ident).first()
        if host is None:
            raise exception.HostNotFound(host=ident)
        return host

    def host_get(self, ident):
        """A host by UUID or hostname."""
        with self.database.reader() as session:
            return self._host(session, ident)

    def host_get_list(self, filters=None, limit=None, marker=None,
                      sort_key='id', sort_dir='asc'):
        """Hosts matching ``filters`` ({column: value}), one page."""
        with self.database.reader() as session:
            marker_row = self._host(session, marker) if marker else None
            query = session.query(models.Host)
            for name, value in (filters or {}).items():
                query = query.filter(getattr(models.Host, name) == value)
            return _page(query, models.Host, limit, marker_row, sort_key,
                         sort_dir)

    def host_for_mac(self, mac):
        """The host whose management MAC is ``mac``, or None."""
        mac = inventory.normalize_mac(mac, 'mgmt_mac')
        with self.database.reader() as session:
            return session.query(models.Host).filter_by(
                mgmt_mac=mac).first()

    def _check_unique(self, session, values, host_id=None):
        for field in ('hostname', 'mgmt_mac'):
            value = values.get(field)
            if value is None:
                continue
            query = session.query(models.Host.id).filter(
                getattr(models.Host, field) == value)
            if host_id is not None:
                query = query.filter(models.Host.id != host_id)
            if query.first() is not None:
                raise exception.HostExists(field=field, value=value)

    @staticmethod
    def _add_host(session, values):
        """A new host row in ``session``: locked, disabled and offline."""
        row = dict(
            uuid=str(uuid_lib.uuid4()),
            administrative=constants.ADMIN_LOCKED,
            operational=constants.OPERATIONAL_DISABLED,
            availability=constants.AVAILABILITY_OFFLINE,
            invprovision=constants.UNPROVISIONED,
            action='none', task='', uptime=0,
            location={}, capabilities={})
        row.update(values)
        system = session.query(models.System.id).order_by(
            models.System.id).first()
        row.setdefault('forisystemid', system.id if system else None)
        host = models.Host(**row)
        session.add(host)
        session.flush()
        return host

    def host_create(self, values):
        """Add a host; it starts locked, disabled and offline.

        A host its agent discovered (same management MAC, no hostname
        and personality yet) is provisioned with ``values`` instead, as
        StarlingX does: it keeps its inventory and its UUID.
        """
        row = dict(values)
        try:
            with self.database.writer() as session:
                discovered = session.query(models.Host).filter_by(
                    mgmt_mac=row.get('mgmt_mac'), hostname=None,
                    personality=None).first()
                if discovered is not None:
                    self._check_unique(session, row, discovered.id)
                    for name, value in row.items():
                        setattr(discovered, name, value)
                    if discovered.invprovision == constants.UNPROVISIONED \
                            and session.query(models.Cpu.id).filter_by(
                                host_id=discovered.id).first():
                        discovered.invprovision = constants.PROVISIONED
                    session.flush()
                    return discovered
                self._check_unique(session, row)
                return self._add_host(session, row)
        except db_exception.DBDuplicateEntry as error:
            # Lost a race with another add of the same host.
            field = 'hostname' if _is_duplicate(error, 'hostname') \
                else 'mgmt_mac'
            raise exception.HostExists(field=field, value=row.get(field))

    def create_unprovisioned_host(self, mac, report=None):
        """A host discovered by its agent: no name, no personality yet.

        Reports arrive concurrently; a second report for the same MAC
        gets the host the first one created.
        """
        mac = inventory.normalize_mac(mac, 'mgmt_mac')
        try:
            return self.host_create({'mgmt_mac': mac, 'hostname': None,
                                     'personality': None})
        except exception.HostExists:
            return self.host_for_mac(mac)

    def host_update(self, ident, values):
        try:
            with self.database.writer() as session:
                host = self._host(session, ident)
                self._check_unique(session, values, host.id)
                for name, value in values.items():
                    setattr(host, name, value)
                session.flush()
                session.refresh(host)
                return host
        except db_exception.DBDuplicateEntry as error:
            field = 'hostname' if _is_duplicate(error, 'hostname') \
                else 'mgmt_mac'
            raise exception.HostExists(field=field, value=values.get(field))

    def host_destroy(self, ident, only_if_locked=True):
        """Delete a host and all its inventory in one transaction."""
        with self.database.writer() as session:
            host = self._host(session, ident)
            if only_if_locked:
                self._check_locked(host, 'be deleted')
            # Explicit, as sqlite enforces ON DELETE CASCADE only with
            # its foreign_keys pragma on.
            for model in ITEM_MODELS.values():
                session.query(model).filter_by(host_id=host.id).delete(
                    synchronize_session=False)
            session.delete(host)

    def record_report(self, report):
        """Find (or discover) the host by its MAC and apply its report.

        One transaction, so a discovered host never shows without its
        inventory. Returns ``(host uuid, discovered, changes)``; a report
        racing another for the same new host retries once and finds it.
        """
        sections = inventory.rows_from_report(report)
        mac = inventory.normalize_mac(report.get('mgmt_mac'), 'mgmt_mac')
        for attempt in (1, 2):
            try:
                with self.database.writer() as session:
                    host = session.query(models.Host).filter_by(
                        mgmt_mac=mac).first()
                    discovered = host is None
                    if discovered:
                        host = self._add_host(session, {
                            'mgmt_mac': mac, 'hostname': None,
                            'personality': None})
                    changes = self._apply(session, host, sections)
                    return host.uuid, discovered, changes
            except db_exception.DBDuplicateEntry:
                if attempt == 2:
                    raise

    @staticmethod
    def _apply(session, host, sections):
        changes = inventory.apply(session, host, sections)
        if 'ports' in sections:
            interfaces.sync_with_ports(session, host)
        if (host.personality and
                host.invprovision in (None, constants.UNPROVISIONED)):
            host.invprovision = constants.PROVISIONED
        return changes

    def apply_inventory(self, host_uuid, report):
        """Replace the host's hardware rows with an agent report.

        One transaction: readers see the old inventory or the new one,
        never a mix. Returns ``{section: {added, updated, removed}}``.
        """
        sections = inventory.rows_from_report(report)
        with self.database.writer() as session:
            return self._apply(session, self._host(session, host_uuid),
                               sections)

    # Per-host inventory items

    def sensors_record(self, ident, readings, audit_interval=None):
        """Replace a host's sensors with maintenance's ``readings``.

        Raises InvalidInventory for a reading that cannot be recorded.
        Returns {sensor name: what a crossed threshold does} (see
        ``sensors.policy``).
        """
        try:
            sensor_rows = sensors.rows(readings)
        except sensors.SensorError as exc:
            raise exception.InvalidInventory(reason=str(exc))
        with self.database.writer() as session:
            host = self._host(session, ident)
            return sensors.apply(session, host, sensor_rows, audit_interval)

    def sensorgroup_update(self, uuid, changes):
        """Change what a sensor group's crossed thresholds do, or
        suppress its alarms; any host state."""
        return self._sensor_item_update(models.SensorGroup, 'sensorgroup',
                                        uuid, sensors.check_group_changes,
                                        changes)

    def sensor_update(self, uuid, changes):
        """Suppress (or not) one sensor's alarms."""
        return self._sensor_item_update(models.Sensor, 'sensor', uuid,
                                        sensors.check_sensor_changes,
                                        changes)

    def _sensor_item_update(self, model, kind, uuid, check, changes):
        try:
            values = check(changes)
        except sensors.SensorError as exc:
            raise exception.InvalidChange(reason=str(exc))
        with self.database.writer() as session:
            row = session.query(model).filter_by(uuid=uuid).first()
            if row is None:
                raise exception.InventoryItemNotFound(kind=kind, uuid=uuid)
            for name, value in values.items():
                setattr(row, name, value)
            session.flush()
            return row, session.get(models.Host, row.host_id).uuid

    def item_get(self, kind, uuid):
        """(row, host uuid) of one CPU, memory node, disk, port or device."""
        model = ITEM_MODELS[kind]
        with self.database.reader() as session:
            row = session.query(model, models.Host.uuid).join(
                models.Host, models.Host.id == model.host_id).filter(
                model.uuid == uuid).first()
        if row is None:
            raise exception.InventoryItemNotFound(kind=kind, uuid=uuid)
        return row

    def item_get_list(self, kind, host_ident=None, limit=None, marker=None):
        """[(row, host uuid)] of one host, or of all hosts, in the order
        of their natural key."""
        model = ITEM_MODELS[kind]
        with self.database.reader() as session:
            marker_row = None
            if marker is not None:
                marker_row = session.query(model).filter_by(
                    uuid=marker).first()
                if marker_row is None:
                    raise exception.InventoryItemNotFound(kind=kind,
                                                          uuid=marker)
            query = session.query(model, models.Host.uuid).join(
                models.Host, models.Host.id == model.host_id)
            if host_ident is not None:
                host = self._host(session, host_ident)
                query = query.filter(model.host_id == host.id)
            return _page(query, model, limit, marker_row,
                         _ITEM_ORDER[kind], 'asc')
