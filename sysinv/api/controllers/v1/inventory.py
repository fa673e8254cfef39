"""A host's hardware: CPUs, memory, disks, ports, PCI devices, sensors.

Each kind is served twice, as StarlingX does: under its host
(``/v1/ihosts/{host}/icpus``) and on its own (``/v1/icpus/{uuid}``).
"""

import pecan
from pecan import rest
from wsme import types as wtypes
from wsmeext import pecan as wsme_pecan

from stxcommon import api
from stxcommon.api import params
from stxcommon import exception as stx_exception
from sysinv.api.controllers.v1 import types
from sysinv import exception


def _host_ident(value):
    # Imported late: host.py mounts these controllers.
    from sysinv.api.controllers.v1 import host
    return host.host_ident(value)


# kind -> function(row, host uuid) giving the item's WSME type.
TO_TYPE = {}


def _controller(kind, collection, item_type, collection_type):
    """A RestController class for one kind of host item."""
    fields = [attr.key for attr in wtypes.list_attributes(item_type)
              if attr.key not in ('links', 'ihost_uuid')]
    rule = 'sysinv:%s:get' % kind

    def to_type(row, host_uuid):
        return item_type(
            ihost_uuid=host_uuid,
            links=[types.Link(**link) for link in
                   params.links('v1', collection, row.uuid)],
            **{f: getattr(row, f) for f in fields})

    TO_TYPE[kind] = to_type

    class Controller(rest.RestController):
        def __init__(self, from_ihosts=False):
            self._from_ihosts = from_ihosts

        @wsme_pecan.wsexpose(collection_type, wtypes.text, wtypes.text,
                             int)
        def get_all(self, ihost_uuid=None, marker=None, limit=None):
            api.authorize(rule)
            if self._from_ihosts:
                ihost_uuid = _host_ident(ihost_uuid)
            elif ihost_uuid is not None:
                # /v1/<collection>/<x>/...: nothing lives there.
                raise stx_exception.NotFound()
            limit = params.check_limit(limit,
                                       pecan.request.conf.api.max_limit)
            if marker:
                marker = params.check_uuid(marker, 'marker')
            try:
                rows = pecan.request.dbapi.item_get_list(
                    kind, ihost_uuid, limit, marker)
            except exception.InventoryItemNotFound:
                raise stx_exception.Invalid(reason='marker %s is not one of '
                                            'the %s' % (marker, collection))
            items = [to_type(row, host_uuid) for row, host_uuid in rows]
            url = (params.resource_url('v1', 'ihosts', ihost_uuid,
                                       collection)
                   if self._from_ihosts
                   else params.resource_url('v1', collection))
            return collection_type(
                next=params.next_link(url, limit, items),
                **{collection: items})

        def _item(self, first, second):
            """(row, host uuid) of ``/<uuid>`` or, under ihosts,
            ``/<host>/<uuid>`` (which must be that host's)."""
            if self._from_ihosts:
                if second is None:
                    raise stx_exception.NotFound()
                host = pecan.request.dbapi.host_get(_host_ident(first))
                uuid = params.check_uuid(second)
            else:
                if second is not None:
                    raise stx_exception.NotFound()
                host, uuid = None, params.check_uuid(first)
            row, host_uuid = pecan.request.dbapi.item_get(kind, uuid)
            if host is not None and host.uuid != host_uuid:
                raise exception.InventoryItemNotFound(kind=kind, uuid=uuid)
            return row, host_uuid

        @wsme_pecan.wsexpose(item_type, wtypes.text, wtypes.text)
        def get_one(self, first, second=None):
            api.authorize(rule)
            return to_type(*self._item(first, second))

    Controller.item_type = item_type
    Controller.__name__ = '%sController' % collection_type.__name__
    return Controller


CpuController = _controller('cpu', 'icpus', types.Cpu, types.CpuCollection)
_MemoryReader = _controller('memory', 'imemorys', types.Memory,
                            types.MemoryCollection)


def _patchable(reader, kind, update, doc):
    """``reader`` with a PATCH of replace operations, handed to
    ``dbapi.<update>(uuid, {field: value})``; the host must be locked."""

    class Controller(reader):
        @wsme_pecan.wsexpose(reader.item_type, wtypes.text, wtypes.text,
                             body=[types.PatchOperation])
        def patch(self, first, second=None, patch=None):
            api.authorize('sysinv:%s:modify' % kind)
            item, _host_uuid = self._item(first, second)
            changes = {}
            for operation in patch or ():
                if operation.op != 'replace' or \
                        operation.value is wtypes.Unset:
                    raise stx_exception.Invalid(
                        reason='changes are replace operations with a '
                               'value')
                changes[(operation.path or '').lstrip('/')] = \
                    operation.value
            if not changes:
                raise stx_exception.Invalid(reason='the patch changes '
                                            'nothing')
            row, host_uuid = getattr(pecan.request.dbapi, update)(
                item.uuid, changes)
            return TO_TYPE[kind](row, host_uuid)

    Controller.__name__ = reader.__name__
    Controller.__doc__ = doc
    return Controller


MemoryController = _patchable(
    _MemoryReader, 'memory', 'memory_update',
    """Memory of a NUMA node; PATCH platform_reserved_mib,
    vm_hugepages_nr_2M_pending and vm_hugepages_nr_1G_pending.""")
InterfaceController = _patchable(
    _controller('interface', 'iinterfaces', types.Interface,
                types.InterfaceCollection),
    'interface', 'interface_update',
    """A host's interfaces; PATCH ifname, ifclass, imtu, sriov_numvfs.""")
DiskController = _controller('disk', 'idisks', types.Disk,
                             types.DiskCollection)
PortController = _controller('port', 'ports', types.Port,
                             types.PortCollection)
EthernetPortController = _controller('port', 'ethernet_ports', types.Port,
                                     types.EthernetPortCollection)
PciDeviceController = _patchable(
    _controller('pci_device', 'pci_devices', types.PciDevice,
                types.PciDeviceCollection),
    'pci_device', 'pci_device_update',
    """A host's PCI devices; PATCH name and enabled.""")

SensorController = _patchable(
    _controller('sensor', 'isensors', types.Sensor, types.SensorCollection),
    'sensor', 'sensor_update',
    """A host's BMC sensors; PATCH suppress (True or False).""")
SensorGroupController = _patchable(
    _controller('sensorgroup', 'isensorgroups', types.SensorGroup,
                types.SensorGroupCollection),
    'sensorgroup', 'sensorgroup_update',
    """A host's sensors by type; PATCH actions_minor_group,
    actions_major_group, actions_critical_group (ignore, log or alarm)
    and suppress.""")
