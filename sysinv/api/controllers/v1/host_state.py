"""/v1/ihosts/{host}/state: StarlingX's host_cpus_modify.

``PUT .../state/host_cpus_modify`` with ``[{"function": "platform",
"sockets": [{"0": 2}, {"1": 1}]}]`` gives that many physical cores of each
socket to the function (SMT siblings follow their core); the host must be
locked. The answer is the host's CPUs, as StarlingX's.
"""

import pecan
from pecan import rest
from wsme import types as wtypes
from wsmeext import pecan as wsme_pecan

from stxcommon import api
from sysinv.api.controllers.v1 import inventory
from sysinv.api.controllers.v1 import types


def _host_ident(value):
    from sysinv.api.controllers.v1 import host
    return host.host_ident(value)


class HostStateController(rest.RestController):
    _custom_actions = {'host_cpus_modify': ['PUT']}

    @wsme_pecan.wsexpose(types.CpuCollection, wtypes.text,
                         body=[types.jsontype])
    def host_cpus_modify(self, ihost_uuid, requests):
        api.authorize('sysinv:cpu:modify')
        host, cpus = pecan.request.dbapi.cpus_set_functions(
            _host_ident(ihost_uuid), requests)
        to_type = inventory.TO_TYPE['cpu']
        return types.CpuCollection(
            icpus=[to_type(cpu, host.uuid) for cpu in cpus])
