"""Select oslo.service's threading backend before anything else can.

oslo.service still defaults to eventlet, and the backend is fixed the first
time something imports ``oslo_service.service``, ``loopingcall`` or
``oslo_messaging``. Every ``cmd`` package and every test package calls
:func:`init_threading` first; calling it again is a no-op.
"""

from oslo_service import backend as _backend


def init_threading():
    _backend.init_backend(_backend.BackendType.THREADING)
