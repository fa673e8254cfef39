"""Keystone's WSGI application, safe to load under gunicorn or uwsgi.

Keystone builds its configuration with oslo.config, which parses ``sys.argv``.
Inside a gunicorn worker that is gunicorn's own command line, which keystone
rejects: every worker exits and gunicorn respawns it forever. We hide the argv
while keystone initialises. Configuration comes, as with keystone's own entry
point, from ``OS_KEYSTONE_CONFIG_DIR`` and ``OS_KEYSTONE_CONFIG_FILES``
(';'-separated; relative names are taken inside the directory).

Keystone also calls ``sys.exit`` when it cannot start (missing fernet keys, a
driver that does not load). gunicorn respawns a worker that exits that way,
forever; it halts only on an exception while the app loads. So we turn the
exit into an exception, and a broken Keystone stops instead of looping.
"""

import sys

from stxcommon import backend


def _load_application():
    saved = sys.argv
    sys.argv = ['keystone-wsgi']
    try:
        # Imported here: nothing of keystone may load before argv is hidden.
        from keystone.server import wsgi as keystone_wsgi
        return keystone_wsgi.initialize_public_application()
    except SystemExit as exc:
        raise RuntimeError('Keystone refused to start: %s' % exc) from exc
    finally:
        sys.argv = saved


# Keystone imports oslo.messaging, hence oslo_service.service: keep its
# default eventlet backend out of the server.
backend.init_threading()
application = _load_application()
