"""Shared, domain-free building blocks for every control-plane service.

Nothing in here knows about hosts, alarms or subclouds: it wires up
configuration, processes, RPC, the database, the REST layer and auth the
same way for every service.

Importing it selects oslo.service's threading backend (no eventlet
anywhere), before oslo.messaging or oslo.service can pick the default.
"""

from stxcommon import backend as _backend

_backend.init_threading()
