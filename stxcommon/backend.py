"""Select oslo.service's threading backend before anything else can.

oslo.service still defaults to eventlet, and the backend is fixed the first
time something imports ``oslo_service.service``, ``loopingcall`` or
``oslo_messaging``. Every ``cmd`` package and every test package calls
:func:`init_threading` first; calling it again is a no-op.
"""

import warnings

from oslo_service import backend as _backend


def init_threading():
    # futurist imports eventlet when it happens to be installed (keystone
    # pulls it in); we never use it, so its deprecation banner is noise on
    # every command, the openstack CLI included.
    warnings.filterwarnings('ignore', message='\\s*Eventlet is deprecated')
    _backend.init_backend(_backend.BackendType.THREADING)
