"""Shared, domain-free building blocks for every control-plane service.

Nothing in here knows about hosts, alarms or subclouds: it wires up
configuration, processes, RPC, the database, the REST layer and auth the
same way for every service.

Importing it selects oslo.service's threading backend (no eventlet
anywhere), before oslo.messaging or oslo.service can pick the default, and
gives kombu's in-memory transport an idle poll that does not spin.
"""

from stxcommon import backend as _backend

_backend.init_threading()

from stxcommon import _memory_transport  # noqa: E402

_memory_transport.install()
