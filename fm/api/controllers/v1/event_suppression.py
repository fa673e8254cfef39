"""/v1/event_suppression: which alarm IDs are hidden from alarm lists."""

import pecan
from pecan import rest
from wsme import types as wtypes
from wsmeext import pecan as wsme_pecan

from fm.api.controllers.v1 import types
from fm import constants
from stxcommon import api
from stxcommon.api import params
from stxcommon import exception

_FIELDS = ('uuid', 'alarm_id', 'description', 'suppression_status',
           'created_at', 'updated_at')


def _to_type(row):
    return types.EventSuppression(
        links=[types.Link(**link) for link in
               params.links('v1', 'event_suppression', row.uuid)],
        **{f: getattr(row, f) for f in _FIELDS})


def _status_from_patch(patch):
    """The new suppression_status out of a JSON-patch list."""
    status = None
    for operation in patch or ():
        if operation.path != '/suppression_status':
            raise exception.Invalid(reason='only /suppression_status can '
                                    'be changed, not %r' % operation.path)
        if operation.value not in constants.SUPPRESSION_STATUSES:
            raise exception.Invalid(reason='suppression_status must be one '
                                    'of: %s' % ', '.join(
                                        constants.SUPPRESSION_STATUSES))
        status = operation.value
    if status is None:
        raise exception.Invalid(reason='the patch must replace '
                                '/suppression_status')
    return status


class EventSuppressionController(rest.RestController):

    @wsme_pecan.wsexpose(types.EventSuppressionCollection)
    def get_all(self):
        api.authorize('fm:event_suppression:get')
        return types.EventSuppressionCollection(event_suppression=[
            _to_type(row)
            for row in pecan.request.dbapi.event_suppression_get_list()])

    @wsme_pecan.wsexpose(types.EventSuppression, wtypes.text,
                         body=[types.PatchOperation])
    def patch(self, uuid, patch):
        api.authorize('fm:event_suppression:modify')
        status = _status_from_patch(patch)
        return _to_type(pecan.request.dbapi.event_suppression_update(
            params.check_uuid(uuid), status))
