"""/v1/isystems: the one system, and changes to its descriptive fields."""

import pecan
from pecan import rest
from wsme import types as wtypes
from wsmeext import pecan as wsme_pecan

from stxcommon import api
from stxcommon.api import params
from stxcommon import exception
from sysinv.api.controllers.v1 import types
from sysinv.api import validation

_FIELDS = ('uuid', 'name', 'system_type', 'system_mode', 'description',
           'location', 'contact', 'software_version', 'capabilities',
           'created_at', 'updated_at')
_PATCHABLE = ('name', 'description', 'location', 'contact')


def _to_type(system):
    return types.System(
        links=[types.Link(**link)
               for link in params.links('v1', 'isystems', system.uuid)],
        ihosts=[types.Link(**link)
                for link in params.links('v1', 'isystems', system.uuid,
                                         'ihosts')],
        **{f: getattr(system, f) for f in _FIELDS})


def _changes_from_patch(patch):
    if not patch:
        raise exception.Invalid(reason='the patch changes nothing')
    changes = {}
    for operation in patch:
        field = (operation.path or '').lstrip('/')
        if field not in _PATCHABLE:
            raise exception.Invalid(
                reason='%s cannot be changed; changeable fields are: %s'
                % (operation.path, ', '.join(_PATCHABLE)))
        if operation.op == 'remove':
            if field == 'name':
                raise exception.Invalid(reason='name cannot be removed')
            changes[field] = None
            continue
        if operation.value is wtypes.Unset:
            raise exception.Invalid(reason='%s needs a value' % field)
        changes[field] = validation.text(field, operation.value,
                                         required=field == 'name')
    return changes


class SystemController(rest.RestController):

    @wsme_pecan.wsexpose(types.SystemCollection)
    def get_all(self):
        api.authorize('sysinv:system:get')
        return types.SystemCollection(isystems=[
            _to_type(system)
            for system in pecan.request.dbapi.system_get_list()])

    @wsme_pecan.wsexpose(types.System, wtypes.text)
    def get_one(self, uuid):
        api.authorize('sysinv:system:get')
        return _to_type(pecan.request.dbapi.system_get(
            params.check_uuid(uuid)))

    @wsme_pecan.wsexpose(types.System, wtypes.text,
                         body=[types.PatchOperation])
    def patch(self, uuid=None, patch=None):
        """PATCH /v1/isystems/{uuid}, or /v1/isystems for the one system
        (both forms appear in StarlingX's documentation)."""
        api.authorize('sysinv:system:modify')
        if uuid is not None:
            uuid = params.check_uuid(uuid)
        changes = _changes_from_patch(patch)
        dbapi = pecan.request.dbapi
        system = dbapi.system_get(uuid)
        return _to_type(dbapi.system_update(system.uuid, changes))
