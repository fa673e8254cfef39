"""/v1/ihosts: add, list, show, change and delete hosts."""

from oslo_utils import uuidutils
import pecan
from pecan import rest
from wsme import types as wtypes
from wsmeext import pecan as wsme_pecan

from stxcommon import api
from stxcommon.api import params
from stxcommon import exception as stx_exception
from sysinv.api.controllers.v1 import host_bulk
from sysinv.api.controllers.v1 import host_state
from sysinv.api.controllers.v1 import inventory
from sysinv.api.controllers.v1 import types
from sysinv.api import host_actions
from sysinv.api import validation
from sysinv import constants
from sysinv import exception

_SORT_KEYS = ('id', 'hostname', 'personality', 'administrative',
              'operational', 'availability', 'mgmt_mac', 'created_at')
_FIELDS = ('id', 'uuid', 'hostname', 'personality', 'subfunctions',
           'administrative', 'operational', 'availability', 'mgmt_mac',
           'mgmt_ip', 'bm_ip', 'bm_type', 'bm_username', 'location',
           'capabilities', 'task', 'action', 'uptime', 'config_status',
           'config_target', 'config_applied',
           'invprovision', 'serialid', 'boot_device', 'rootfs_device',
           'install_output', 'console', 'created_at', 'updated_at')
_SUB_COLLECTIONS = ('icpus', 'imemorys', 'idisks', 'ports',
                    'ethernet_ports', 'iinterfaces', 'pci_devices',
                    'isensors', 'isensorgroups')

# Field -> converter of a new value; the only fields a PATCH may touch.
_PATCHABLE = {
    'hostname': validation.hostname,
    'personality': lambda v: validation.choice(
        'personality', v, constants.PERSONALITIES),
    'location': validation.location,
    'bm_type': lambda v: validation.choice('bm_type', v,
                                           constants.BM_TYPES),
    'bm_ip': lambda v: validation.ip_address(v, 'bm_ip'),
    'bm_username': lambda v: validation.text('bm_username', v),
    'bm_password': lambda v: validation.text('bm_password', v,
                                             required=True),
    'serialid': lambda v: validation.text('serialid', v),
    'boot_device': lambda v: validation.text('boot_device', v),
    'rootfs_device': lambda v: validation.text('rootfs_device', v),
    'install_output': lambda v: validation.choice(
        'install_output', v, constants.INSTALL_OUTPUTS),
    'console': lambda v: validation.text('console', v),
}
# What a 'remove' operation leaves behind; other fields cannot be removed.
_REMOVABLE = {'location': {}, 'bm_type': None, 'bm_ip': None,
              'bm_username': None, 'bm_password': None, 'serialid': None}
# Changing these re-identifies the host: only while it is locked.
_LOCKED_ONLY = ('hostname', 'personality')


def seal_password(values, vault):
    """Replace a given ``bm_password`` by its encrypted form."""
    if 'bm_password' in values:
        password = values.pop('bm_password')
        values['bm_password_enc'] = (vault.encrypt(password)
                                     if password is not None else None)
    return values


def host_ident(value):
    """A host UUID or hostname from the URL, else a 400."""
    if uuidutils.is_uuid_like(value):
        return params.check_uuid(value)
    try:
        return validation.hostname(value)
    except stx_exception.Invalid:
        raise stx_exception.Invalid(reason='%r is neither a host UUID nor '
                                    'a host name' % value)


def _system_uuid():
    try:
        return pecan.request.dbapi.system_get().uuid
    except exception.SystemNotFound:
        return None


def _list_entry(host, system_uuid):
    """One host of a list, as plain JSON values.

    Lists skip WSME's per-object validation and serialisation, which cost
    ~0.1 ms a host (most of a 1,000-host list); the fields are the ones
    :func:`_to_type` gives, without the sub-collection links.
    """
    entry = {f: getattr(host, f) for f in _FIELDS}
    for stamp in ('created_at', 'updated_at'):
        if entry[stamp] is not None:
            entry[stamp] = entry[stamp].isoformat()
    entry['isystem_uuid'] = system_uuid
    entry['links'] = params.links('v1', 'ihosts', host.uuid)
    return entry


def _to_type(host, system_uuid, detail=True):
    values = {f: getattr(host, f) for f in _FIELDS}
    result = types.Host(
        isystem_uuid=system_uuid,
        links=[types.Link(**link)
               for link in params.links('v1', 'ihosts', host.uuid)],
        **values)
    if detail:
        for name in _SUB_COLLECTIONS:
            setattr(result, name, [
                types.Link(**link)
                for link in params.links('v1', 'ihosts', host.uuid, name)])
    return result


def _given(body):
    return {attr.key: getattr(body, attr.key)
            for attr in wtypes.list_attributes(type(body))
            if getattr(body, attr.key) is not wtypes.Unset}


def _values_from_body(body):
    return validation.new_host(_given(body))


def _action_from_patch(patch):
    """The action a PATCH asks for ({"path": "/action"}), or None."""
    actions = [op for op in patch or ()
               if (op.path or '').lstrip('/') == 'action']
    if not actions:
        return None
    if len(patch) > 1:
        raise stx_exception.Invalid(reason='send an action on its own, '
                                    'not with other changes')
    action = actions[0].value
    if action is wtypes.Unset or action not in constants.ACTIONS:
        raise stx_exception.Invalid(
            reason='action must be one of: %s; not %r'
            % (', '.join(constants.ACTIONS),
               None if action is wtypes.Unset else action))
    return action


