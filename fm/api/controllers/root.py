"""The API root: the version document, readable without a token."""

import pecan

from fm.api.controllers import v1
from stxcommon.api import params


class RootController:
    v1 = v1.Controller()

    @pecan.expose('json')
    def index(self):
        version = {'id': 'v1', 'links': [
            {'href': params.resource_url('v1') + '/', 'rel': 'self'}]}
        return {
            'name': 'Fault Management API',
            'description': 'Alarms, event log and event suppression of the '
                           'platform.',
            'default_version': version,
            'versions': [version],
        }