def _changes_from_patch(patch, host):
    if not patch:
        raise stx_exception.Invalid(reason='the patch changes nothing')
    changes = {}
    for operation in patch:
        field = (operation.path or '').lstrip('/')
        if field not in _PATCHABLE:
            raise stx_exception.Invalid(
                reason='%s cannot be changed; changeable fields are: %s'
                % (operation.path, ', '.join(sorted(_PATCHABLE))))
        if operation.op == 'remove':
            if field not in _REMOVABLE:
                raise stx_exception.Invalid(reason='%s cannot be removed'
                                            % field)
            changes[field] = _REMOVABLE[field]
            continue
        if operation.value is wtypes.Unset:
            raise stx_exception.Invalid(reason='%s needs a value' % field)
        changes[field] = _PATCHABLE[field](operation.value)
    locked_only = [f for f in _LOCKED_ONLY
                   if f in changes and changes[f] != getattr(host, f)]
    if locked_only and host.administrative != constants.ADMIN_LOCKED:
        raise exception.HostNotLocked(
            host=host.hostname or host.uuid,
            what='change its %s' % ' or '.join(locked_only),
            administrative=host.administrative)
    if 'personality' in changes and not host.subfunctions:
        changes['subfunctions'] = changes['personality']
    return changes


class HostController(rest.RestController):

    icpus = inventory.CpuController(from_ihosts=True)
    imemorys = inventory.MemoryController(from_ihosts=True)
    idisks = inventory.DiskController(from_ihosts=True)
    ports = inventory.PortController(from_ihosts=True)
    ethernet_ports = inventory.EthernetPortController(from_ihosts=True)
    pci_devices = inventory.PciDeviceController(from_ihosts=True)
    iinterfaces = inventory.InterfaceController(from_ihosts=True)
    isensors = inventory.SensorController(from_ihosts=True)
    isensorgroups = inventory.SensorGroupController(from_ihosts=True)
    state = host_state.HostStateController()

    # Query parameters of the host list.
    _LIST_PARAMS = ('marker', 'limit', 'sort_key', 'sort_dir', 'personality')

    # StarlingX's /v1/ihosts/bulk_add and /v1/ihosts/bulk_export.
    _custom_actions = {'bulk_add': ['POST'], 'bulk_export': ['GET']}

    @pecan.expose('json')
    def bulk_add(self, **_form):
        """Add the hosts of a hosts XML file (multipart field "file")."""
        api.authorize('sysinv:host:add')
        return host_bulk.bulk_add(pecan.request.dbapi, pecan.request.vault,
                                  host_bulk.uploaded_file(pecan.request.POST))

    @pecan.expose('json')
    def bulk_export(self):
        api.authorize('sysinv:host:get')
        return host_bulk.bulk_export(pecan.request.dbapi)

    @pecan.expose('json')
    def get_all(self, **query):
        """{"ihosts": [...], "next": url}; built without WSME objects.

        Parameters come as keywords only: pecan would take named ones for
        path segments.
        """
        api.authorize('sysinv:host:get')
        unknown = set(query) - set(self._LIST_PARAMS)
        if unknown:
            raise stx_exception.Invalid(reason='unknown parameters: %s'
                                        % ', '.join(sorted(unknown)))
        limit = query.get('limit')
        if limit is not None:
            try:
                limit = int(limit)
            except ValueError:
                raise stx_exception.Invalid(reason='limit must be an '
                                            'integer, not %r' % limit)
        limit = params.check_limit(limit, pecan.request.conf.api.max_limit)
        sort_key, sort_dir = params.check_sort(
            query.get('sort_key'), query.get('sort_dir') or 'asc',
            _SORT_KEYS, 'id')
        filters = {}
        if query.get('personality') is not None:
            filters['personality'] = validation.choice(
                'personality', query['personality'], constants.PERSONALITIES)
        marker = query.get('marker')
        if marker:
            marker = params.check_uuid(marker, 'marker')
        try:
            hosts = pecan.request.dbapi.host_get_list(
                filters, limit, marker, sort_key, sort_dir)
        except exception.HostNotFound:
            raise stx_exception.Invalid(reason='marker %s is not a host'
                                        % marker)
        system_uuid = _system_uuid()
        entries = [_list_entry(host, system_uuid) for host in hosts]
        return {'ihosts': entries,
                'next': params.next_link(
                    params.resource_url('v1', 'ihosts'), limit, entries)}

    @wsme_pecan.wsexpose(types.Host, wtypes.text)
    def get_one(self, ident):
        api.authorize('sysinv:host:get')
        host = pecan.request.dbapi.host_get(host_ident(ident))
        return _to_type(host, _system_uuid())

    @wsme_pecan.wsexpose(types.Host, body=types.HostBody, status_code=201)
    def post(self, body):
        api.authorize('sysinv:host:add')
        host = pecan.request.dbapi.host_create(seal_password(
            _values_from_body(body), pecan.request.vault))
        return _to_type(host, _system_uuid())

    @wsme_pecan.wsexpose(types.Host, wtypes.text,
                         body=[types.PatchOperation])
    def patch(self, ident, patch):
        api.authorize('sysinv:host:modify')
        dbapi = pecan.request.dbapi
        host = dbapi.host_get(host_ident(ident))
        action = _action_from_patch(patch)
        if action is not None:
            host_actions.check(action, host, dbapi)
            host = dbapi.host_start_action(host.uuid, action,
                                           host.administrative)
            pecan.request.conductor_api.host_action(
                pecan.request.context, host.uuid, action)
            return _to_type(host, _system_uuid())
        changes = seal_password(_changes_from_patch(patch, host),
                                pecan.request.vault)
        host = dbapi.host_update(host.uuid, changes)
        return _to_type(host, _system_uuid())

    @wsme_pecan.wsexpose(None, wtypes.text, status_code=204)
    def delete(self, ident):
        api.authorize('sysinv:host:delete')
        pecan.request.dbapi.host_destroy(host_ident(ident))
